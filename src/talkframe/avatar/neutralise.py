"""Close the photo's mouth once, before rigging, so the rest pose is relaxed and closed.

A smiling photo shows teeth between parted lips; a warp alone stretches the teeth. So: find the gap (FaceMesh's inner
lip contours, widened to every column's run of teeth or cavity pixels, which FaceMesh often misses on a laugh or a
small face), pull the lips over it with their own texture to a seam about 60% down the old gap (moving the lips,
fading to zero around the mouth), and draw a soft seam line that reads as closed lips to the eye and to FaceMesh.
"""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np

from talkframe.avatar import landmarks as L


@dataclass
class Neutralised:
    rgb: np.ndarray  # uint8, the photo with closed lips
    landmarks: np.ndarray  # landmarks moved with the warp; inner lips on the seam
    seam: np.ndarray  # (n, 2) corner-to-corner closed-lip seam in image px
    was_open: float  # the photo's inner-lip gap (IPD) before closing
    teeth_rgb: np.ndarray | None  # mean colour of the photo's visible teeth, if any
    colourfulness: float = 1.0  # 0 for a greyscale photo .. 1 for ordinary colour: how much colour drawn parts get


SEAM_AT = 0.6
UPPER_DROP_MAX = 0.1  # IPD the upper lip comes down at most to close a parted mouth
LOWER_GROWTH_MAX = 0.08  # IPD the closed lower lip grows at most (taller than the photo's)
THIN_UPPER_LIP = 0.3  # upper lip's share of the two lips' visible thickness below which the seam moves up
SEAM_DARKNESS = 0.25  # multiplicative darkening where the lips meet
SEAM_WIDTH = 0.03  # IPD
TEETH_LIGHTER = 0.17  # teeth are at least this share lighter (CIELAB L) than the lower lip


def seam_at(lm: np.ndarray, up: np.ndarray, lo: np.ndarray, ipd: float) -> float:
    """Where between the parted inner lips the closed lips meet (0 = at the upper lip's edge): `SEAM_AT` for
    ordinary lips, higher up when the photo shows only a thin strip of upper lip (a laugh stretches it over the
    teeth), so that the strip is not stretched into a tall band, and higher up on a wide-open mouth: the upper lip
    hangs from the skull and comes down at most `UPPER_DROP_MAX`; the jaw brings the lower lip the rest of the way
    (mid-speech photos open 0.4 IPD: 60% of that on the upper lip made it a tall, swollen band)."""
    c = L.contours()
    k = slice(2, -2) if len(up) > 4 else slice(None)
    uo = np.interp(up[k, 0], *_sorted_xy(lm[c["upper_outer"], :2]))
    lo_o = np.interp(lo[k, 0], *_sorted_xy(lm[c["lower_outer"], :2]))
    tu = float(np.median(np.clip(up[k, 1] - uo, 0, None)))
    tl = float(np.median(np.clip(lo_o - lo[k, 1], 0, None)))
    share = tu / max(tu + tl, 1e-6)  # about 0.4-0.45 on ordinary lips
    at = float(np.clip(SEAM_AT * share / THIN_UPPER_LIP, 0.3, SEAM_AT))
    gap = float(np.max(lo[:, 1] - up[:, 1]))
    return min(at, UPPER_DROP_MAX * ipd / gap) if gap > 0 else at


def _sorted_xy(p: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    k = np.argsort(p[:, 0])
    return p[k, 0], p[k, 1]


def colourfulness(rgb: np.ndarray, lm: np.ndarray) -> float:
    """How colourful the face is: 0 for a greyscale photo, 1 for ordinary colour (median chroma of the face >= 20)."""
    pts = lm[:468, :2]
    x0, y0 = np.maximum(0, np.floor(pts.min(axis=0)).astype(int))
    x1, y1 = np.ceil(pts.max(axis=0)).astype(int) + 1
    face = rgb[y0:y1, x0:x1, :3].reshape(-1, 3).astype(np.int16)
    if not len(face):
        return 1.0
    chroma = face.max(axis=1) - face.min(axis=1)
    return float(np.clip((np.median(chroma) - 3.0) / 17.0, 0.0, 1.0))


def pixel_gap(rgb: np.ndarray, lm: np.ndarray, ipd: float) -> tuple[np.ndarray, np.ndarray]:
    """The inner-lip contours widened to the teeth or cavity the photo really shows.

    Along each inner-lip point's column (perpendicular to the eye line), between the outer lip edges, pixels are
    compared with the person's lip colour (CIELAB median of the outer part of both lips): brighter and less red
    (teeth) or much darker (cavity) is "not lip". The run of such pixels that crosses the inner-lip midline widens
    the contours when FaceMesh drew them tighter than the teeth. Corners keep their landmarks."""
    c = L.contours()
    up, lo = lm[c["upper_inner"], :2].copy(), lm[c["lower_inner"], :2].copy()
    uo, lo_o = lm[c["upper_outer"], :2], lm[c["lower_outer"], :2]
    le, re = lm[L.IRIS_LEFT, :2], lm[L.IRIS_RIGHT, :2]
    ex = (re - le) / max(1e-6, float(np.linalg.norm(re - le)))
    ey = np.array([-ex[1], ex[0]])
    pts = np.concatenate([uo, lo_o])
    pad = 3
    x0, y0 = np.maximum(0, np.floor(pts.min(axis=0)).astype(int) - pad)
    x1 = min(rgb.shape[1], int(np.ceil(pts[:, 0].max())) + pad + 1)
    y1 = min(rgb.shape[0], int(np.ceil(pts[:, 1].max())) + pad + 1)
    if x1 - x0 < 4 or y1 - y0 < 4:
        return up, lo
    lab = cv2.cvtColor(np.ascontiguousarray(rgb[y0:y1, x0:x1, :3]).astype(np.float32) / 255.0, cv2.COLOR_RGB2LAB)

    def along(p: np.ndarray, q: np.ndarray, n: int) -> np.ndarray:  # (n, 3) Lab samples from p to q
        t = np.linspace(0, 1, n)[:, None]
        xy = (p[None] + t * (q - p)[None] - [x0, y0]).astype(np.float32)
        return cv2.remap(lab, xy[:, 0].reshape(1, -1), xy[:, 1].reshape(1, -1), cv2.INTER_LINEAR,
                         borderMode=cv2.BORDER_REPLICATE)[0]

    def u_of(p: np.ndarray) -> np.ndarray:
        return p @ ex

    # The lip reference: the outer 60% of each lip's thickness, at every interior column.
    ref = []
    for i in range(2, len(up) - 2):
        ou = uo[np.argmin(np.abs(u_of(uo) - u_of(up[i])))]
        ol = lo_o[np.argmin(np.abs(u_of(lo_o) - u_of(lo[i])))]
        ref.append(along(ou, ou + 0.6 * (up[i] - ou), 8))
        ref.append(along(ol, ol + 0.6 * (lo[i] - ol), 8))
    if not ref:
        return up, lo
    ref = np.concatenate(ref)
    l_lip, a_lip = float(np.median(ref[:, 0])), float(np.median(ref[:, 1]))
    spread = float(np.percentile(ref[:, 0], 90) - np.percentile(ref[:, 0], 10))
    new_up, new_lo = up.copy(), lo.copy()
    for i in range(1, len(up) - 1):
        ou = uo[np.argmin(np.abs(u_of(uo) - u_of(up[i])))]
        ol = lo_o[np.argmin(np.abs(u_of(lo_o) - u_of(lo[i])))]
        length = float(np.linalg.norm(ol - ou))
        n = max(8, int(length * 4))
        col = along(ou, ol, n)
        teeth = (col[:, 0] > l_lip + max(10.0, 0.6 * spread)) & (col[:, 1] < a_lip - 4.0 + 6.0 * (abs(a_lip) < 3))
        cavity = col[:, 0] < l_lip - max(25.0, spread)
        bad = (teeth | cavity).astype(np.uint8)
        bad = cv2.dilate(cv2.erode(bad.reshape(-1, 1), np.ones((3, 1), np.uint8)), np.ones((3, 1), np.uint8))[:, 0]
        t_mid = float(np.dot(0.5 * (up[i] + lo[i]) - ou, ol - ou)) / max(length * length, 1e-6)
        k = int(np.clip(round(t_mid * (n - 1)), 0, n - 1))
        near = [j for j in range(max(0, k - max(2, n // 8)), min(n, k + max(2, n // 8) + 1)) if bad[j]]
        if not near:
            continue
        j0 = j1 = min(near, key=lambda j: abs(j - k))
        while j0 > 0 and bad[j0 - 1]:
            j0 -= 1
        while j1 < n - 1 and bad[j1 + 1]:
            j1 += 1
        if j0 == 0 or j1 == n - 1:  # it ran into the outer edge: not a gap between the lips
            continue
        # Closed lips meet in a dark line of their own: a dark run counts only when taller than such a seam;
        # any teeth in it count at once.
        if teeth[j0:j1 + 1].sum() < 2 and (j1 - j0 + 1) / (n - 1) * length < 0.06 * ipd:
            continue
        top = ou + (j0 - 0.5) / (n - 1) * (ol - ou)
        bottom = ou + (j1 + 0.5) / (n - 1) * (ol - ou)
        if float(np.dot(top - up[i], ey)) < 0:
            new_up[i] = top
        if float(np.dot(bottom - lo[i], ey)) > 0:
            new_lo[i] = bottom
    return new_up, new_lo


def neutralise_mouth(rgb: np.ndarray, lm: np.ndarray, ipd: float) -> Neutralised:
    c = L.contours()
    up, lo = pixel_gap(rgb, lm, ipd)
    gap = float(np.max(lo[:, 1] - up[:, 1])) / ipd
    seam_inner = _smooth_polyline(up + seam_at(lm, up, lo, ipd) * (lo - up))
    out = rgb.copy()
    lm2 = lm.copy()
    teeth = None
    pad = int(0.9 * ipd) + 4
    x0 = max(0, int(lm[c["upper_outer"] + c["lower_outer"], 0].min()) - pad)
    x1 = min(rgb.shape[1], int(lm[c["upper_outer"] + c["lower_outer"], 0].max()) + pad)
    y0 = max(0, int(lm[c["upper_outer"], 1].min()) - pad)
    y1 = min(rgb.shape[0], int(lm[c["lower_outer"], 1].max()) + pad)
    if gap > 0.015:
        poly = np.concatenate([up, lo[::-1]])
        mask = np.zeros(rgb.shape[:2], np.uint8)
        cv2.fillPoly(mask, [np.round(poly * 8).astype(np.int32)], 255, cv2.LINE_AA, shift=3)
        inside = mask[y0:y1, x0:x1] > 128
        if inside.sum() > 3:
            teeth = _teeth_colour(rgb[y0:y1, x0:x1][inside], rgb, lm)
        out, lm2 = _close_lips(rgb, lm, up, lo, seam_inner, ipd, (x0, y0, x1, y1))
    lm2[c["upper_inner"], :2] = seam_inner
    lm2[c["lower_inner"], :2] = seam_inner
    seam = np.concatenate([lm2[[L.MOUTH_LEFT], :2], seam_inner, lm2[[L.MOUTH_RIGHT], :2]])
    colour = colourfulness(rgb, lm)
    if gap > 0.015:
        out = _clean_corners(out, lm2, ipd)
        out = _repaint_between_lips(out, rgb, lm, lm2, seam_inner, ipd, colour)
    out = draw_seam(out, seam, ipd, warmth=colour)
    return Neutralised(out, lm2, seam, gap, teeth, colour)


def _smooth_polyline(p: np.ndarray, passes: int = 2) -> np.ndarray:
    """[1, 2, 1] smoothing of the interior points (ends kept): the per-column widening to the teeth pixels leaves
    a wobbly gap, and a seam placed in it would wave (and carry specks of teeth where it bulges)."""
    p = p.copy()
    for _ in range(passes):
        if len(p) > 2:
            p[1:-1] = 0.25 * p[:-2] + 0.5 * p[1:-1] + 0.25 * p[2:]
    return p


def _close_lips(rgb: np.ndarray, lm: np.ndarray, up: np.ndarray, lo: np.ndarray, seam: np.ndarray, ipd: float,
                box: tuple[int, int, int, int]) -> tuple[np.ndarray, np.ndarray]:
    """Close the lips with their own texture: along each face column (perpendicular to the eye line) the upper lip
    (outer edge .. inner edge) is stretched down onto the seam and the lower lip up onto it; the teeth between the
    inner edges are skipped, never shown. The outer lip edges follow part of the way (the lips get fuller) and the
    skin above and below fades back to still within `0.35 IPD`. Lateral continuity is automatic: the gap, hence
    every displacement, goes to zero at the inner mouth corners."""
    c = L.contours()
    x0, y0, x1, y1 = box
    le, re = lm[L.IRIS_LEFT, :2], lm[L.IRIS_RIGHT, :2]
    ex = (re - le) / max(1e-6, float(np.linalg.norm(re - le)))
    ey = np.array([-ex[1], ex[0]])
    o = seam.mean(axis=0)

    def local(p: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        d = p - o
        return d @ ex, d @ ey

    def curve(p: np.ndarray):  # v as a function of u
        u, v = local(p)
        k = np.argsort(u)
        return lambda q: np.interp(q, u[k], v[k])

    f_ui, f_li, f_s = curve(up), curve(lo), curve(seam)
    f_uo, f_lo = curve(lm[c["upper_outer"], :2]), curve(lm[c["lower_outer"], :2])
    a_up, reach = 0.35, 0.35 * ipd

    def lower_edge(gl: np.ndarray) -> np.ndarray:
        """The share of its gap the lower lip's outer edge rises (the rest it stretches): 0.45, more where the
        gap is wide, so that the lip grows by at most `LOWER_GROWTH_MAX` (the jaw lifts it rather than the lip
        swelling)."""
        return np.clip(1 - LOWER_GROWTH_MAX * ipd / np.maximum(gl, 1e-6), 0.45, 0.85)

    def profile(u: np.ndarray):
        vui, vli, vs, vuo, vlo = f_ui(u), f_li(u), f_s(u), f_uo(u), f_lo(u)
        vuo, vlo = np.minimum(vuo, vui), np.maximum(vlo, vli)
        gu, gl = np.clip(vs - vui, 0, None), np.clip(vli - vs, 0, None)
        return vui, vli, vs, vuo, vlo, gu, gl

    ys, xs = np.mgrid[y0:y1, x0:x1].astype(np.float64)
    uu = (xs - o[0]) * ex[0] + (ys - o[1]) * ex[1]
    vv = (xs - o[0]) * ey[0] + (ys - o[1]) * ey[1]
    vui, vli, vs, vuo, vlo, gu, gl = profile(uu)
    margin = np.minimum(0.4, 0.25 * (gu + gl))  # stay clear of the teeth's edge pixels
    margin_lo = np.minimum(1.2, 0.4 * (gu + gl))  # and of the wet, specular inner rim of the lower lip
    a_lo = lower_edge(gl)
    # A lip that rises far takes the chin with it: the shift fades over at least 2.5x its size (a short fade
    # stretched the skin under the lip into streaks).
    reach_lo = min(max(reach, 2.5 * float(np.max(a_lo * gl))), 0.85 * ipd)  # (inside the box: 0.9 IPD)
    vuo2, vlo2 = vuo + a_up * gu, vlo - a_lo * gl
    # Upper side: [vuo2, vs] shows the upper lip [vuo, vui - margin]; above, the skin shift fades out.
    t = (vv - vuo2) / np.maximum(vs - vuo2, 1e-3)
    src_up = np.where(vv < vuo2, vv - a_up * gu * _smooth(1 - (vuo2 - vv) / reach),
                      vuo + t * (vui - margin - vuo))
    # Lower side: [vs, vlo2] shows the lower lip [vli + margin, vlo]; below, the shift fades out.
    t = (vv - vs) / np.maximum(vlo2 - vs, 1e-3)
    src_lo = np.where(vv > vlo2, vv + a_lo * gl * _smooth(1 - (vv - vlo2) / reach_lo),
                      vli + margin_lo + t * (vlo - vli - margin_lo))
    # A synthetic upper lip: the lower lip's own texture mirrored about the seam (seam .. outer edge on each side),
    # used where the photo's upper lip is too thin a strip to stretch (a laugh pulls it over the teeth: stretched,
    # it turns into a tall band of blurred teeth and shadow) or where the stretched texture looks like teeth.
    t_up = np.clip((vs - vv) / np.maximum(vs - vuo2, 1e-3), 0, 1)
    src_mirror = vli + margin_lo + t_up * (vlo - vli - margin_lo)
    # Nothing moves beyond the mouth corners. Past its ends each contour's interpolation holds its end value, and
    # on a turned face FaceMesh folds the contours at the far corner, so those ends are not the corner: the held
    # values would remap whole columns past it and pull the shirt or the background up into the mouth.
    cu, _ = local(lm[[L.MOUTH_LEFT, L.MOUTH_RIGHT], :2])
    ramp = max(1.0, 0.04 * ipd)
    within = _smooth((uu - cu.min()) / ramp + 0.5) * _smooth((cu.max() - uu) / ramp + 0.5)
    src_up, src_lo, src_mirror = (within * sv + (1 - within) * vv for sv in (src_up, src_lo, src_mirror))
    region = rgb[y0:y1, x0:x1]
    parts = []
    for sv in (src_up, src_lo, src_mirror):
        mx = (o[0] + uu * ex[0] + sv * ey[0] - x0).astype(np.float32)
        my = (o[1] + uu * ex[1] + sv * ey[1] - y0).astype(np.float32)
        parts.append(cv2.remap(region, mx, my, cv2.INTER_CUBIC, borderMode=cv2.BORDER_REPLICATE).astype(np.float32))
    upper = _synthetic_upper_lip(parts[0], parts[2], rgb, lm, vui - margin - vuo, vs - vuo2, t_up,
                                 (vv >= vuo2 - 1.0) & (vv <= vs + 1.0))
    w_up = np.clip(vs - vv + 0.5, 0, 1)[..., None]  # anti-aliased meeting line
    out = rgb.copy()
    out[y0:y1, x0:x1] = np.clip(upper * w_up + parts[1] * (1 - w_up) + 0.5, 0, 255).astype(np.uint8)
    # Move the landmarks with the same (forward) mapping.
    lm2 = lm.copy()
    pu, pv = local(lm[:, :2])
    vui, vli, vs, vuo, vlo, gu, gl = profile(pu)
    a_lo = lower_edge(gl)
    dv = np.zeros_like(pv)
    a = pv < vuo
    dv[a] = a_up * gu[a] * _smooth(1 - (vuo[a] - pv[a]) / reach)
    b = (pv >= vuo) & (pv <= vui)
    tb = (pv[b] - vuo[b]) / np.maximum(vui[b] - vuo[b], 1e-3)
    dv[b] = a_up * gu[b] + tb * (1 - a_up) * gu[b]
    m = (pv > vui) & (pv < vli)
    dv[m] = vs[m] - pv[m]
    e = (pv >= vli) & (pv <= vlo) & ~m
    te = (vlo[e] - pv[e]) / np.maximum(vlo[e] - vli[e], 1e-3)
    dv[e] = -(a_lo[e] * gl[e] + te * (1 - a_lo[e]) * gl[e])
    g = pv > vlo
    dv[g] = -a_lo[g] * gl[g] * _smooth(1 - (pv[g] - vlo[g]) / reach_lo)
    lm2[:, :2] += dv[:, None] * ey[None, :]
    return out, lm2


STRETCH_OK = 2.0  # the photo's upper lip strip may be stretched this much before it is replaced ..
STRETCH_SYNTH = 4.0  # .. and from this much on the closed upper lip is all synthetic (mirrored lower lip)


def _synthetic_upper_lip(stretched: np.ndarray, mirrored: np.ndarray, rgb: np.ndarray, lm: np.ndarray,
                         strip: np.ndarray, target: np.ndarray, t: np.ndarray, region: np.ndarray) -> np.ndarray:
    """The closed upper lip: the photo's own (stretched) upper lip where it is tall enough and looks like lip, else
    the mirrored lower lip recoloured to an upper lip's shade (the lower lip's colour, a little darker: the upper
    lip faces down). Blended per column by how far the strip had to stretch, per pixel by how teeth-like the
    stretched texture is (lighter and less red than lip); the outer 25% of the lip keeps the photo's edge."""
    lip, spread = _lip_lab(rgb, lm)
    stretch = target / np.maximum(strip, 0.5)
    w = _smooth((stretch - STRETCH_OK) / (STRETCH_SYNTH - STRETCH_OK))
    lab_s = cv2.cvtColor(stretched / 255.0, cv2.COLOR_RGB2LAB)
    lighter = _smooth((lab_s[..., 0] - lip[0] - max(8.0, 0.5 * spread)) / 10.0)
    colourful = abs(float(lip[1])) > 3
    paler = _smooth((lip[1] - 2.0 - lab_s[..., 1]) / 6.0) if colourful else 1.0
    toothy = lighter * paler
    w = np.maximum(w, toothy)
    w = w * (1 - _smooth((t - 0.75) / 0.25)) * region
    if float(w.max()) < 0.02:
        return stretched
    lab_m = cv2.cvtColor(mirrored / 255.0, cv2.COLOR_RGB2LAB)
    # Its colour: the photo's own upper lip where it shows lip (its outer part, not teeth-like), else the lower
    # lip's a little darker.
    own = region & (t > 0.4) & (toothy < 0.3)
    shift = np.array([-0.12 * max(spread, 10.0), 0.0, 0.0], np.float32)
    if own.sum() >= 6:
        shift = np.median(lab_s[own], axis=0) - np.median(lab_m[region & (t > 0.4)], axis=0)
        shift[0] = min(shift[0], 0.0)  # never lighter than the lower lip (that would read as teeth again)
    lab_m = lab_m + shift.astype(np.float32)
    lab_m[..., 0] = np.clip(lab_m[..., 0], 0, 100)
    syn = cv2.cvtColor(lab_m.astype(np.float32), cv2.COLOR_LAB2RGB) * 255.0
    w = w[..., None].astype(np.float32)
    return stretched * (1 - w) + syn * w


def _teeth_colour(gap_px: np.ndarray, rgb: np.ndarray, lm: np.ndarray) -> np.ndarray | None:
    """Mean colour of the teeth the gap shows: its brightest pixels, if they are teeth (clearly lighter than the
    lips and no redder); None when the gap holds only cavity, tongue or lip (then teeth are drawn from the skin)."""
    pix = gap_px.reshape(-1, 3).astype(np.float32)
    lab = cv2.cvtColor(pix.reshape(-1, 1, 3) / 255.0, cv2.COLOR_RGB2LAB).reshape(-1, 3)
    bright = lab[:, 0] >= np.percentile(lab[:, 0], 80)
    if bright.sum() < 3:
        return None
    lip, spread = _lip_lab(rgb, lm)
    t = np.median(lab[bright], axis=0)
    # Margins relative to the lips' own lightness and redness: an under-exposed photo compresses both (teeth 6 L
    # above lips 26 L in a dim shot are as clearly teeth as 16 above 59 in a bright one).
    if t[0] < lip[0] + max(TEETH_LIGHTER * lip[0], 0.5 * spread) or t[1] > lip[1] - min(3.0, 0.1 * abs(lip[1])):
        return None
    return pix[bright].mean(axis=0)


def _lip_lab(rgb: np.ndarray, lm: np.ndarray) -> tuple[np.ndarray, float]:
    """Median CIELAB colour of the photo's lower lip (its outer 60%, away from teeth and the wet rim) and the spread
    of its lightness (10th..90th percentile)."""
    c = L.contours()
    lo_o, lo_i = lm[c["lower_outer"], :2], lm[c["lower_inner"], :2]
    k = np.linspace(0, len(lo_o) - 1, len(lo_i)).round().astype(int)
    mid = lo_o[k] + 0.6 * (lo_i - lo_o[k])
    poly = np.concatenate([lo_o, mid[::-1]])
    mask = np.zeros(rgb.shape[:2], np.uint8)
    cv2.fillPoly(mask, [np.round(poly).astype(np.int32)], 1)
    px = rgb[mask > 0].reshape(-1, 1, 3)
    if len(px) < 3:
        px = rgb[np.round(lo_o[:, 1]).astype(int).clip(0, rgb.shape[0] - 1),
                 np.round(lo_o[:, 0]).astype(int).clip(0, rgb.shape[1] - 1)].reshape(-1, 1, 3)
    lab = cv2.cvtColor(px.astype(np.float32) / 255.0, cv2.COLOR_RGB2LAB).reshape(-1, 3)
    return np.median(lab, axis=0), float(np.percentile(lab[:, 0], 90) - np.percentile(lab[:, 0], 10))


def _repaint_between_lips(out: np.ndarray, rgb: np.ndarray, lm: np.ndarray, lm2: np.ndarray, seam: np.ndarray,
                          ipd: float, colour: float) -> np.ndarray:
    """Make the closed lips lip-coloured all the way to the seam.

    FaceMesh's contours are loose on a laugh, and some photos show only a thin, shadowed upper lip: the texture that
    closing stretched over the gap then carries teeth, gum or shadow, which reads as a brown or grey band. Here the
    low-frequency colour of the closed lips (CIELAB, blurred) is pulled to the person's own lip colour (from the
    visible lower lip; the upper lip a little darker) wherever it strays far from it, keeping the fine texture
    (clipped, so teeth edges do not survive). It fades out toward the lips' outer edges, which stay as photographed.
    A greyscale photo keeps its own (grey) lip colour, as everything here is measured on the photo."""
    c = L.contours()
    lip, spread = _lip_lab(rgb, lm)
    le, re = lm2[L.IRIS_LEFT, :2], lm2[L.IRIS_RIGHT, :2]
    ex = (re - le) / max(1e-6, float(np.linalg.norm(re - le)))
    ey = np.array([-ex[1], ex[0]])
    uo, lo_o = lm2[c["upper_outer"], :2], lm2[c["lower_outer"], :2]
    outer = np.concatenate([uo, lo_o[::-1]])
    pad = 3
    x0, y0 = np.maximum(0, np.floor(outer.min(axis=0)).astype(int) - pad)
    x1 = min(out.shape[1], int(np.ceil(outer[:, 0].max())) + pad + 1)
    y1 = min(out.shape[0], int(np.ceil(outer[:, 1].max())) + pad + 1)
    if x1 - x0 < 4 or y1 - y0 < 4:
        return out
    box = np.ascontiguousarray(out[y0:y1, x0:x1])
    lab = cv2.cvtColor(box.astype(np.float32) / 255.0, cv2.COLOR_RGB2LAB)
    sigma = max(0.8, 0.035 * ipd)
    low = cv2.GaussianBlur(lab, (0, 0), sigma)
    inside = np.zeros(box.shape[:2], np.uint8)
    cv2.fillPoly(inside, [np.round(outer - [x0, y0]).astype(np.int32)], 1)
    inside = cv2.GaussianBlur(inside.astype(np.float32), (0, 0), 0.7)
    ys, xs = np.mgrid[y0:y1, x0:x1].astype(np.float64)
    o = seam.mean(axis=0)

    def curve(p: np.ndarray):  # v as a function of u
        u, v = (p - o) @ ex, (p - o) @ ey
        k = np.argsort(u)
        return lambda q: np.interp(q, u[k], v[k])

    uu = (xs - o[0]) * ex[0] + (ys - o[1]) * ex[1]
    vv = (xs - o[0]) * ey[0] + (ys - o[1]) * ey[1]
    vs, vuo, vlo = curve(seam)(uu), curve(uo)(uu), curve(lo_o)(uu)
    above = vv < vs
    thick = np.where(above, np.maximum(vs - vuo, 1.0), np.maximum(vlo - vs, 1.0))
    t = np.abs(vv - vs) / thick  # 0 on the seam .. 1 at the outer lip edge
    near_seam = 1 - _smooth((t - 0.55) / 0.35)
    # The target: the lower lip's colour; the upper lip (usually in its own shadow) a little darker.
    target = np.empty_like(lab)
    target[..., 0] = np.where(above, lip[0] - 0.12 * max(spread, 10.0), lip[0])
    target[..., 1] = lip[1] * (1.0 if colour > 0.3 else 0.0) if colour > 0.3 else low[..., 1]
    target[..., 2] = lip[2] if colour > 0.3 else low[..., 2]
    dev = np.sqrt(((low - target) ** 2 * np.array([0.6, 1.0, 1.0], np.float32)).sum(axis=2))
    # Single teeth specks in the seam are too small for the blurred colour: judge pixels on their own too.
    dev_px = np.sqrt(((lab - target) ** 2 * np.array([0.6, 1.0, 1.0], np.float32)).sum(axis=2))
    speck = _smooth((dev_px - 14.0) / 10.0) * (lab[..., 0] > target[..., 0] + 8.0) * (t < 0.6)
    # Only the middle of the mouth: the corners keep their own shadow (it is what makes them read as corners,
    # to the eye and to FaceMesh, which measures a mouth whose corners were lightened as less open).
    hw = 0.5 * float(np.linalg.norm(lm2[L.MOUTH_RIGHT, :2] - lm2[L.MOUTH_LEFT, :2]))
    middle = _smooth((0.7 * hw - np.abs(uu)) / (0.2 * hw))
    w = np.maximum(_smooth((dev - 7.0) / 10.0), speck) * near_seam * inside * middle
    if float(w.max()) < 0.05:
        return out
    detail = np.clip(lab - low, -6.0, 6.0) * np.array([1.0, 0.5, 0.5], np.float32)
    fixed = target + detail
    fixed[..., 0] = np.clip(fixed[..., 0], 0, 100)
    fixed_rgb = cv2.cvtColor(fixed.astype(np.float32), cv2.COLOR_LAB2RGB) * 255.0
    w = w[..., None].astype(np.float32)
    res = out.copy()
    res[y0:y1, x0:x1] = np.clip(box * (1 - w) + fixed_rgb * w + 0.5, 0, 255).astype(np.uint8)
    return res


def _clean_corners(rgb: np.ndarray, lm: np.ndarray, ipd: float) -> np.ndarray:
    """The dark mouth-corner pockets of a smile (between the outer and inner corner landmarks) stay dark after the
    lips close and read as holes once the corners relax: fill their darkest pixels with the surrounding lip/skin."""
    c = L.contours()
    lip = np.concatenate([lm[c["lower_outer"], :2], lm[c["lower_inner"][::-1], :2]])
    mask = np.zeros(rgb.shape[:2], np.uint8)
    cv2.fillPoly(mask, [np.round(lip).astype(np.int32)], 1)
    lum = rgb.astype(np.float32).mean(axis=2)
    ref = float(np.median(lum[mask > 0])) if mask.any() else float(np.median(lum))
    out = rgb.copy()
    for outer, inner in ((L.MOUTH_LEFT, L.INNER_LEFT), (L.MOUTH_RIGHT, L.INNER_RIGHT)):
        cx, cy = 0.5 * (lm[outer, :2] + lm[inner, :2])
        r = int(np.ceil(0.16 * ipd)) + 2
        x0, y0 = max(0, int(cx) - r), max(0, int(cy) - r)
        x1, y1 = min(rgb.shape[1], int(cx) + r + 1), min(rgb.shape[0], int(cy) + r + 1)
        ys, xs = np.mgrid[y0:y1, x0:x1]
        near = ((xs - cx) / (0.14 * ipd)) ** 2 + ((ys - cy) / (0.07 * ipd)) ** 2 < 1
        dark = (near & (lum[y0:y1, x0:x1] < 0.72 * ref)).astype(np.uint8) * 255
        if dark.any():
            dark = cv2.dilate(dark, np.ones((3, 3), np.uint8))
            box = np.ascontiguousarray(out[y0:y1, x0:x1])
            out[y0:y1, x0:x1] = cv2.inpaint(box, dark, 2.0, cv2.INPAINT_TELEA)
    return out


def _smooth(x: np.ndarray) -> np.ndarray:
    x = np.clip(x, 0.0, 1.0)
    return x * x * (3 - 2 * x)


def draw_seam(rgb: np.ndarray, seam: np.ndarray, ipd: float, darkness: float = SEAM_DARKNESS,
              warmth: float = 1.0) -> np.ndarray:
    """Soft shading where the lips meet: a multiplicative darkening (`darkness` mid-mouth, a little more toward the
    shadowed corners) along a smooth, supersampled curve about 1-2 px wide with a feathered edge; not a drawn
    stroke, so the lip colour and texture show through it."""
    ss = 8
    x0, y0 = np.floor(seam.min(axis=0) - 4).astype(int)
    x1, y1 = np.ceil(seam.max(axis=0) + 4).astype(int)
    x0, y0 = max(0, x0), max(0, y0)
    x1, y1 = min(rgb.shape[1], x1), min(rgb.shape[0], y1)
    h, w = y1 - y0, x1 - x0
    canvas = np.zeros((h * ss, w * ss), np.float32)
    pts = np.round(((smooth_curve(seam) - [x0, y0] + 0.5) * ss - 0.5) * 16).astype(np.int32)
    thick = max(1, int(round(max(1.0, SEAM_WIDTH * ipd) * ss)))
    cv2.polylines(canvas, [pts], False, 1.0, thick, cv2.LINE_AA, shift=4)
    mask = cv2.resize(canvas, (w, h), interpolation=cv2.INTER_AREA)
    mask = cv2.GaussianBlur(mask, (0, 0), max(0.5, 0.012 * ipd))
    mask /= max(1e-6, float(mask.max()))
    # Fading out over the last few percent at each end, so it never runs on as a line across the cheek.
    u = np.linspace(-1, 1, w)[None, :]
    mask = mask * np.clip((1 - np.abs(u)) / 0.12, 0, 1)
    out = rgb.copy()
    region = out[y0:y1, x0:x1].astype(np.float32)
    # A warm shadow (red darkens least), not a grey stroke; neutral on a greyscale photo (warmth 0).
    region *= 1 - darkness * mask[..., None] * np.array([1.0 - 0.2 * warmth, 1.0, 1.0], np.float32)
    out[y0:y1, x0:x1] = np.clip(region + 0.5, 0, 255).astype(np.uint8)
    return out


def smooth_curve(pts: np.ndarray, per_segment: int = 6) -> np.ndarray:
    """A centripetal-free (uniform) Catmull-Rom spline through `pts` (n, 2), endpoints kept."""
    if len(pts) < 3:
        return pts
    p = np.concatenate([pts[:1] * 2 - pts[1:2], pts, pts[-1:] * 2 - pts[-2:-1]])
    t = np.linspace(0, 1, per_segment, endpoint=False)[:, None]
    t2, t3 = t * t, t * t * t
    out = []
    for i in range(1, len(p) - 2):
        p0, p1, p2, p3 = p[i - 1], p[i], p[i + 1], p[i + 2]
        out.append(0.5 * (2 * p1 + (-p0 + p2) * t + (2 * p0 - 5 * p1 + 4 * p2 - p3) * t2
                          + (-p0 + 3 * p1 - 3 * p2 + p3) * t3))
    out.append(pts[-1:])
    return np.concatenate(out)

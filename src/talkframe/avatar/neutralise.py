"""Close the photo's mouth once, before rigging, so the rest pose is relaxed and closed.

A smiling photo shows teeth between parted lips; a warp alone stretches the teeth. So: inpaint the gap with lip
texture, pull the inner lip contours together to a seam about 60% down the old gap (moving the lips, fading to zero
around the mouth), and draw a soft, dark seam line that reads as closed lips to the eye and to FaceMesh.
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


SEAM_AT = 0.6
SEAM_DARKNESS = 0.25  # multiplicative darkening where the lips meet
SEAM_WIDTH = 0.03  # IPD


def neutralise_mouth(rgb: np.ndarray, lm: np.ndarray, ipd: float) -> Neutralised:
    c = L.contours()
    up, lo = lm[c["upper_inner"], :2], lm[c["lower_inner"], :2]
    gap = float(np.max(lo[:, 1] - up[:, 1])) / ipd
    seam_inner = up + SEAM_AT * (lo - up)
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
            pix = rgb[y0:y1, x0:x1][inside].astype(np.float32)
            bright = pix.mean(axis=1) > np.percentile(pix.mean(axis=1), 60)
            teeth = pix[bright].mean(axis=0) if bright.sum() > 3 else None
        out, lm2 = _close_lips(rgb, lm, up, lo, seam_inner, ipd, (x0, y0, x1, y1))
    lm2[c["upper_inner"], :2] = seam_inner
    lm2[c["lower_inner"], :2] = seam_inner
    seam = np.concatenate([lm2[[L.MOUTH_LEFT], :2], seam_inner, lm2[[L.MOUTH_RIGHT], :2]])
    if gap > 0.015:
        out = _clean_corners(out, lm2, ipd)
    out = draw_seam(out, seam, ipd)
    return Neutralised(out, lm2, seam, gap, teeth)


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
    a_up, a_lo, reach = 0.35, 0.45, 0.35 * ipd

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
    vuo2, vlo2 = vuo + a_up * gu, vlo - a_lo * gl
    # Upper side: [vuo2, vs] shows the upper lip [vuo, vui - margin]; above, the skin shift fades out.
    t = (vv - vuo2) / np.maximum(vs - vuo2, 1e-3)
    src_up = np.where(vv < vuo2, vv - a_up * gu * _smooth(1 - (vuo2 - vv) / reach),
                      vuo + t * (vui - margin - vuo))
    # Lower side: [vs, vlo2] shows the lower lip [vli + margin, vlo]; below, the shift fades out.
    t = (vv - vs) / np.maximum(vlo2 - vs, 1e-3)
    src_lo = np.where(vv > vlo2, vv + a_lo * gl * _smooth(1 - (vv - vlo2) / reach),
                      vli + margin_lo + t * (vlo - vli - margin_lo))
    region = rgb[y0:y1, x0:x1]
    parts = []
    for sv in (src_up, src_lo):
        mx = (o[0] + uu * ex[0] + sv * ey[0] - x0).astype(np.float32)
        my = (o[1] + uu * ex[1] + sv * ey[1] - y0).astype(np.float32)
        parts.append(cv2.remap(region, mx, my, cv2.INTER_CUBIC, borderMode=cv2.BORDER_REPLICATE).astype(np.float32))
    w_up = np.clip(vs - vv + 0.5, 0, 1)[..., None]  # anti-aliased meeting line
    out = rgb.copy()
    out[y0:y1, x0:x1] = np.clip(parts[0] * w_up + parts[1] * (1 - w_up) + 0.5, 0, 255).astype(np.uint8)
    # Move the landmarks with the same (forward) mapping.
    lm2 = lm.copy()
    pu, pv = local(lm[:, :2])
    vui, vli, vs, vuo, vlo, gu, gl = profile(pu)
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
    dv[e] = -(a_lo * gl[e] + te * (1 - a_lo) * gl[e])
    g = pv > vlo
    dv[g] = -a_lo * gl[g] * _smooth(1 - (pv[g] - vlo[g]) / reach)
    lm2[:, :2] += dv[:, None] * ey[None, :]
    return out, lm2


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


def draw_seam(rgb: np.ndarray, seam: np.ndarray, ipd: float, darkness: float = SEAM_DARKNESS) -> np.ndarray:
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
    # A warm shadow (red darkens least), not a grey stroke.
    region *= 1 - darkness * mask[..., None] * np.array([0.8, 1.0, 1.0], np.float32)
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

"""Close the photo's mouth once, before rigging, so the rest pose is relaxed and closed.

A smiling photo shows teeth between parted lips; a warp alone stretches the teeth. So: inpaint the gap with lip
texture, pull the inner lip contours together to a seam about 60% down the old gap (moving the lips, fading to zero
around the mouth), and draw a soft, dark seam line that reads as closed lips to the eye and to FaceMesh.
"""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np
from scipy.interpolate import RBFInterpolator

from talkframe.avatar import landmarks as L


@dataclass
class Neutralised:
    rgb: np.ndarray  # uint8, the photo with closed lips
    landmarks: np.ndarray  # landmarks moved with the warp; inner lips on the seam
    seam: np.ndarray  # (n, 2) corner-to-corner closed-lip seam in image px
    was_open: float  # the photo's inner-lip gap (IPD) before closing
    teeth_rgb: np.ndarray | None  # mean colour of the photo's visible teeth, if any


SEAM_AT = 0.6


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
        mask = cv2.dilate(mask, np.ones((3, 3), np.uint8))
        box = np.ascontiguousarray(out[y0:y1, x0:x1])
        box = cv2.inpaint(box, mask[y0:y1, x0:x1], max(2.0, 0.06 * ipd), cv2.INPAINT_TELEA)
        out[y0:y1, x0:x1] = box
        out, lm2 = _close_warp(out, lm, up, lo, seam_inner, ipd, (x0, y0, x1, y1))
    lm2[c["upper_inner"], :2] = seam_inner
    lm2[c["lower_inner"], :2] = seam_inner
    seam = np.concatenate([lm2[[L.MOUTH_LEFT], :2], seam_inner, lm2[[L.MOUTH_RIGHT], :2]])
    out = draw_seam(out, seam, ipd)
    return Neutralised(out, lm2, seam, gap, teeth)


def _close_warp(rgb: np.ndarray, lm: np.ndarray, up: np.ndarray, lo: np.ndarray, seam: np.ndarray, ipd: float,
                box: tuple[int, int, int, int]) -> tuple[np.ndarray, np.ndarray]:
    """Thin-plate warp of the mouth box moving the inner lips onto the seam (lips thicken, surroundings stay)."""
    c = L.contours()
    x0, y0, x1, y1 = box
    d_up, d_lo = seam - up, seam - lo
    # The lips follow their inner edges (most of the way, they are soft); anchors around the mouth stay put.
    uo, lo_o = lm[c["upper_outer"][1:-1], :2], lm[c["lower_outer"][1:-1], :2]
    d_uo = np.stack([np.zeros(len(uo)), np.interp(uo[:, 0], up[:, 0], d_up[:, 1]) * 0.35], 1)
    d_lo_o = np.stack([np.zeros(len(lo_o)), np.interp(lo_o[:, 0], lo[:, 0], d_lo[:, 1]) * 0.45], 1)
    cx, cy = seam.mean(axis=0)
    hw = 0.5 * float(np.linalg.norm(lm[L.MOUTH_RIGHT, :2] - lm[L.MOUTH_LEFT, :2]))
    ang = np.linspace(0, 2 * np.pi, 24, endpoint=False)
    ring = np.stack([cx + (hw + 0.4 * ipd) * np.cos(ang), cy + 0.62 * ipd * np.sin(ang)], 1)
    corners = lm[[L.MOUTH_LEFT, L.MOUTH_RIGHT], :2]
    src = np.concatenate([up[1:-1], lo[1:-1], uo, lo_o, ring, corners])
    disp = np.concatenate([d_up[1:-1], d_lo[1:-1], d_uo, d_lo_o, np.zeros((len(ring) + 2, 2))])
    rbf = RBFInterpolator(src, disp, kernel="thin_plate_spline", smoothing=0.5)
    ys, xs = np.mgrid[y0:y1, x0:x1].astype(np.float64)
    grid = np.stack([xs.ravel(), ys.ravel()], 1)
    # Fade the spline to exactly zero well inside the box, so nothing moves at its border.
    rx = (xs - cx) / (hw + 0.55 * ipd)
    ry = (ys - cy) / (0.8 * ipd)
    r = np.sqrt(rx * rx + ry * ry)
    win = np.clip((1.0 - r) / 0.35, 0, 1)
    win = win * win * (3 - 2 * win)
    fwd = rbf(grid).reshape(ys.shape + (2,)) * win[..., None]
    # Invert y = x + D(x) by fixed-point steps x <- y - D(x).
    mx, my = xs.copy(), ys.copy()
    fx, fy = fwd[..., 0].astype(np.float32), fwd[..., 1].astype(np.float32)
    for _ in range(12):
        ix = (mx - x0).astype(np.float32)
        iy = (my - y0).astype(np.float32)
        dx = cv2.remap(fx, ix, iy, cv2.INTER_LINEAR, borderMode=cv2.BORDER_REPLICATE)
        dy = cv2.remap(fy, ix, iy, cv2.INTER_LINEAR, borderMode=cv2.BORDER_REPLICATE)
        mx, my = xs - dx, ys - dy
    out = rgb.copy()
    out[y0:y1, x0:x1] = cv2.remap(rgb, mx.astype(np.float32), my.astype(np.float32), cv2.INTER_CUBIC,
                                  borderMode=cv2.BORDER_REPLICATE)
    lm2 = lm.copy()
    near = (lm[:, 0] >= x0) & (lm[:, 0] < x1) & (lm[:, 1] >= y0) & (lm[:, 1] < y1)
    p = lm[near, :2]
    r = np.sqrt(((p[:, 0] - cx) / (hw + 0.55 * ipd)) ** 2 + ((p[:, 1] - cy) / (0.8 * ipd)) ** 2)
    w = np.clip((1.0 - r) / 0.35, 0, 1)
    lm2[near, :2] += rbf(p) * (w * w * (3 - 2 * w))[:, None]
    return out, lm2


def draw_seam(rgb: np.ndarray, seam: np.ndarray, ipd: float, darkness: float = 0.5) -> np.ndarray:
    """An anti-aliased dark line where the lips meet, slightly stronger toward the corners."""
    ss = 4
    x0, y0 = np.floor(seam.min(axis=0) - 4).astype(int)
    x1, y1 = np.ceil(seam.max(axis=0) + 4).astype(int)
    x0, y0 = max(0, x0), max(0, y0)
    x1, y1 = min(rgb.shape[1], x1), min(rgb.shape[0], y1)
    h, w = y1 - y0, x1 - x0
    canvas = np.zeros((h * ss, w * ss), np.float32)
    pts = np.round(((seam - [x0, y0] + 0.5) * ss - 0.5) * 16).astype(np.int32)
    thick = max(1, int(round(max(0.9, 0.024 * ipd) * ss)))
    cv2.polylines(canvas, [pts], False, 1.0, thick, cv2.LINE_AA, shift=4)
    mask = cv2.resize(canvas, (w, h), interpolation=cv2.INTER_AREA)
    mask = cv2.GaussianBlur(mask, (0, 0), max(0.3, 0.008 * ipd))
    # Stronger toward the corners (the commissures sit in shadow), lighter mid-mouth.
    u = np.linspace(-1, 1, w)[None, :]
    mask = np.clip(mask * (0.8 + 0.35 * u * u), 0, 1)
    out = rgb.copy()
    region = out[y0:y1, x0:x1].astype(np.float32)
    region *= (1 - darkness * mask)[..., None]
    out[y0:y1, x0:x1] = np.clip(region + 0.5, 0, 255).astype(np.uint8)
    return out

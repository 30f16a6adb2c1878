"""Anti-aliased vector primitives on premultiplied RGBA canvases, in resolution-free design units.

Shapes are described once in design units (a 750 x 1000 portrait) and drawn at the target pixel size, so a
presenter is as crisp at 4K as at 720p. OpenCV's LINE_AA polygon fill with 4 sub-pixel bits blends an opaque
colour as `dst = colour * a + dst * (1 - a)` on every channel, which is exactly premultiplied "over": drawing
opaque shapes back to front on a zeroed canvas yields a premultiplied layer whose alpha is the silhouette.
"""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np

Color = tuple[int, int, int]
SHIFT = 4  # sub-pixel bits for cv2 drawing
DESIGN_W, DESIGN_H = 750.0, 1000.0


@dataclass(frozen=True)
class Pen:
    """Maps design units to the pixels of one canvas: pixel = design * scale - origin."""

    scale: float
    origin: tuple[float, float] = (0.0, 0.0)

    def px(self, pts: np.ndarray) -> np.ndarray:
        p = np.asarray(pts, np.float64) * self.scale
        return p - np.asarray(self.origin, np.float64)

    def fill(self, canvas: np.ndarray, pts: np.ndarray, color: Color) -> None:
        """Opaque anti-aliased polygon (any winding)."""
        fill_px(canvas, self.px(pts), color)

    def stroke(self, canvas: np.ndarray, pts: np.ndarray, color: Color, width: float, closed: bool = False) -> None:
        """Opaque anti-aliased polyline of `width` design units (round joins, as a filled ribbon of discs)."""
        stroke_px(canvas, self.px(pts), color, width * self.scale, closed)

    def soft(self, canvas: np.ndarray, pts: np.ndarray, color: Color, opacity: float, blur: float = 0.0,
             clip: np.ndarray | None = None) -> None:
        """A translucent (optionally feathered by `blur` design units) shape, for shading and blush; `clip`
        (a polygon) keeps the feathering from spilling onto neighbouring parts."""
        soft_px(canvas, self.px(pts), color, opacity, blur * self.scale, None if clip is None else self.px(clip))


def _fixed(p: np.ndarray) -> np.ndarray:
    return np.round(p * (1 << SHIFT)).astype(np.int32).reshape(-1, 1, 2)


def fill_px(canvas: np.ndarray, p: np.ndarray, color: Color) -> None:
    if len(p) >= 3:
        cv2.fillPoly(canvas, [_fixed(p)], (*color, 255), cv2.LINE_AA, shift=SHIFT)


def stroke_px(canvas: np.ndarray, p: np.ndarray, color: Color, width: float, closed: bool = False) -> None:
    if len(p) < 2:
        return
    t = max(1, int(round(width)))
    cv2.polylines(canvas, [_fixed(p)], closed, (*color, 255), t, cv2.LINE_AA, shift=SHIFT)


def soft_px(canvas: np.ndarray, p: np.ndarray, color: Color, opacity: float, blur: float = 0.0,
            clip: np.ndarray | None = None) -> None:
    """Blend `color` at `opacity` through an anti-aliased (and feathered) mask, only inside the shape's box,
    and only where the canvas is already painted (shading never grows the silhouette)."""
    pad = int(np.ceil(3 * blur)) + 2
    h, w = canvas.shape[:2]
    x0, y0 = np.floor(p.min(0)).astype(int) - pad
    x1, y1 = np.ceil(p.max(0)).astype(int) + pad
    x0, y0, x1, y1 = max(0, x0), max(0, y0), min(w, x1), min(h, y1)
    if x1 <= x0 or y1 <= y0:
        return
    mask = np.zeros((y1 - y0, x1 - x0), np.uint8)
    cv2.fillPoly(mask, [_fixed(p - (x0, y0))], 255, cv2.LINE_AA, shift=SHIFT)
    if blur > 0.5:
        mask = cv2.GaussianBlur(mask, (0, 0), blur)
    a = mask.astype(np.float32) * (opacity / 255.0)
    if clip is not None:
        keep = np.zeros_like(mask)
        cv2.fillPoly(keep, [_fixed(clip - (x0, y0))], 255, cv2.LINE_AA, shift=SHIFT)
        a *= keep.astype(np.float32) / 255.0
    region = canvas[y0:y1, x0:x1].astype(np.float32)
    a = a[..., None]
    region[..., :3] = region[..., :3] * (1 - a) + np.asarray(color, np.float32) * a * (region[..., 3:4] / 255.0)
    canvas[y0:y1, x0:x1] = np.clip(region + 0.5, 0, 255).astype(np.uint8)


def over(dst: np.ndarray, src: np.ndarray) -> None:
    """dst = src over dst, in place, both premultiplied RGBA of the same size."""
    inv = 255 - src[..., 3]
    dst[:] = cv2.add(src, cv2.multiply(dst, cv2.merge([inv] * 4), scale=1 / 255))


def ellipse(cx: float, cy: float, rx: float, ry: float, n: int = 72, a0: float = 0.0, a1: float = 2 * np.pi,
            rot: float = 0.0) -> np.ndarray:
    """Points on an ellipse (or an arc of it from angle a0 to a1), optionally rotated by `rot` radians."""
    t = np.linspace(a0, a1, n, endpoint=(a1 - a0) < 2 * np.pi - 1e-9)
    x, y = rx * np.cos(t), ry * np.sin(t)
    c, s = np.cos(rot), np.sin(rot)
    return np.stack([cx + c * x - s * y, cy + s * x + c * y], 1)


def spline(points: list[tuple[float, float]] | np.ndarray, closed: bool = True, n: int = 12) -> np.ndarray:
    """A smooth Catmull-Rom curve through `points`, `n` samples per span: organic outlines from few numbers."""
    p = np.asarray(points, np.float64)
    m = len(p)
    if closed:
        ext = np.concatenate([p[-1:], p, p[:2]])
        spans = m
    else:
        ext = np.concatenate([2 * p[:1] - p[1:2], p, 2 * p[-1:] - p[-2:-1]])
        spans = m - 1
    t = np.linspace(0, 1, n, endpoint=False)[:, None]
    out = []
    for i in range(spans):
        p0, p1, p2, p3 = ext[i], ext[i + 1], ext[i + 2], ext[i + 3]
        out.append(0.5 * ((2 * p1) + (-p0 + p2) * t + (2 * p0 - 5 * p1 + 4 * p2 - p3) * t**2
                          + (-p0 + 3 * p1 - 3 * p2 + p3) * t**3))
    if not closed:
        out.append(p[-1:])
    return np.concatenate(out)


def premultiplied_to_straight(rgba: np.ndarray) -> np.ndarray:
    """Un-premultiply (colour * 255 / alpha, 0 where alpha is 0): only the anti-aliased rim actually changes."""
    a = np.ascontiguousarray(rgba[..., 3])
    out = cv2.divide(rgba, cv2.merge([a] * 4), scale=255)
    out[..., 3] = a
    return out

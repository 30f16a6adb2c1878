"""Alpha blending in 8-bit integer arithmetic (OpenCV), touching only the pixels under a sprite.

Per-frame compositing at 4K cannot afford full-frame float math; these helpers work on a region of the canvas in
place with saturating uint8 operations (error at most 1 level against exact rounding).
"""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np

from talkframe.compose.fit import Rect

BAND = 32  # rows per band when looking for opaque and transparent runs


Run = tuple[int, int, int, int, bool]  # y0, y1, x0, x1, opaque (else: blend)


def blend_into(region: np.ndarray, rgb: np.ndarray, alpha: np.ndarray, runs: list[Run] | None = None) -> None:
    """region = rgb * a + region * (1 - a), in place; `alpha` is HxW uint8 (255 = opaque).

    `runs` (from `plan_runs(alpha)`) may be passed when the same matte is used for many frames (a circle mask).
    """
    h, w = alpha.shape
    if runs is None and h * w < 128 * 128:
        _blend_dense(region, rgb, alpha)
        return
    for y0, y1, x0, x1, opaque in plan_runs(alpha) if runs is None else runs:
        if opaque:
            region[y0:y1, x0:x1] = rgb[y0:y1, x0:x1]
        else:
            _blend_dense(region[y0:y1, x0:x1], rgb[y0:y1, x0:x1], alpha[y0:y1, x0:x1])


def plan_runs(alpha: np.ndarray) -> list[Run]:
    """Split a matte into bands of rows and those into column runs to copy (opaque) or blend (soft).

    A matte is mostly 0 or 255 with a thin soft edge, so skipping transparent runs and copying opaque ones leaves
    the arithmetic to the edge alone.
    """
    h, w = alpha.shape
    runs: list[Run] = []
    for y0 in range(0, h, BAND):
        y1 = min(h, y0 + BAND)
        a = alpha[y0:y1]
        lo = cv2.reduce(a, 0, cv2.REDUCE_MIN).ravel()
        hi = cv2.reduce(a, 0, cv2.REDUCE_MAX).ravel()
        kind = np.where(hi == 0, 0, np.where(lo == 255, 1, 2)).astype(np.int8)
        cuts = np.flatnonzero(np.diff(kind)) + 1
        if len(cuts) > 32:  # a speckled matte: one dense blend of the band beats many tiny runs
            runs.append((y0, y1, 0, w, False))
            continue
        for s, e in zip(np.r_[0, cuts], np.r_[cuts, w], strict=True):
            if kind[s]:
                runs.append((y0, y1, int(s), int(e), bool(kind[s] == 1)))
    return runs


def _blend_dense(region: np.ndarray, rgb: np.ndarray, alpha: np.ndarray) -> None:
    a3 = cv2.cvtColor(np.ascontiguousarray(alpha), cv2.COLOR_GRAY2RGB)
    fg = cv2.multiply(np.ascontiguousarray(rgb), a3, scale=1 / 255)
    bg = cv2.multiply(np.ascontiguousarray(region), cv2.bitwise_not(a3), scale=1 / 255)
    region[...] = cv2.add(fg, bg)


def blend_color_into(region: np.ndarray, color: tuple[int, int, int], alpha: np.ndarray) -> None:
    """Blend a flat colour through `alpha` (a circle fill, a text glyph mask)."""
    flat = np.empty_like(region)
    flat[:] = color
    blend_into(region, flat, alpha)


def mul_alpha(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """a * b / 255 for two uint8 masks (e.g. an avatar matte through a circle)."""
    return cv2.multiply(a, b, scale=1 / 255)


@dataclass(frozen=True)
class Sprite:
    """An RGBA picture already placed on the canvas (clipped to it): text, the watermark."""

    rect: Rect
    rgb: np.ndarray
    alpha: np.ndarray

    def draw(self, canvas: np.ndarray, within: Rect | None = None) -> None:
        """Blend onto `canvas`; with `within`, only the part inside that rectangle."""
        r = self.rect
        x0, y0, x1, y1 = r.x, r.y, r.x1, r.y1
        if within is not None:
            x0, y0 = max(x0, within.x), max(y0, within.y)
            x1, y1 = min(x1, within.x1), min(y1, within.y1)
        if x1 <= x0 or y1 <= y0:
            return
        sx, sy = x0 - r.x, y0 - r.y
        rows, cols = slice(sy, sy + y1 - y0), slice(sx, sx + x1 - x0)
        blend_into(canvas[y0:y1, x0:x1], self.rgb[rows, cols], self.alpha[rows, cols])


def sprite_from_rgba(rgba: np.ndarray, x: int, y: int, canvas: tuple[int, int]) -> Sprite | None:
    """Place an RGBA image with its top-left at (x, y), cropped to the canvas and to its non-transparent area."""
    h, w = rgba.shape[:2]
    x0, y0 = max(0, x), max(0, y)
    x1, y1 = min(canvas[0], x + w), min(canvas[1], y + h)
    if x1 <= x0 or y1 <= y0:
        return None
    part = rgba[y0 - y : y1 - y, x0 - x : x1 - x]
    ys, xs = np.nonzero(part[..., 3])
    if len(xs) == 0:
        return None
    bx0, bx1, by0, by1 = xs.min(), xs.max() + 1, ys.min(), ys.max() + 1
    part = part[by0:by1, bx0:bx1]
    rect = Rect(int(x0 + bx0), int(y0 + by0), int(bx1 - bx0), int(by1 - by0))
    return Sprite(rect, np.ascontiguousarray(part[..., :3]), np.ascontiguousarray(part[..., 3]))

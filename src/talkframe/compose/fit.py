"""How a background image or video frame of any size is fitted to the canvas (`background.fit`).

The four modes, all centred on the canvas:

- `cover`   scale uniformly until the canvas is filled, then crop the overflow equally on both sides.
- `contain` scale uniformly until the whole picture fits; the bars left over (letterbox or pillarbox) show the
            fill colour (the default background colour, `#f6f6fc`).
- `crop`    no scaling: one source pixel is one output pixel; the centre of the picture is cut out to the
            canvas, and a picture smaller than the canvas is framed by the fill colour. This is the one mode whose
            look depends on the output resolution, by definition.
- `none`    stretch both axes independently to exactly the canvas (the aspect ratio is not kept).

The geometry is computed once per scene (`FitGeometry`), so fitting a video frame costs one crop and one resize.
"""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np

FIT_MODES = ("cover", "contain", "crop", "none")


@dataclass(frozen=True)
class Rect:
    x: int
    y: int
    w: int
    h: int

    @property
    def x1(self) -> int:
        return self.x + self.w

    @property
    def y1(self) -> int:
        return self.y + self.h


@dataclass(frozen=True)
class FitGeometry:
    """`src` (a window of the source picture) is resized to `dst` (a rectangle inside the canvas)."""

    src: Rect
    dst: Rect
    canvas: tuple[int, int]

    @property
    def fills_canvas(self) -> bool:
        w, h = self.canvas
        return self.dst == Rect(0, 0, w, h)


def fit_geometry(source: tuple[int, int], canvas: tuple[int, int], fit: str) -> FitGeometry:
    """The crop window and destination rectangle for `fit` (unknown modes behave as `cover`)."""
    iw, ih = source
    w, h = canvas
    if fit == "none":
        return FitGeometry(Rect(0, 0, iw, ih), Rect(0, 0, w, h), canvas)
    if fit == "crop":
        sw, sh = min(iw, w), min(ih, h)
        src = Rect((iw - sw) // 2, (ih - sh) // 2, sw, sh)
        return FitGeometry(src, Rect((w - sw) // 2, (h - sh) // 2, sw, sh), canvas)
    if fit == "contain":
        s = min(w / iw, h / ih)
        dw, dh = min(w, max(1, round(iw * s))), min(h, max(1, round(ih * s)))
        return FitGeometry(Rect(0, 0, iw, ih), Rect((w - dw) // 2, (h - dh) // 2, dw, dh), canvas)
    s = max(w / iw, h / ih)
    sw, sh = min(iw, max(1, round(w / s))), min(ih, max(1, round(h / s)))
    return FitGeometry(Rect((iw - sw) // 2, (ih - sh) // 2, sw, sh), Rect(0, 0, w, h), canvas)


class Fitter:
    """Applies one `FitGeometry` to many frames of the same source size (a video background)."""

    def __init__(self, source: tuple[int, int], canvas: tuple[int, int], fit: str,
                 fill: tuple[int, int, int]) -> None:
        self.geometry = fit_geometry(source, canvas, fit)
        w, h = canvas
        self.blank = np.empty((h, w, 3), np.uint8)
        self.blank[:] = fill
        src, dst = self.geometry.src, self.geometry.dst
        shrinking = dst.w < src.w or dst.h < src.h
        self.interpolation = cv2.INTER_AREA if shrinking else cv2.INTER_LINEAR

    def __call__(self, rgb: np.ndarray) -> np.ndarray:
        g = self.geometry
        window = rgb[g.src.y : g.src.y1, g.src.x : g.src.x1]
        if (g.src.w, g.src.h) == (g.dst.w, g.dst.h):
            resized = window
        else:
            resized = cv2.resize(window, (g.dst.w, g.dst.h), interpolation=self.interpolation)
        if g.fills_canvas:
            return np.ascontiguousarray(resized)
        out = self.blank.copy()
        out[g.dst.y : g.dst.y1, g.dst.x : g.dst.x1] = resized
        return out


def fit_image(rgb: np.ndarray, size: tuple[int, int], fit: str,
              fill: tuple[int, int, int] = (0xF6, 0xF6, 0xFC)) -> np.ndarray:
    """Fit one RGB picture to a canvas of `size` (w, h)."""
    return Fitter((rgb.shape[1], rgb.shape[0]), size, fit, fill)(rgb)

"""Neck, shoulders and clothes (design units). The body never moves; the neck moves with the head under it."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from talkframe.presenters.catalog import Look
from talkframe.presenters.draw import Pen, ellipse, spline
from talkframe.presenters.face import mix
from talkframe.presenters.hair import sym

CX = 375.0
OutfitFn = Callable[[np.ndarray, Pen, Look], None]


def draw_neck(canvas: np.ndarray, pen: Pen, look: Look) -> None:
    """The neck (on the moving back layer) with the chin's shadow."""
    neck = spline(sym([(330, 470), (328, 560), (324, 640), (316, 700), (312, 760)]), True, 6)
    pen.fill(canvas, neck, look.skin)
    pen.soft(canvas, ellipse(CX, 560, 66, 42), look.skin_shade, 0.9, blur=8, clip=neck)


def draw_body(canvas: np.ndarray, pen: Pen, look: Look) -> None:
    """Shoulders in the outfit's colour, then the outfit's neckline and details."""
    body = spline(sym([(322, 640), (240, 668), (150, 700), (96, 744), (66, 808), (50, 900), (44, 1040), (44, 1200)]),
                  True, 10)
    pen.fill(canvas, body, look.top)
    for side in (-1, 1):
        arm = [(CX + side * (CX - x), y) for x, y in [(58, 1200), (66, 840), (96, 760), (116, 800), (108, 1200)]]
        pen.soft(canvas, spline(arm, True, 6), look.top_shade, 0.8, blur=10)
        seam = [(CX + side * (CX - x), y) for x, y in [(118, 728), (112, 820), (110, 1000)]]
        pen.stroke(canvas, spline(seam, False, 6), look.top_shade, 2.5)
    OUTFITS[look.outfit](canvas, pen, look)


def _side(side: int, left: list[tuple[float, float]]) -> list[tuple[float, float]]:
    """Left-half points (side -1) or their mirror image (side +1)."""
    return [(2 * CX - x, y) for x, y in left] if side > 0 else list(left)


def _skin_v(canvas: np.ndarray, pen: Pen, look: Look, depth: float, half: float) -> np.ndarray:
    v = spline([(CX - half - 14, 610), (CX - half, 646), (CX - half * 0.45, depth - 40), (CX, depth),
                (CX + half * 0.45, depth - 40), (CX + half, 646), (CX + half + 14, 610)], False, 6)
    pen.fill(canvas, v, look.skin)
    pen.soft(canvas, ellipse(CX, 650, 50, 18), look.skin_shade, 0.5, blur=6)
    return v[1:-1]


def blouse(canvas: np.ndarray, pen: Pen, look: Look) -> None:
    edge = _skin_v(canvas, pen, look, 712, 60)
    pen.stroke(canvas, edge, look.top_shade, 7)
    pen.soft(canvas, spline([(250, 860), (375, 900), (500, 860), (470, 1040), (280, 1040)], True, 6),
             look.top_shade, 0.35, blur=14)


def blazer(canvas: np.ndarray, pen: Pen, look: Look) -> None:
    pen.fill(canvas, spline([(314, 630), (318, 700), (375, 880), (432, 700), (436, 630), (375, 650)], True, 6),
             look.accent)
    _skin_v(canvas, pen, look, 700, 46)
    for side in (-1, 1):
        collar = _side(side, [(318, 630), (304, 672), (316, 712), (356, 700), (344, 668)])
        pen.fill(canvas, spline(collar, True, 4), mix(look.accent, (0, 0, 0), 0.06))
        pen.stroke(canvas, spline(collar, True, 4), mix(look.accent, (0, 0, 0), 0.2), 1.6, closed=True)
        lapel = _side(side, [(300, 650), (270, 700), (296, 760), (282, 790), (372, 900), (330, 760), (312, 700)])
        pen.fill(canvas, np.asarray(lapel, float), look.top_shade)
    pen.fill(canvas, ellipse(CX, 930, 8, 8), look.top_shade)
    pen.stroke(canvas, spline([(CX, 880), (CX, 1040)], False, 2), look.top_shade, 2.5)


def vneck(canvas: np.ndarray, pen: Pen, look: Look) -> None:
    edge = _skin_v(canvas, pen, look, 770, 58)
    pen.stroke(canvas, edge, look.top_shade, 10)
    pen.stroke(canvas, edge + (0, 9), mix(look.top, look.top_shade, 0.5), 3)


def sweater(canvas: np.ndarray, pen: Pen, look: Look) -> None:
    _skin_v(canvas, pen, look, 680, 50)
    rib = spline([(CX - 66, 640), (CX - 40, 676), (CX, 688), (CX + 40, 676), (CX + 66, 640)], False, 6)
    for side in (-1, 1):
        collar = [(CX + side * (CX - x), y) for x, y in [(312, 632), (300, 690), (368, 700), (346, 664)]]
        pen.fill(canvas, spline(collar, True, 4), look.accent)
        pen.stroke(canvas, spline(collar, True, 4), mix(look.accent, (0, 0, 0), 0.25), 1.6, closed=True)
    pen.stroke(canvas, rib + (0, 10), look.top_shade, 14)
    pen.fill(canvas, spline([(CX - 9, 690), (CX + 9, 690), (CX + 8, 720), (CX - 8, 720)], True, 3), look.accent)


def tshirt(canvas: np.ndarray, pen: Pen, look: Look) -> None:
    edge = _skin_v(canvas, pen, look, 684, 54)
    pen.stroke(canvas, edge, look.top_shade, 11)


def turtleneck(canvas: np.ndarray, pen: Pen, look: Look) -> None:
    band = spline(sym([(324, 572), (322, 620), (310, 664), (290, 690)]), True, 6)
    pen.fill(canvas, band, look.top)
    for y in (596, 622, 648):
        pen.stroke(canvas, spline([(CX - 48, y), (CX, y + 6), (CX + 48, y)], False, 6), look.top_shade, 2.5)
    pen.soft(canvas, ellipse(CX, 690, 90, 18), look.top_shade, 0.5, blur=8)


OUTFITS: dict[str, OutfitFn] = {"blouse": blouse, "blazer": blazer, "vneck": vneck, "sweater": sweater,
                                "tshirt": tshirt, "turtleneck": turtleneck}

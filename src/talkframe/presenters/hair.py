"""Hair styles: each draws the hair behind the head (moves with the head, under the body) and the hair in front of
the face (over the forehead and cheeks), in design units. Shapes are closed Catmull-Rom outlines."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from talkframe.presenters.catalog import Look
from talkframe.presenters.draw import Pen, ellipse, spline

CX = 375.0
HairFn = Callable[[np.ndarray, np.ndarray, Pen, Look], None]


def sym(left: list[tuple[float, float]]) -> list[tuple[float, float]]:
    """A closed outline symmetric about the centre line from its left half (listed top to bottom)."""
    return list(left) + [(2 * CX - x, y) for x, y in reversed(left)]


def _shine(canvas: np.ndarray, pen: Pen, look: Look, pts: list[tuple[float, float]], opacity: float = 0.35,
           clip: np.ndarray | None = None) -> None:
    light = tuple(min(255, int(c * 1.35 + 40)) for c in look.hair)
    pen.soft(canvas, spline(pts, True, 8), light, opacity, blur=5, clip=clip)  # type: ignore[arg-type]


def long(back: np.ndarray, front: np.ndarray, pen: Pen, look: Look) -> None:
    pen.fill(back, spline(sym([(335, 140), (262, 160), (206, 222), (184, 320), (182, 440), (180, 560), (172, 680),
                               (180, 770), (250, 792)]), True, 10), look.hair_shade)
    pts = [(206, 650), (194, 520), (198, 380), (212, 272), (250, 196), (320, 150), (400, 144), (478, 166),
           (534, 226), (552, 330), (556, 460), (562, 600), (544, 668), (520, 600), (516, 470), (512, 360),
           (494, 282), (446, 240), (390, 224), (340, 206), (300, 236), (262, 292), (246, 400), (240, 530),
           (228, 640)]
    shape = spline(pts, True, 10)
    pen.fill(front, shape, look.hair)
    _shine(front, pen, look, [(290, 178), (360, 158), (440, 168), (420, 184), (350, 176), (300, 196)], clip=shape)
    pen.soft(front, spline([(520, 320), (540, 430), (546, 560), (530, 600), (524, 460)], True, 8),
             look.hair_shade, 0.5, blur=4, clip=shape)


def crop(back: np.ndarray, front: np.ndarray, pen: Pen, look: Look) -> None:
    pts = [(228, 372), (216, 310), (222, 240), (262, 182), (330, 154), (420, 154), (488, 182), (528, 240),
           (534, 310), (522, 372), (512, 372), (510, 318), (498, 266), (468, 240), (420, 230), (375, 228),
           (330, 230), (282, 240), (252, 266), (240, 318), (238, 372)]
    shape = spline(pts, True, 8)
    pen.fill(front, shape, look.hair)
    _shine(front, pen, look, [(300, 180), (375, 168), (450, 180), (420, 196), (330, 196)], 0.22, clip=shape)


def bun(back: np.ndarray, front: np.ndarray, pen: Pen, look: Look) -> None:
    pen.fill(back, ellipse(CX, 150, 66, 56), look.hair_shade)
    pen.fill(back, ellipse(CX, 318, 166, 166), look.hair_shade)
    pts = [(224, 404), (214, 300), (236, 212), (300, 164), (375, 152), (450, 164), (514, 212), (536, 300),
           (526, 404), (512, 398), (506, 318), (482, 258), (428, 228), (378, 226), (372, 226), (322, 228),
           (268, 258), (244, 318), (238, 398)]
    shape = spline(pts, True, 8)
    pen.fill(front, shape, look.hair)
    pen.fill(front, ellipse(CX, 146, 56, 46), look.hair)
    _shine(front, pen, look, [(280, 200), (330, 170), (360, 172), (320, 196)], 0.3, clip=shape)
    _shine(front, pen, look, [(470, 200), (420, 170), (390, 172), (430, 196)], 0.3, clip=shape)
    pen.soft(front, ellipse(CX - 14, 130, 26, 12), (255, 255, 255), 0.12, blur=4, clip=shape)


def side_part(back: np.ndarray, front: np.ndarray, pen: Pen, look: Look) -> None:
    pen.fill(back, ellipse(CX, 310, 158, 150), look.hair_shade)
    pts = [(226, 384), (212, 300), (222, 220), (268, 164), (345, 134), (430, 138), (498, 168), (536, 222),
           (542, 300), (528, 384), (516, 384), (512, 320), (502, 282), (470, 270), (430, 252), (380, 236),
           (330, 224), (300, 222), (266, 250), (244, 310), (238, 384)]
    shape = spline(pts, True, 8)
    pen.fill(front, shape, look.hair)
    _shine(front, pen, look, [(330, 160), (420, 150), (490, 186), (470, 200), (410, 176), (340, 178)], 0.28, clip=shape)
    pen.stroke(front, spline([(300, 160), (306, 190), (300, 222)], False, 6), look.hair_shade, 3.0)


def afro(back: np.ndarray, front: np.ndarray, pen: Pen, look: Look) -> None:
    def outline(r: float, a0: float, a1: float) -> np.ndarray:
        th = np.linspace(a0, a1, 220)
        rr = r * (1 + 0.022 * np.sin(17 * th))
        return np.stack([CX + rr * np.cos(th), 292 + 0.94 * rr * np.sin(th)], 1)

    pen.fill(back, outline(205, 0, 2 * np.pi), look.hair)
    hairline = spline([(512, 372), (508, 300), (486, 250), (430, 220), (375, 214), (320, 220), (264, 250),
                       (242, 300), (238, 372)], False, 8)
    shape = np.concatenate([outline(205, np.radians(168), np.radians(372)), hairline])
    pen.fill(front, shape, look.hair)
    for k, (x, y) in enumerate([(300, 170), (420, 160), (480, 230), (260, 250), (360, 120), (470, 330)]):
        pen.soft(front, ellipse(x, y, 34, 22, rot=0.5 * k), look.hair_shade, 0.9, blur=8, clip=shape)
    _shine(front, pen, look, [(280, 150), (360, 118), (440, 126), (400, 140), (320, 150)], 0.18, clip=shape)


def swept(back: np.ndarray, front: np.ndarray, pen: Pen, look: Look) -> None:
    pen.fill(back, ellipse(CX, 310, 156, 150), look.hair_shade)
    pts = [(226, 366), (214, 282), (232, 200), (288, 144), (362, 112), (446, 118), (510, 156), (538, 226),
           (540, 300), (528, 366), (516, 366), (512, 302), (496, 254), (452, 240), (398, 244), (340, 234),
           (290, 246), (254, 290), (240, 366)]
    shape = spline(pts, True, 8)
    pen.fill(front, shape, look.hair)
    for off in (0, 30, 60):
        streak = spline([(300 + off, 200), (350 + off, 150), (420 + off, 140), (370 + off, 160)], True, 6)
        pen.soft(front, streak, look.hair_shade, 0.45, blur=3, clip=shape)
    _shine(front, pen, look, [(330, 140), (400, 124), (460, 140), (400, 150)], 0.35, clip=shape)


def bob(back: np.ndarray, front: np.ndarray, pen: Pen, look: Look) -> None:
    pen.fill(back, spline(sym([(330, 150), (255, 170), (204, 240), (190, 340), (192, 450), (198, 540), (228, 592),
                               (300, 604)]), True, 10), look.hair_shade)
    pts = [(208, 574), (192, 450), (194, 320), (220, 218), (290, 160), (375, 146), (460, 160), (530, 218),
           (556, 320), (558, 450), (542, 574), (518, 576), (520, 470), (518, 362), (508, 306), (450, 298),
           (375, 296), (300, 298), (242, 306), (232, 362), (230, 470), (232, 576)]
    shape = spline(pts, True, 8)
    pen.fill(front, shape, look.hair)
    _shine(front, pen, look, [(260, 210), (330, 170), (420, 168), (480, 200), (420, 188), (330, 190)], 0.3, clip=shape)
    for x in (300, 360, 420):
        pen.stroke(front, spline([(x + 6, 240), (x, 270), (x - 4, 294)], False, 5), look.hair_shade, 2.5)


def receding(back: np.ndarray, front: np.ndarray, pen: Pen, look: Look) -> None:
    pen.fill(back, ellipse(CX, 330, 154, 142), look.hair_shade)
    for side in (-1, 1):
        patch = [(CX + side * (CX - x), y) for x, y in
                 [(224, 414), (212, 340), (220, 270), (252, 222), (268, 240), (254, 300), (244, 360), (240, 414)]]
        pen.fill(front, spline(patch, True, 8), look.hair)
    pen.soft(front, spline([(280, 200), (340, 176), (410, 176), (470, 200), (420, 192), (330, 192)], True, 8),
             look.hair, 0.45, blur=4)


HAIR: dict[str, HairFn] = {"long": long, "crop": crop, "bun": bun, "side_part": side_part, "afro": afro,
                           "swept": swept, "bob": bob, "receding": receding}

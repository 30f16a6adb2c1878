"""The face: a static head layer (skin, ears, cheeks) and the parts redrawn every frame (eyes, brows, nose, mouth).

Per-frame parts are drawn as vectors straight into the output at the target size, after the head's affine map,
so the mouth and eyes stay sharp whatever the resolution; their shapes come only from the motion tracks.
"""

from __future__ import annotations

import functools

import numpy as np

from talkframe.motion.pose import Pose
from talkframe.presenters.catalog import Look
from talkframe.presenters.draw import Color, Pen, ellipse, fill_px, spline, stroke_px
from talkframe.presenters.pose import IPD, parallax

CX = 375.0
EYE_Y = 372.0
EYE_DX = IPD / 2
EYE_HW, EYE_UP, EYE_DOWN = 25.0, 15.0, 9.0
IRIS_R, PUPIL_R = 12.0, 5.8
MOUTH = (CX, 502.0)
MOUTH_HW = 42.0
JAW_GAIN = 1.35  # cartoon exaggeration of the tracked inner-lip opening
N = 25  # samples along each lip / lid curve

SCLERA: Color = (250, 250, 248)
TEETH: Color = (248, 248, 242)
CAVITY: Color = (74, 22, 32)
TONGUE: Color = (232, 122, 130)
LASH: Color = (34, 26, 30)


def mix(a: Color, b: Color, t: float) -> Color:
    return tuple(int(round(x + (y - x) * t)) for x, y in zip(a, b, strict=True))  # type: ignore[return-value]


FACE_LEFT = [(300, 186), (246, 222), (226, 290), (226, 372), (236, 440), (258, 497), (298, 543), (340, 568)]


def face_outline() -> np.ndarray:
    pts = [(CX, 178.0), *[(2 * CX - x, y) for x, y in FACE_LEFT], (CX, 576.0), *reversed(FACE_LEFT)]
    return spline(pts, True, 10)


def draw_head(canvas: np.ndarray, pen: Pen, look: Look, blush: float) -> None:
    """Ears, face and cheeks (static per clip; the expression's blush is fixed for the clip)."""
    for side in (-1, 1):
        ex = CX + side * 146
        pen.fill(canvas, ellipse(ex, 398, 22, 36), look.skin)
        pen.fill(canvas, ellipse(ex + side * 2, 400, 11, 22), look.skin_shade)
        pen.fill(canvas, ellipse(ex - side * 3, 402, 8, 18), look.skin)
    face = face_outline()
    pen.fill(canvas, face, look.skin)
    # soft shading under the cheekbones and along the jaw keeps the flat face from looking pasted on
    for side in (-1, 1):
        jaw = [(CX + side * x, y) for x, y in [(140, 380), (136, 450), (110, 510), (70, 552), (40, 566), (100, 540),
                                                   (128, 470)]]
        pen.soft(canvas, spline(jaw, True, 6), look.skin_shade, 0.55, blur=6, clip=face)
        if blush > 0:
            pen.soft(canvas, ellipse(CX + side * 78, 452, 26, 15), look.blush, blush, blur=7, clip=face)


class Ink:
    """Draws design-unit shapes moved by the head map straight into pixels (one matrix product per shape)."""

    def __init__(self, canvas: np.ndarray, pen: Pen, m: np.ndarray):
        self.canvas = canvas
        self.a = m[:, :2] * pen.scale
        self.t = m[:, 2] * pen.scale - np.asarray(pen.origin, np.float64)
        self.scale = pen.scale

    def _px(self, pts: np.ndarray, shift: tuple[float, float]) -> np.ndarray:
        return pts @ self.a.T + (self.t + self.a @ np.asarray(shift, np.float64))

    def fill(self, pts: np.ndarray, shift: tuple[float, float], color: Color) -> None:
        fill_px(self.canvas, self._px(pts, shift), color)

    def stroke(self, pts: np.ndarray, shift: tuple[float, float], color: Color, width: float,
               closed: bool = False) -> None:
        stroke_px(self.canvas, self._px(pts, shift), color, width * self.scale, closed)


def draw_features(canvas: np.ndarray, pen: Pen, look: Look, pose: Pose, m: np.ndarray) -> None:
    """Brows, eyes (blink, smile), nose and mouth for one frame, moved by the head map `m` (design units)."""
    ink = Ink(canvas, pen, m)
    _brows(ink, look, pose)
    _eyes(ink, look, pose)
    _nose(ink, look, pose)
    _mouth(ink, look, pose)
    if look.glasses is not None:
        _glasses(ink, look.glasses, pose)


@functools.lru_cache(maxsize=1)
def _static_shapes() -> dict[str, np.ndarray]:
    """Outlines that only move rigidly from frame to frame, computed once."""
    shapes = {}
    for side in (-1, 1):
        cx = CX + side * EYE_DX
        pts = [(-32, 7), (-14, -4), (8, -6), (28, 0), (27, 5), (8, 2), (-14, 4), (-31, 11)]
        shapes[f"brow{side}"] = spline([(cx + side * x, EYE_Y - 40 + y) for x, y in pts], True, 6)
        shapes[f"rim{side}"] = spline([(cx - 36, EYE_Y - 20), (cx + 36, EYE_Y - 20), (cx + 34, EYE_Y + 16),
                                       (cx, EYE_Y + 22), (cx - 34, EYE_Y + 16)], True, 8)
        shapes[f"iris{side}"] = ellipse(0, 0, 1, 1, 40)
    shapes["bridge"] = spline([(CX - 22, EYE_Y - 10), (CX, EYE_Y - 15), (CX + 22, EYE_Y - 10)], False, 6)
    shapes["nose_shade"] = spline([(CX + 6, 392), (CX + 12, 420), (CX + 16, 444), (CX + 8, 452), (CX + 2, 452),
                                   (CX + 8, 420)], True, 6)
    shapes["nose_base"] = spline([(CX - 15, 443), (CX - 8, 452), (CX + 8, 452), (CX + 15, 443)], False, 6)
    return shapes


def _brows(ink: Ink, look: Look, pose: Pose) -> None:
    sx, sy = parallax(pose, 45)
    lift = 2.5 * pose.smile
    for side in (-1, 1):
        ink.fill(_static_shapes()[f"brow{side}"], (sx, sy - lift), look.brow_color)


def eye_curves(pose: Pose, cx: float) -> tuple[np.ndarray, np.ndarray]:
    """Upper and lower lid curves of one eye (design units), closed by `blink`, narrowed by `smile`."""
    t = np.linspace(-1, 1, N)
    x = cx + EYE_HW * t
    bump = (1 - t**2)
    top = EYE_Y - EYE_UP * bump**0.8 - 2.0 * bump * np.sign(cx - CX) * t
    bottom = EYE_Y + EYE_DOWN * bump**0.9 - 3.0 * max(0.0, pose.smile - 0.3) * bump
    b = min(1.0, max(0.0, pose.blink))
    top = top + (bottom - top) * b
    return np.stack([x, top], 1), np.stack([x, bottom], 1)


def _eyes(ink: Ink, look: Look, pose: Pose) -> None:
    shift = parallax(pose, 40)
    gaze = (pose.head_yaw * -0.25, 0.0)  # eyes keep looking at the camera while the head turns
    for side in (-1, 1):
        cx = CX + side * EYE_DX
        top, bottom = eye_curves(pose, cx)
        crease = top.copy()
        crease[:, 1] = EYE_Y - (EYE_UP + 6) * (1 - np.linspace(-1, 1, N) ** 2) ** 0.8 - 1
        ink.stroke(crease[3:-3], shift, mix(look.skin, look.skin_shade, 0.9), 2.0)
        opening = float(np.max(bottom[:, 1] - top[:, 1]))
        if opening > 1.0:
            white = np.concatenate([top, bottom[::-1]])
            ink.fill(white, shift, SCLERA)
            lo, hi = top[:, 1], bottom[:, 1]
            for r, color in ((IRIS_R, look.iris), (PUPIL_R, LASH)):
                circ = _static_shapes()[f"iris{side}"] * r + (cx + gaze[0], EYE_Y - 1.5)
                circ[:, 0] = np.clip(circ[:, 0], top[0, 0], top[-1, 0])
                circ[:, 1] = np.clip(circ[:, 1], np.interp(circ[:, 0], top[:, 0], lo),
                                     np.interp(circ[:, 0], top[:, 0], hi))
                ink.fill(circ, shift, color)
            if opening > 8:
                ink.fill(ellipse(cx + gaze[0] - 4, EYE_Y - 6, 3.2, 3.2, 16), shift, (255, 255, 255))
        lash = top if opening > 1.0 else bottom
        outer = top[0] if side < 0 else top[-1]
        flick = np.stack([outer, outer + (side * 5.0, -3.5)])
        ink.stroke(lash, shift, LASH, 3.4)
        ink.stroke(flick, shift, LASH, 2.6)


def _nose(ink: Ink, look: Look, pose: Pose) -> None:
    shift = parallax(pose, 80)
    ink.fill(_static_shapes()["nose_shade"], shift, mix(look.skin, look.skin_shade, 0.6))
    ink.stroke(_static_shapes()["nose_base"], shift, mix(look.skin, look.skin_shade, 0.85), 3.0)


def mouth_curves(pose: Pose) -> dict[str, np.ndarray]:
    """Outer and inner lip curves (design units, left to right) for one frame's articulation.

    The opening follows `jaw` (forced shut by `closure`), the width follows `width` (rounding narrows and
    purses), `smile` lifts the corners, and `lip_teeth` tucks the lower lip under the upper teeth.
    """
    mx, my = MOUTH
    closure = min(1.0, max(0.0, pose.closure))
    lt = min(1.0, max(0.0, pose.lip_teeth))
    opening = max(0.0, pose.jaw) * IPD * JAW_GAIN * (1 - closure)
    rnd = max(0.0, -pose.width)
    hw = MOUTH_HW * (1 + 1.25 * pose.width) + 7 * pose.smile - 0.15 * opening * (1 - rnd * 2)
    hw = max(18.0, hw)
    t = np.linspace(-1, 1, N)
    x = mx + hw * t
    bump = 1 - t**2
    corner = -9.0 * pose.smile + 0.12 * opening
    line = my + corner * t**2 - 1.5 * pose.smile * bump
    p = 0.55 - 0.2 * min(1.0, rnd * 3)  # rounder opening for o/u
    shape = bump**p
    teeth_show = 7.5 * lt * (1 - closure)
    upper_in = line - 0.3 * opening * shape
    lower_in = line + (0.7 * opening + teeth_show) * shape - 0.5 * teeth_show * shape
    purse = 1 + 1.6 * rnd
    bow = 2.2 * np.exp(-(t / 0.18) ** 2)
    upper_out = upper_in - (7.0 * bump**0.55 + 0.8) * purse + bow - 0.8
    lower_out = lower_in + (10.0 * bump**0.6 + 0.8) * purse * (1 - 0.35 * lt)
    return {"upper_out": np.stack([x, upper_out], 1), "upper_in": np.stack([x, upper_in], 1),
            "lower_in": np.stack([x, lower_in], 1), "lower_out": np.stack([x, lower_out], 1),
            "opening": np.array(opening), "teeth_show": np.array(teeth_show)}


def _mouth(ink: Ink, look: Look, pose: Pose) -> None:
    c = mouth_curves(pose)
    shift = parallax(pose, 50)

    def put(pts: np.ndarray, color: Color) -> None:
        ink.fill(pts, shift, color)

    up_o, up_i, lo_i, lo_o = c["upper_out"], c["upper_in"], c["lower_in"], c["lower_out"]
    put(np.concatenate([up_o, lo_o[::-1]]), look.lip)
    put(np.concatenate([up_o, up_i[::-1]]), mix(look.lip, (0, 0, 0), 0.18))
    gap = lo_i[:, 1] - up_i[:, 1]
    if gap.max() > 0.6:
        put(np.concatenate([up_i, lo_i[::-1]]), CAVITY)
        x = up_i[:, 0]
        inner = slice(3, N - 3)
        th = 8.0 + 0.1 * float(c["opening"])
        teeth_bottom = np.minimum(up_i[:, 1] + th, lo_i[:, 1])
        put(np.concatenate([up_i[inner], np.stack([x, teeth_bottom], 1)[inner][::-1]]), TEETH)
        if float(c["opening"]) > 6:
            low = slice(5, N - 5)
            tongue_top = np.maximum(lo_i[:, 1] - 0.4 * gap, up_i[:, 1] + 0.5 * gap)
            put(np.concatenate([np.stack([x, tongue_top], 1)[low], lo_i[low][::-1]]), TONGUE)
            lt_top = np.maximum(lo_i[:, 1] - 3.5, teeth_bottom)
            put(np.concatenate([np.stack([x, lt_top], 1)[low], lo_i[low][::-1]]), TEETH)
    ink.stroke(up_i, shift, mix(look.lip, (0, 0, 0), 0.45), 2.2)
    # a highlight on the lower lip
    hl = lo_o.copy()
    hl[:, 1] = lo_i[:, 1] + 0.45 * (lo_o[:, 1] - lo_i[:, 1])
    ink.stroke(hl[N // 3: 2 * N // 3], shift, mix(look.lip, (255, 255, 255), 0.22), 2.4)


def _glasses(ink: Ink, color: Color, pose: Pose) -> None:
    shift = parallax(pose, 55)
    for side in (-1, 1):
        ink.stroke(_static_shapes()[f"rim{side}"], shift, color, 4.0, closed=True)
    ink.stroke(_static_shapes()["bridge"], shift, color, 4.0)

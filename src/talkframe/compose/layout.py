"""Where the avatar goes on the canvas: one resolution-independent geometry for every style.

A `Placement` says which window of the avatar image is shown (`src`, avatar pixels) and where it lands on the
canvas (`dst`, canvas pixels; it may reach past the edges and is clipped there). Units, all relative to the canvas
so a request lays out identically at 720p and 4K:

- `scale`: 1.0 fits the shown window inside the canvas (a portrait avatar fills the canvas height, a circle's
  diameter is the canvas's shorter side); 0.5 is half that size. Values are clamped to [0.05, 10].
- `offset {x, y}`: moves the centre from the canvas centre by a fraction of the canvas (x: +0.5 = half a canvas
  width to the right, y: +0.5 = half a canvas height down); 0,0 is centred.

Styles (`avatar_style`, and `talking_photo_style` for talking photos):

- `normal` / `square`: the whole avatar image.
- `closeUp`: a window of the avatar's aspect ratio cropped towards the face, shown at the size `normal` would
  have: the face fills about 40 % of the window's height (zoom between 1.2x and 4x) with the face centre at 40 %
  from the window's top; without a face box a fixed 1.6x zoom on the upper middle of the image.
- `circle`: a square window around the head (2.4x the face's larger side, at most the image's shorter side;
  without a face box the top-centred square), drawn through an anti-aliased circular mask, optionally over
  `circle_background_color`.
"""

from __future__ import annotations

from dataclasses import dataclass

from talkframe.compose.fit import Rect
from talkframe.request import Character

FaceBox = tuple[float, float, float, float]  # x, y, w, h in avatar pixels

CLOSE_UP_ZOOM = 1.6  # without a face box
CLOSE_UP_FACE_SHARE = 0.4  # face height / window height with a face box
CLOSE_UP_ZOOM_RANGE = (1.2, 4.0)
FACE_TOP = 0.4  # face centre at this fraction of the window's height
CIRCLE_HEAD_SPAN = 2.4  # circle window side / face size


@dataclass(frozen=True)
class Placement:
    src: Rect  # window of the avatar image that is shown
    dst: Rect  # where the window lands on the canvas (may exceed it)
    circle: bool

    def visible(self, canvas: tuple[int, int]) -> Rect | None:
        """The part of `dst` inside the canvas, or None when the avatar is entirely off-canvas."""
        x0, y0 = max(0, self.dst.x), max(0, self.dst.y)
        x1, y1 = min(canvas[0], self.dst.x1), min(canvas[1], self.dst.y1)
        return Rect(x0, y0, x1 - x0, y1 - y0) if x1 > x0 and y1 > y0 else None


def style_of(character: Character) -> str:
    """`normal`, `closeUp` or `circle`: talking photos take their shape from `talking_photo_style`."""
    if character.avatar_style == "circle":
        return "circle"
    if character.type == "talking_photo" and character.talking_photo_style == "circle":
        return "circle"
    return "closeUp" if character.avatar_style == "closeUp" else "normal"


def place_avatar(canvas: tuple[int, int], avatar: tuple[int, int], character: Character,
                 face_box: FaceBox | None = None) -> Placement:
    """Lay out the avatar for a whole scene (called once; every frame reuses the result)."""
    style = style_of(character)
    if style == "closeUp":
        src = _close_up_window(avatar, face_box)
    elif style == "circle":
        src = _circle_window(avatar, face_box)
    else:
        src = Rect(0, 0, avatar[0], avatar[1])
    cw, ch = canvas
    scale = min(10.0, max(0.05, character.scale))
    k = min(cw / src.w, ch / src.h) * scale
    w, h = max(2, round(src.w * k)), max(2, round(src.h * k))
    if style == "circle":
        w = h = max(w, h)
    cx = cw / 2 + character.offset.x * cw
    cy = ch / 2 + character.offset.y * ch
    return Placement(src, Rect(round(cx - w / 2), round(cy - h / 2), w, h), style == "circle")


def _close_up_window(avatar: tuple[int, int], face_box: FaceBox | None) -> Rect:
    aw, ah = avatar
    if _usable(face_box, avatar):
        fx, fy, fw, fh = face_box  # type: ignore[misc]
        lo, hi = CLOSE_UP_ZOOM_RANGE
        zoom = min(hi, max(lo, CLOSE_UP_FACE_SHARE * ah / fh))
        cx, cy = fx + fw / 2, fy + fh / 2
    else:
        zoom, cx, cy = CLOSE_UP_ZOOM, aw / 2, ah * 0.35
    w, h = max(1, round(aw / zoom)), max(1, round(ah / zoom))
    return _clamped(cx - w / 2, cy - FACE_TOP * h, w, h, avatar)


def _circle_window(avatar: tuple[int, int], face_box: FaceBox | None) -> Rect:
    aw, ah = avatar
    side = min(aw, ah)
    if _usable(face_box, avatar):
        fx, fy, fw, fh = face_box  # type: ignore[misc]
        side = max(1, min(side, round(max(fw, fh) * CIRCLE_HEAD_SPAN)))
        return _clamped(fx + fw / 2 - side / 2, fy + fh * 0.6 - side / 2, side, side, avatar)
    return _clamped((aw - side) / 2, 0, side, side, avatar)


def _usable(face_box: FaceBox | None, avatar: tuple[int, int]) -> bool:
    if face_box is None or len(face_box) != 4:
        return False
    x, y, w, h = face_box
    return w > 1 and h > 1 and x + w > 0 and y + h > 0 and x < avatar[0] and y < avatar[1]


def _clamped(x: float, y: float, w: int, h: int, avatar: tuple[int, int]) -> Rect:
    """A w x h window at (x, y), slid back inside the avatar image."""
    aw, ah = avatar
    w, h = min(w, aw), min(h, ah)
    return Rect(int(round(min(max(0.0, x), aw - w))), int(round(min(max(0.0, y), ah - h))), w, h)

"""Where the avatar goes on the canvas: one resolution-independent geometry for every style.

Units: `scale` multiplies the avatar's fitted size (1.0 = the avatar's full height fits the canvas height);
`offset` moves its centre by a fraction of the canvas (x: +1 = one canvas width right, y: +1 = one canvas height
down), so the same request lays out identically at 720p and 4K.
"""

from __future__ import annotations

from dataclasses import dataclass

from talkframe.request import Character

CLOSE_UP_ZOOM = 1.6


@dataclass(frozen=True)
class Placement:
    x: int  # left edge on the canvas (may be negative: the avatar is clipped)
    y: int
    width: int
    height: int
    circle: bool


def place_avatar(canvas: tuple[int, int], avatar: tuple[int, int], character: Character) -> Placement:
    cw, ch = canvas
    aw, ah = avatar
    fit = min(cw / aw, ch / ah)
    zoom = CLOSE_UP_ZOOM if character.avatar_style == "closeUp" else 1.0
    scale = max(0.05, character.scale) * zoom * fit
    w, h = max(2, round(aw * scale)), max(2, round(ah * scale))
    cx = cw / 2 + character.offset.x * cw
    cy = ch / 2 + character.offset.y * ch
    circle = character.avatar_style == "circle" or (
        character.type == "talking_photo" and character.talking_photo_style == "circle"
    )
    return Placement(round(cx - w / 2), round(cy - h / 2), w, h, circle)

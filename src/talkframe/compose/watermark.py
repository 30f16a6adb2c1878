"""The watermark of a `test: true` video: a large translucent "TEST VIDEO" label across the canvas centre.

Drawn above everything (avatar and text included), so a test render can never pass for a real one.
"""

from __future__ import annotations

import numpy as np
from PIL import Image, ImageDraw

from talkframe.compose.blend import Sprite, sprite_from_rgba
from talkframe.compose.fonts import load_font

WATERMARK_TEXT = "TEST VIDEO"
OPACITY = 0.6
HEIGHT_SHARE = 0.14  # glyph size as a share of the canvas's shorter side


def watermark_sprite(canvas: tuple[int, int]) -> Sprite:
    """White bold letters with a dark outline (visible on any background), centred, at 60 % opacity."""
    w, h = canvas
    size = max(8, round(min(w, h) * HEIGHT_SHARE))
    font = load_font(None, True, size)
    stroke = max(1, size // 16)
    probe = ImageDraw.Draw(Image.new("L", (1, 1)))
    x0, y0, x1, y1 = probe.textbbox((0, 0), WATERMARK_TEXT, font=font, stroke_width=stroke)
    while x1 - x0 > 0.9 * w and size > 8:  # narrow portrait canvases: shrink to fit
        size = round(size * 0.9)
        font = load_font(None, True, size)
        stroke = max(1, size // 16)
        x0, y0, x1, y1 = probe.textbbox((0, 0), WATERMARK_TEXT, font=font, stroke_width=stroke)
    tw, th = x1 - x0, y1 - y0
    fill = Image.new("L", (tw, th), 0)
    ImageDraw.Draw(fill).text((-x0, -y0), WATERMARK_TEXT, fill=255, font=font)
    shape = Image.new("L", (tw, th), 0)
    ImageDraw.Draw(shape).text((-x0, -y0), WATERMARK_TEXT, fill=255, font=font, stroke_width=stroke)
    rgba = np.zeros((th, tw, 4), np.uint8)
    rgba[..., :3] = np.asarray(fill)[..., None]  # white letters, black outline
    rgba[..., 3] = (np.asarray(shape).astype(np.float32) * OPACITY + 0.5).astype(np.uint8)
    sprite = sprite_from_rgba(rgba, (w - tw) // 2, (h - th) // 2, canvas)
    assert sprite is not None  # non-empty text centred on the canvas
    return sprite

"""The scene's `text` overlay, rendered once per scene into an anti-aliased sprite (FreeType via Pillow).

Units (HeyGen never confirmed its coordinate system; these keep a request's look the same at any resolution):

- Lengths (`position`, `font_size`, `width`, a `line_height` > 4) are pixels of a reference canvas 1080 pixels
  on its shorter side (1920x1080 for 16:9, 1080x1920 for 9:16), scaled to the output: at 4K UHD one unit is
  2 output pixels, at 720p 2/3.
- `position {x, y}`: from the canvas's top-left. When both values lie in [0, 1] they are fractions of the canvas
  width and height instead (so 0.5, 0.5 is the centre); 0, 0 is the top-left either way. `y` is the top of the
  first line.
- `width`: with a width the text wraps at word boundaries inside a box from `x` to `x + width`, and `text_align`
  aligns each line in that box. A width <= 1 is a fraction of the canvas width. Without a width, lines break only
  at newlines and `x` is the anchor named by `text_align`: the left edge (left), the centre (center) or the right
  edge (right) of every line.
- `font_size`: default 48 units. `line_height`: <= 4 is a multiple of the font size (default 1.2), above that
  units. `font_weight`: `bold`, or a number >= 600, picks the bold face. `color`: hex (alpha honoured), default
  black; invalid values fall back to it.
"""

from __future__ import annotations

import logging

import numpy as np
from PIL import Image, ImageDraw, ImageFont

from talkframe.compose.blend import Sprite, sprite_from_rgba
from talkframe.compose.color import color_or_default
from talkframe.compose.fonts import load_font
from talkframe.request import TextOverlay

log = logging.getLogger(__name__)

REFERENCE_SHORT_SIDE = 1080
DEFAULT_FONT_SIZE = 48.0
DEFAULT_LINE_HEIGHT = 1.2
DEFAULT_TEXT_COLOR = "#000000"

Font = ImageFont.FreeTypeFont | ImageFont.ImageFont


def unit(canvas: tuple[int, int]) -> float:
    """Output pixels per reference unit."""
    return min(canvas) / REFERENCE_SHORT_SIDE


def is_bold(weight: str | None) -> bool:
    if weight is None:
        return False
    w = str(weight).strip().lower()
    return w in ("bold", "bolder", "black", "heavy", "semibold", "extrabold") or (w.isdigit() and int(w) >= 600)


def anchor_point(overlay: TextOverlay, canvas: tuple[int, int]) -> tuple[float, float]:
    """`position` in output pixels."""
    x, y = overlay.position.x, overlay.position.y
    if 0 <= x <= 1 and 0 <= y <= 1:
        return x * canvas[0], y * canvas[1]
    u = unit(canvas)
    return x * u, y * u


def box_width(overlay: TextOverlay, canvas: tuple[int, int]) -> float | None:
    if not overlay.width or overlay.width <= 0:
        return None
    return overlay.width * canvas[0] if overlay.width <= 1 else overlay.width * unit(canvas)


def line_pitch(overlay: TextOverlay, size_px: float, canvas: tuple[int, int]) -> float:
    lh = overlay.line_height or DEFAULT_LINE_HEIGHT
    return lh * size_px if lh <= 4 else lh * unit(canvas)


def wrap(text: str, font: Font, max_width: float | None) -> list[str]:
    """Break at newlines, then (with a width) greedily at spaces; a word wider than the box breaks anywhere."""
    lines: list[str] = []
    for paragraph in text.replace("\r\n", "\n").split("\n"):
        if max_width is None:
            lines.append(paragraph)
            continue
        line = ""
        for word in paragraph.split(" "):
            candidate = f"{line} {word}" if line else word
            if font.getlength(candidate) <= max_width:
                line = candidate
                continue
            if line:
                lines.append(line)
            *full, line = _break_word(word, font, max_width)
            lines.extend(full)
        lines.append(line)
    return lines


def _break_word(word: str, font: Font, max_width: float) -> list[str]:
    parts = []
    while len(word) > 1 and font.getlength(word) > max_width:
        cut = 1
        while cut < len(word) - 1 and font.getlength(word[: cut + 1]) <= max_width:
            cut += 1
        parts.append(word[:cut])
        word = word[cut:]
    return [*parts, word]


def render_text(overlay: TextOverlay | None, canvas: tuple[int, int]) -> Sprite | None:
    """The overlay as a sprite placed on the canvas, or None when there is nothing visible to draw."""
    if overlay is None or not overlay.text.strip():
        return None
    u = unit(canvas)
    size_px = max(1, round((overlay.font_size or DEFAULT_FONT_SIZE) * u))
    font = load_font(overlay.font_family, is_bold(overlay.font_weight), size_px)
    box_w = box_width(overlay, canvas)
    lines = wrap(overlay.text, font, box_w)
    pitch = line_pitch(overlay, size_px, canvas)
    ascent = font.getmetrics()[0] if isinstance(font, ImageFont.FreeTypeFont) else size_px
    x, y = anchor_point(overlay, canvas)
    widths = [font.getlength(line) for line in lines]
    align = overlay.text_align

    # line start positions in canvas pixels
    starts = []
    for w in widths:
        if box_w is not None:
            off = {"left": 0.0, "center": (box_w - w) / 2, "right": box_w - w}[align]
            starts.append(x + off)
        else:
            starts.append({"left": x, "center": x - w / 2, "right": x - w}[align])

    # draw into a local mask that holds every line, with a margin for overhanging glyphs
    margin = size_px
    left = int(np.floor(min(starts))) - margin
    top = int(np.floor(y)) - margin
    mw = int(np.ceil(max(s + w for s, w in zip(starts, widths, strict=True)))) + margin - left
    mh = int(np.ceil(y + pitch * (len(lines) - 1) + size_px * 1.5)) + margin - top
    if mw * mh > 4 * canvas[0] * canvas[1]:  # absurd sizes: draw only what can land on the canvas
        log.info("text overlay larger than the canvas; clipping")
    left, top = max(left, -canvas[0]), max(top, -canvas[1])
    mw, mh = min(mw, 3 * canvas[0]), min(mh, 3 * canvas[1])
    mask = Image.new("L", (mw, mh), 0)
    draw = ImageDraw.Draw(mask)
    for i, (line, sx) in enumerate(zip(lines, starts, strict=True)):
        baseline = y + ascent + i * pitch
        draw.text((sx - left, baseline - top), line, fill=255, font=font, anchor="ls")

    r, g, b, a = color_or_default(overlay.color, DEFAULT_TEXT_COLOR, "text color")
    rgba = np.empty((mh, mw, 4), np.uint8)
    rgba[..., :3] = (r, g, b)
    alpha = np.asarray(mask)
    rgba[..., 3] = alpha if a == 255 else ((alpha.astype(np.uint16) * a + 127) // 255).astype(np.uint8)
    return sprite_from_rgba(rgba, left, top, canvas)

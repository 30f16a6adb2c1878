"""Scene backgrounds as frame sources (color for now; image and video come with scene composition)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from talkframe.compose.color import parse_hex_color
from talkframe.core.types import FrameSource, Resolver
from talkframe.request import Background

# n8n's default background, a near-white that flatters most portraits.
DEFAULT_COLOR = "#f6f6fc"


@dataclass
class ColorBackground:
    rgb: np.ndarray

    def frame(self, index: int) -> np.ndarray:
        return self.rgb


def solid(size: tuple[int, int], hex_color: str) -> ColorBackground:
    r, g, b, _ = parse_hex_color(hex_color)
    w, h = size
    frame = np.empty((h, w, 3), np.uint8)
    frame[:] = (r, g, b)
    return ColorBackground(frame)


def open_background(
    background: Background | None, size: tuple[int, int], fps: float, n_frames: int, resolver: Resolver | None
) -> FrameSource:
    if background is None or background.type == "color":
        value = background.value if background and background.value else DEFAULT_COLOR
        return solid(size, value)
    from talkframe.compose.media_background import open_media_background

    return open_media_background(background, size, fps, n_frames, resolver)

"""Scene backgrounds as frame sources: `color`, `image` and `video` (see `fit` and `play_style` for the rules).

Anything not covered by a background picture (contain's bars, a small `crop`, the time after a `once` clip)
shows the default background colour `#f6f6fc`, n8n's default for HeyGen requests.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from talkframe.compose.color import color_or_default, over_black, parse_hex_color
from talkframe.compose.image_background import StillBackground, load_image
from talkframe.core.errors import FILE_CORRUPTED, RenderError
from talkframe.core.types import FrameSource
from talkframe.request import Background

DEFAULT_COLOR = "#f6f6fc"
DEFAULT_RGB: tuple[int, int, int] = parse_hex_color(DEFAULT_COLOR)[:3]  # type: ignore[assignment]


def solid(size: tuple[int, int], hex_color: str) -> StillBackground:
    """A canvas of one colour; #RRGGBBAA alpha is composited over black (a video has no transparency)."""
    w, h = size
    frame = np.empty((h, w, 3), np.uint8)
    frame[:] = over_black(color_or_default(hex_color, DEFAULT_COLOR, "background colour"))
    return StillBackground(frame)


def open_background(
    background: Background | None, size: tuple[int, int], fps: float, n_frames: int, path: Path | None = None
) -> FrameSource:
    """The scene's background for `n_frames` frames at `fps` on a canvas of `size` (w, h); `path` is the resolved
    file of an image or video background."""
    if background is None or background.type == "color":
        return solid(size, background.value if background and background.value else DEFAULT_COLOR)
    path = media_file(background, path)
    if background.type == "image":
        return StillBackground(load_image(path, size, background.fit, DEFAULT_RGB))
    from talkframe.compose.video_background import VideoBackground

    return VideoBackground(path, size, fps, n_frames, background.play_style, background.fit, DEFAULT_RGB)


def background_duration(background: Background | None, path: Path | None) -> float | None:
    """Seconds the scene must last for this background (`video` + `full_video`: the clip's length), else None.

    The pipeline lengthens the scene to at least this many seconds, padding the speech with silence.
    """
    if background is None or background.type != "video" or background.play_style != "full_video":
        return None
    from talkframe.compose.video_probe import probe_video

    return probe_video(media_file(background, path)).duration


def media_file(background: Background, path: Path | None) -> Path:
    """The resolved file of an image/video background (`resolve.scene.resolve_background`), which it must have."""
    if path is None:
        raise RenderError(FILE_CORRUPTED, f"The {background.type} background has neither a url nor an asset id")
    return path

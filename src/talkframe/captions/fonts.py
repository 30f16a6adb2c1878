"""A real scalable font found offline: DejaVu Sans Bold from matplotlib's wheel, else Pillow's built-in one."""

from __future__ import annotations

import functools
from pathlib import Path

from PIL import ImageFont


@functools.lru_cache(maxsize=1)
def font_path() -> Path | None:
    """DejaVuSans-Bold.ttf shipped inside matplotlib (covers Latin, Greek, Cyrillic), when installed."""
    try:
        import matplotlib
    except ImportError:
        return None
    path = Path(matplotlib.get_data_path()) / "fonts" / "ttf" / "DejaVuSans-Bold.ttf"
    return path if path.is_file() else None


@functools.lru_cache(maxsize=16)
def load(size: int) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    path = font_path()
    if path is not None:
        return ImageFont.truetype(str(path), size)
    return ImageFont.load_default(size)  # Pillow >= 10.1 embeds a scalable FreeType font

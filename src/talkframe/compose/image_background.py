"""Image backgrounds: decoded once, fitted once, then the same frame for the whole scene."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
from PIL import Image

from talkframe.compose.fit import fit_image
from talkframe.core.errors import FILE_CORRUPTED, RenderError
from talkframe.media.photo import upright_rgb


@dataclass
class StillBackground:
    """A `FrameSource` that never changes; `static` lets the composer pre-compose it with the overlays."""

    rgb: np.ndarray
    static = True

    def frame(self, index: int) -> np.ndarray:
        return self.rgb


def load_image(path: Path, size: tuple[int, int], fit: str, fill: tuple[int, int, int]) -> np.ndarray:
    """Decode (honouring EXIF rotation; transparency shows the fill colour) and fit to `size`."""
    try:
        with Image.open(path) as im:
            if fit in ("cover", "contain", "none") and im.format == "JPEG":
                im.draft("RGB", size)  # decode a huge JPEG at a reduced scale that is still >= the canvas
            rgb = upright_rgb(im, fill)
    except Exception as exc:  # noqa: BLE001 - any decoder failure is the user's file
        raise RenderError(FILE_CORRUPTED, "The background image could not be decoded", str(exc)) from exc
    return fit_image(rgb, size, fit, fill)

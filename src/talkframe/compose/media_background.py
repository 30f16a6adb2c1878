"""Image and video backgrounds fitted to the canvas."""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np
from PIL import Image

from talkframe.core.errors import FILE_CORRUPTED, RenderError
from talkframe.core.types import FrameSource, Resolver
from talkframe.request import Background


@dataclass
class StillBackground:
    rgb: np.ndarray

    def frame(self, index: int) -> np.ndarray:
        return self.rgb


def fit_image(rgb: np.ndarray, size: tuple[int, int], fit: str) -> np.ndarray:
    """Cover (fill, crop overflow), contain (letterbox on black), crop (centre crop at 1:1), none (stretch)."""
    w, h = size
    ih, iw = rgb.shape[:2]
    if fit == "none":
        return cv2.resize(rgb, (w, h), interpolation=cv2.INTER_AREA)
    if fit == "crop":
        scale = 1.0
    else:
        scale = max(w / iw, h / ih) if fit == "cover" else min(w / iw, h / ih)
    nw, nh = max(1, round(iw * scale)), max(1, round(ih * scale))
    resized = rgb if (nw, nh) == (iw, ih) else cv2.resize(rgb, (nw, nh), interpolation=cv2.INTER_AREA)
    canvas = np.zeros((h, w, 3), np.uint8)
    # centre the resized image on the canvas, cropping whatever overflows
    sx, sy = max(0, (nw - w) // 2), max(0, (nh - h) // 2)
    dx, dy = max(0, (w - nw) // 2), max(0, (h - nh) // 2)
    cw, ch = min(w, nw), min(h, nh)
    canvas[dy : dy + ch, dx : dx + cw] = resized[sy : sy + ch, sx : sx + cw]
    return canvas


def open_media_background(
    background: Background, size: tuple[int, int], fps: float, n_frames: int, resolver: Resolver | None
) -> FrameSource:
    if resolver is None:
        raise RenderError(FILE_CORRUPTED, "A media background needs a resolver")
    if background.type == "image":
        path = (
            resolver.asset(background.image_asset_id)
            if background.image_asset_id
            else resolver.url(background.url or "", "image")
        )
        try:
            rgb = np.asarray(Image.open(path).convert("RGB"))
        except Exception as exc:  # noqa: BLE001 - any decoder failure is the user's file
            raise RenderError(FILE_CORRUPTED, "The background image could not be decoded", str(exc)) from exc
        return StillBackground(fit_image(rgb, size, background.fit))
    raise RenderError(FILE_CORRUPTED, "Video backgrounds are not built yet")

"""Thumbnail (JPEG) and a short, small GIF preview, sampled while frames stream to the encoder."""

from __future__ import annotations

from pathlib import Path

import cv2
import numpy as np
from PIL import Image

GIF_SECONDS = 3.0
GIF_FPS = 8
GIF_WIDTH = 320
THUMB_AT_SECONDS = 1.0


class PreviewSampler:
    def __init__(self, fps: float) -> None:
        self.fps = fps
        self.step = max(1, round(fps / GIF_FPS))
        self.gif_frames: list[Image.Image] = []
        self.thumbnail: np.ndarray | None = None

    def offer(self, index: int, rgb: np.ndarray) -> None:
        t = index / self.fps
        if self.thumbnail is None or (index == round(THUMB_AT_SECONDS * self.fps)):
            self.thumbnail = rgb.copy()
        if t < GIF_SECONDS and index % self.step == 0:
            h, w = rgb.shape[:2]
            gw = min(GIF_WIDTH, w)
            gh = max(2, round(h * gw / w))
            small = cv2.resize(rgb, (gw, gh), interpolation=cv2.INTER_AREA)
            # fast octree quantisation: median cut cost ~50 ms a frame, a tenth of the whole render budget
            self.gif_frames.append(Image.fromarray(small).quantize(colors=128, method=Image.Quantize.FASTOCTREE))

    def save(self, thumbnail_path: Path, gif_path: Path) -> None:
        if self.thumbnail is not None:
            Image.fromarray(self.thumbnail).save(thumbnail_path, "JPEG", quality=88)
        if self.gif_frames:
            first, *rest = self.gif_frames
            first.save(gif_path, save_all=True, append_images=rest, duration=round(1000 / GIF_FPS), loop=0)

"""Thumbnail (JPEG) and a short, small GIF preview, sampled while frames stream to the encoder.

The first scene's writer offers its frames as it encodes them (`scene_previews`), so the previews come from the
frames already in memory; `render.join` uses them when that scene covers the whole preview window, and otherwise
decodes the start of the finished video.
"""

from __future__ import annotations

import math
from pathlib import Path

import cv2
import numpy as np
from PIL import Image

GIF_SECONDS = 3.0
GIF_FPS = 8
GIF_WIDTH = 320
THUMB_AT_SECONDS = 1.0


def preview_paths(video: Path) -> tuple[Path, Path]:
    """Where a segment's own thumbnail and GIF go, next to its video."""
    return video.with_name(f"{video.stem}.thumb.jpg"), video.with_name(f"{video.stem}.preview.gif")


def frames_needed(fps: float) -> int:
    """Frames from the start that decide the thumbnail and the GIF (a scene this long covers both)."""
    return max(round(THUMB_AT_SECONDS * fps), math.ceil(GIF_SECONDS * fps - 1e-9)) + 1


def scene_previews(video: Path, fps: float) -> PreviewSampler:
    """A sampler that saves its thumbnail and GIF next to a scene's video when its writer closes."""
    return PreviewSampler(fps, save_to=preview_paths(video))


class PreviewSampler:
    def __init__(self, fps: float, save_to: tuple[Path, Path] | None = None) -> None:
        self.fps = fps
        self.step = max(1, round(fps / GIF_FPS))
        self.gif_frames: list[Image.Image] = []
        self.thumbnail: np.ndarray | None = None
        self.save_to = save_to

    def wants(self, index: int) -> bool:
        """Whether `offer(index, ...)` would use that frame (so callers can skip the rest)."""
        return (self.thumbnail is None or index == round(THUMB_AT_SECONDS * self.fps)
                or (index / self.fps < GIF_SECONDS and index % self.step == 0))

    def finish(self) -> None:
        """Save to `save_to`, if given."""
        if self.save_to is not None:
            self.save(*self.save_to)

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

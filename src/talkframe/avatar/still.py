"""The still-photo avatar: the source photo unchanged on every frame (the face engine's fallback)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass
class StillClip:
    rgba: np.ndarray
    n_frames: int

    @property
    def size(self) -> tuple[int, int]:
        return self.rgba.shape[1], self.rgba.shape[0]

    def frame(self, index: int) -> np.ndarray:
        return self.rgba


def rgba_from_rgb(rgb: np.ndarray) -> np.ndarray:
    alpha = np.full(rgb.shape[:2] + (1,), 255, np.uint8)
    return np.concatenate([rgb[..., :3], alpha], axis=2)

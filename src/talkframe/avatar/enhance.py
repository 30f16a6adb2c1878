"""Classical super-resolution for small source faces: Lanczos upscaling plus an unsharp mask.

No learned weights can be shipped, so `super_resolution` enlarges the whole photo when the face is small (inter-pupil
distance under `TARGET_IPD` px) so the rig warps and draws the mouth at a higher resolution, and restores edge
contrast lost by interpolation. The compose stage then scales the larger clip to the canvas as usual.
"""

from __future__ import annotations

import cv2
import numpy as np

TARGET_IPD = 72.0
MAX_SIDE = 2048
MAX_FACTOR = 3.0


def upscale_factor(ipd: float, size: tuple[int, int]) -> float:
    """How much to enlarge: enough to reach TARGET_IPD, capped by MAX_FACTOR and MAX_SIDE; 1 when not worth it."""
    f = min(MAX_FACTOR, TARGET_IPD / max(ipd, 1e-6), MAX_SIDE / max(size))
    return f if f >= 1.15 else 1.0


def super_resolve(rgb: np.ndarray, factor: float, amount: float = 0.7) -> np.ndarray:
    """Lanczos x`factor`, then unsharp mask scaled to the factor (detail enhancement without halos on skin)."""
    if factor <= 1.0:
        return rgb
    big = cv2.resize(rgb, None, fx=factor, fy=factor, interpolation=cv2.INTER_LANCZOS4)
    blur = cv2.GaussianBlur(big, (0, 0), 0.8 * factor)
    sharp = cv2.addWeighted(big, 1 + amount, blur, -amount, 0)
    return sharp

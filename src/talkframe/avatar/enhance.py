"""Small faces animated at a higher resolution: Lanczos upscaling, plus an unsharp mask when asked.

No learned weights can be shipped, so `super_resolution` enlarges the whole photo when the face is small (inter-pupil
distance under `TARGET_IPD` px) so the rig warps and draws the mouth at a higher resolution, and restores edge
contrast lost by interpolation. The compose stage then scales the larger clip to the canvas as usual.

Without the flag a small face that the video shows at `SUPERSAMPLE_MIN_DISPLAY` times its photo's pixels or more is
still animated supersampled (`supersample_factor`), with no sharpening: the photo looks as it would have, but the
lips, teeth and lids the rig draws get the video's resolution instead of being drawn on the photo's coarse pixels
and then enlarged (a soft lip line). Below that enlargement the compose stage's own resize loses little, and the
rig's cost grows with the square of the factor, so it is not worth it.
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


SUPERSAMPLE_MIN_DISPLAY = 2.0


def supersample_factor(ipd: float, size: tuple[int, int], display_scale: float) -> float:
    """How much to enlarge a photo shown at `display_scale` times its size: up to that scale, never past
    TARGET_IPD (the rig's cost follows the face's area) or MAX_FACTOR/MAX_SIDE; 1 when not worth it."""
    if display_scale < SUPERSAMPLE_MIN_DISPLAY:
        return 1.0
    return min(display_scale, upscale_factor(ipd, size))


def super_resolve(rgb: np.ndarray, factor: float, amount: float = 0.7) -> np.ndarray:
    """Lanczos x`factor`, then unsharp mask scaled to the factor (detail enhancement without halos on skin);
    `amount` 0 only supersamples."""
    if factor <= 1.0:
        return rgb
    big = cv2.resize(rgb, None, fx=factor, fy=factor, interpolation=cv2.INTER_LANCZOS4)
    if amount <= 0:
        return big
    blur = cv2.GaussianBlur(big, (0, 0), 0.8 * factor)
    sharp = cv2.addWeighted(big, 1 + amount, blur, -amount, 0)
    return sharp

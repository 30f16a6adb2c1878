"""Small faces animated at a higher resolution: Lanczos upscaling, plus an unsharp mask when asked.

No learned weights can be shipped, so `super_resolution` enlarges the whole photo when the face is small (inter-pupil
distance under `TARGET_IPD` px) so the rig warps and draws the mouth at a higher resolution, and restores edge
contrast lost by interpolation. The compose stage then scales the larger clip to the canvas as usual.

Without the flag a small face that the video shows at `SUPERSAMPLE_MIN_DISPLAY` times its photo's pixels or more is
still animated supersampled (`render_factor`), with no sharpening: the photo looks as it would have, but the
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
# A photo shown at under this share of its pixels (a phone's 12 MP portrait in a 720p video: about 0.2) is animated
# at the size it is shown, not its own: every frame's warp, interior and head-box remap then cost what the video's
# pixels cost instead of the photo's (a 4500 px photo took 205 ms a frame), and the compose step's downscale of a
# larger frame would only have thrown the extra pixels away.
DOWNSAMPLE_MAX_DISPLAY = 0.7
MIN_RIG_IPD = 64.0  # px; a face is never animated smaller than this (the lip line and lids need some pixels)


def render_factor(ipd: float, size: tuple[int, int], display_scale: float) -> float:
    """The scale the rig animates a photo shown at `display_scale` times its size at. Enlarged from
    SUPERSAMPLE_MIN_DISPLAY up (up to that scale, never past TARGET_IPD, MAX_FACTOR or MAX_SIDE: the rig's cost
    follows the face's area); reduced below DOWNSAMPLE_MAX_DISPLAY (to the shown size, keeping MIN_RIG_IPD);
    1 in between or when not worth it."""
    if display_scale >= SUPERSAMPLE_MIN_DISPLAY:
        return min(display_scale, upscale_factor(ipd, size))
    if display_scale < DOWNSAMPLE_MAX_DISPLAY:
        f = max(display_scale, min(1.0, MIN_RIG_IPD / max(ipd, 1e-6)))
        return f if f <= 0.85 else 1.0
    return 1.0


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

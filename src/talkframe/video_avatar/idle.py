"""The idle loop: the calmest stretch of the clip, played forward and back (ping-pong) so it never jumps."""

from __future__ import annotations

import numpy as np


def pingpong(index: int, length: int) -> int:
    """0, 1, ..., L-1, L-2, ..., 1, 0, 1, ... for any index >= 0."""
    if length <= 1:
        return 0
    period = 2 * (length - 1)
    j = index % period
    return j if j < length else period - j


def choose_idle(rigid_centre: np.ndarray, ipd: float, opening: np.ndarray, usable: np.ndarray, fps: float,
                seconds: float) -> tuple[int, int]:
    """(start, length) of the stretch with the least head motion and the quietest, most closed mouth.

    `rigid_centre` (n, 2) is the image position of the rigid face points; `opening` the inner-lip opening (IPD).
    The mouth is replaced when rendering, but a jaw that swings in the idle frames shows at the mask's edge.
    """
    n = len(opening)
    k = int(min(n, max(2, round(seconds * fps))))
    speed = np.zeros(n)
    speed[1:] = np.linalg.norm(np.diff(rigid_centre, axis=0), axis=1) / ipd * fps
    jaw = np.zeros(n)
    jaw[1:] = np.abs(np.diff(opening)) * fps
    cost = np.nan_to_num(speed, nan=1e3) + 0.5 * np.nan_to_num(jaw, nan=1e3) + 8.0 * np.nan_to_num(opening, nan=1e3)
    cost = np.where(usable, cost, 1e3)
    window = np.convolve(cost, np.ones(k), mode="valid")
    start = int(np.argmin(window))
    return start, k

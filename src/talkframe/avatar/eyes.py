"""Blinks: the upper lid slides down over the eye (the eye itself is covered, never squashed).

For each image column the lid skin between the lid margin and the brow is stretched down by the blink amount;
pixels below the moving lid margin keep showing the eye. The backward map is closed-form, so a blink costs one
small remap per eye.
"""

from __future__ import annotations

import numpy as np


class EyeLid:
    def __init__(self, upper: np.ndarray, lower: np.ndarray, ipd: float, shape: tuple[int, int]) -> None:
        h, w = shape
        up = upper[np.argsort(upper[:, 0])]
        lo = lower[np.argsort(lower[:, 0])]
        self.reach = 0.32 * ipd  # how far above the lid margin the skin follows
        x0 = int(max(0, np.floor(min(up[:, 0].min(), lo[:, 0].min()) - 2)))
        x1 = int(min(w, np.ceil(max(up[:, 0].max(), lo[:, 0].max()) + 3)))
        y0 = int(max(0, np.floor(up[:, 1].min() - self.reach - 2)))
        y1 = int(min(h, np.ceil(lo[:, 1].max() + 3)))
        self.box = (x0, y0, x1, y1)
        xs = np.arange(x0, x1, dtype=np.float32)
        self.up = np.interp(xs, up[:, 0], up[:, 1]).astype(np.float32)
        lo_y = np.interp(xs, lo[:, 0], lo[:, 1]).astype(np.float32)
        self.opening = np.clip(lo_y - self.up, 0, None) + 0.6 * (lo_y - self.up > 0.5)
        ys, xg = np.mgrid[y0:y1, x0:x1].astype(np.float32)
        self.ys, self.xs = ys, xg

    def map(self, blink: float) -> tuple[np.ndarray, np.ndarray]:
        """Backward map (absolute source coords) for the eye box at blink amount 0..1."""
        hx = (blink * self.opening)[None, :]
        a_out = self.up[None, :] - self.ys
        a_src = (a_out + hx) / (1 + hx / self.reach)
        moving = (a_out >= -hx) & (a_out <= self.reach)
        src_y = np.where(moving, self.up[None, :] - a_src, self.ys)
        return self.xs, src_y.astype(np.float32)

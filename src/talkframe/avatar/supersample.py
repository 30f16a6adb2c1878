"""Small faces are animated at a supersampled resolution and placed back.

A face under `SMALL_FACE_IPD` px between the pupils has lips a few pixels tall: warped, filled and shaded at that
resolution, every resampling step blurs them into a smear with no lip line. So the rig works on the photo enlarged
by an integer factor (Lanczos), and each frame's head box is area-averaged back down to the photo's own pixels: the
lip line, the cavity's edge and the lids are drawn with sub-pixel accuracy, and the clip keeps the photo's size
(nothing downstream changes). Only the mouth box and, in a blink, the eye boxes are enlarged work per frame; the
head moves at the photo's resolution.
"""

from __future__ import annotations

from types import SimpleNamespace

import cv2
import numpy as np

from talkframe.avatar.geometry import face_frame
from talkframe.avatar.head import HeadMotion
from talkframe.avatar.photo_rig import PhotoRig
from talkframe.motion.pose import Pose

SMALL_FACE_IPD = 40.0  # px: smaller faces are supersampled ..
SUPERSAMPLED_IPD = 64.0  # .. by the integer factor that brings them to about this
MAX_FACTOR = 3
MAX_SIDE = 2048


def supersample_factor(ipd: float, size: tuple[int, int]) -> int:
    """The integer factor for a face of `ipd` px in a photo of `size` (w, h); 1 = animate as is."""
    if ipd >= SMALL_FACE_IPD:
        return 1
    k = min(MAX_FACTOR, int(np.ceil(SUPERSAMPLED_IPD / max(ipd, 1e-6))), MAX_SIDE // max(1, max(size)))
    return max(1, k)


def _down(x0: int, y0: int, x1: int, y1: int, k: int, w: int, h: int) -> tuple[int, int, int, int]:
    """A box in enlarged pixels -> the photo-pixel box that covers it (whole k x k cells)."""
    return max(0, x0 // k), max(0, y0 // k), min(w, -(-x1 // k)), min(h, -(-y1 // k))


class SupersampledRig:
    """The `PhotoRig` interface in the photo's own pixels, over a rig that works on the photo enlarged `k` times."""

    def __init__(self, inner: PhotoRig, rgb: np.ndarray, alpha: np.ndarray, person: np.ndarray, k: int) -> None:
        self.inner, self.k = inner, k
        inner.interpolation = cv2.INTER_LINEAR  # area-averaged k x k afterwards: cubic would add nothing
        h, w = rgb.shape[:2]
        self.smile0 = inner.smile0
        self.ipd = inner.ipd / k
        lm = inner.landmarks.copy()
        lm /= k
        self.landmarks = lm
        self.frame_ = face_frame(lm, inner.neutral.seam / k)
        self.box = _down(*inner.box, k, w, h)
        self.eyes = [SimpleNamespace(box=_down(*e.box, k, w, h), width=e.width / k, ratio=e.ratio, enabled=e.enabled)
                     for e in inner.eyes]
        # The head moves at the photo's own resolution (a smooth warp loses nothing there): only the mouth and
        # the lids are drawn enlarged.
        self.head = HeadMotion(lm, self.frame_.ipd, person, (h, w), [self.box] + [e.box for e in self.eyes])
        self.base = np.dstack([rgb, alpha]).astype(np.uint8)
        self.base[self._rows_cols(self.head.box)] = self._shrink(inner.base, self.head.box)

    @staticmethod
    def _rows_cols(box: tuple[int, int, int, int]) -> tuple[slice, slice]:
        x0, y0, x1, y1 = box
        return slice(y0, y1), slice(x0, x1)

    def _shrink(self, big: np.ndarray, box: tuple[int, int, int, int]) -> np.ndarray:
        x0, y0, x1, y1 = box
        k = self.k
        return cv2.resize(big[y0 * k:y1 * k, x0 * k:x1 * k], (x1 - x0, y1 - y0), interpolation=cv2.INTER_AREA)

    @property
    def size(self) -> tuple[int, int]:
        return self.base.shape[1], self.base.shape[0]

    def weights(self, p: Pose) -> dict[str, float]:
        return self.inner.weights(p)

    def inner_lips(self, p: Pose, wts: dict[str, float] | None = None) -> tuple[np.ndarray, np.ndarray]:
        up, lo = self.inner.inner_lips(p, wts)
        return up / self.k, lo / self.k

    def _place(self, work: np.ndarray, big_box: tuple[int, int, int, int], patch: np.ndarray) -> None:
        """Area-average an enlarged patch (at `big_box`) back into `work` (the head box, photo pixels), over whole
        k x k cells (the cells' parts outside the patch come from the enlarged photo)."""
        k = self.k
        h, w = self.base.shape[:2]
        sx0, sy0, sx1, sy1 = _down(*big_box, k, w, h)
        cells = self.inner.base[sy0 * k:sy1 * k, sx0 * k:sx1 * k].copy()
        bx0, by0, bx1, by1 = big_box
        cells[by0 - sy0 * k:by1 - sy0 * k, bx0 - sx0 * k:bx1 - sx0 * k] = patch
        hx0, hy0, _, _ = self.head.box
        work[sy0 - hy0:sy1 - hy0, sx0 - hx0:sx1 - hx0] = cv2.resize(cells, (sx1 - sx0, sy1 - sy0),
                                                                    interpolation=cv2.INTER_AREA)

    def render(self, p: Pose, out: np.ndarray | None = None) -> np.ndarray:
        """As `PhotoRig.render`: with `out` (from `new_frame_buffer`), only the head box is rewritten."""
        inner = self.inner
        hx0, hy0, hx1, hy1 = self.head.box
        work = self.base[hy0:hy1, hx0:hx1].copy()
        self._place(work, inner.box, inner._lower_face(p))
        if p.blink > 0.01:
            b = min(1.0, p.blink)
            for eye in inner.eyes:
                if eye.enabled:
                    mx, my = eye.map(b)
                    lid = cv2.remap(inner.base, mx, my, cv2.INTER_LINEAR, borderMode=cv2.BORDER_REPLICATE)
                    self._place(work, eye.box, eye.finish(lid, b))
        if out is None:
            out = self.base.copy()
        if abs(p.head_yaw) + abs(p.head_pitch) + abs(p.head_roll) + abs(p.head_tx) + abs(p.head_ty) > 1e-4:
            mxy = self.head.map2(p.head_yaw, p.head_pitch, p.head_roll, p.head_tx, p.head_ty)
            cv2.remap(work, mxy, None, cv2.INTER_LINEAR, dst=out[hy0:hy1, hx0:hx1], borderMode=cv2.BORDER_REPLICATE)
        else:
            out[hy0:hy1, hx0:hx1] = work
        return out

    def new_frame_buffer(self) -> np.ndarray:
        return self.base.copy()

    def face_box(self) -> tuple[int, int, int, int]:
        x, y, w, h = self.inner.face_box()
        k = self.k
        return x // k, y // k, -(-w // k), -(-h // k)

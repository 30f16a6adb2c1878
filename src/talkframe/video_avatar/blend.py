"""Pasting a mouth image onto a frame: a feathered lower-face mask, Lab colour matching, and a per-frame paster.

The mask is fixed in the canonical mouth frame (from under the nose to below the lowest chin, cheek to cheek), so
it covers the mouth and jaw of both the pasted image and the frame underneath; its edge is feathered over about a
fifth of an IPD so no seam shows.
"""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np

from talkframe.video_avatar.canonical import MouthFrame

HALF_WIDTH = 0.9  # IPD: the mask's half width at the top edge (inside the cheeks)
TOP = 0.1  # IPD below the subnasale
BOTTOM = 0.45  # IPD below the lowest chin: the edge lies in the neck's shadow, not on the jaw line
FEATHER = 0.2  # IPD


def mouth_mask(frame: MouthFrame) -> np.ndarray:
    """Float32 (h, w) in 0..1: solid over mouth and jaw, feathered at the edge."""
    w, h = frame.size
    s = frame.scale
    cx = frame.mouth_centre[0]
    top = frame.subnasale_y + TOP * s
    bottom = min(h - 2.0, frame.chin_y + BOTTOM * s)
    hard = np.zeros((h, w), np.uint8)
    cv2.ellipse(hard, (int(round(cx)), int(round(top))), (int(HALF_WIDTH * s), int(bottom - top)), 0, 0, 180, 255, -1)
    f = FEATHER * s
    k = max(1, int(round(f / 2)))
    hard = cv2.erode(hard, cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (2 * k + 1, 2 * k + 1)))
    soft = cv2.GaussianBlur(hard.astype(np.float32) / 255.0, (0, 0), f / 3.0)
    return np.clip(soft, 0.0, 1.0)


def colour_band(mask: np.ndarray) -> np.ndarray:
    """Where colours are compared: the feathered edge and a little inside it (skin, where a seam would show)."""
    return (mask > 0.05) & (mask < 0.97)


def lab_stats(rgb: np.ndarray, band: np.ndarray) -> np.ndarray:
    """(2, 3): Lab mean and std of `rgb` inside `band`."""
    lab = cv2.cvtColor(rgb, cv2.COLOR_RGB2Lab).astype(np.float32)[band]
    return np.stack([lab.mean(axis=0), lab.std(axis=0) + 1e-3])


def match_colour(rgb: np.ndarray, src: np.ndarray, dst: np.ndarray) -> np.ndarray:
    """Move `rgb` (whose band has Lab stats `src`) toward stats `dst`; the gain is bounded so open mouths and lit
    teeth keep their contrast."""
    gain = np.clip(dst[1] / src[1], 0.85, 1.18)
    shift = dst[0] - src[0] * gain
    if np.all(np.abs(gain - 1) < 0.01) and np.all(np.abs(shift) < 0.5):
        return rgb
    lab = cv2.cvtColor(rgb, cv2.COLOR_RGB2Lab).astype(np.float32)
    lab = lab * gain + shift
    return cv2.cvtColor(np.clip(lab + 0.5, 0, 255).astype(np.uint8), cv2.COLOR_Lab2RGB)


@dataclass
class Paster:
    """Everything per target frame that does not depend on the mouth: the box, the canonical->box affine and the
    warped mask. Built once per idle frame."""

    box: tuple[int, int, int, int]  # x0, y0, x1, y1 in the frame
    affine: np.ndarray  # canonical crop -> box pixels
    alpha: np.ndarray  # (bh, bw, 1) float32

    @staticmethod
    def build(to_canonical: np.ndarray, frame: MouthFrame, mask: np.ndarray, size: tuple[int, int]) -> Paster:
        back = cv2.invertAffineTransform(to_canonical)
        w, h = frame.size
        corners = np.array([[0, 0], [w, 0], [0, h], [w, h]], np.float64) @ back[:, :2].T + back[:, 2]
        x0, y0 = (int(max(0, np.floor(corners[:, i].min()))) for i in (0, 1))
        x1 = int(min(size[0], np.ceil(corners[:, 0].max())))
        y1 = int(min(size[1], np.ceil(corners[:, 1].max())))
        m = back.copy()
        m[:, 2] -= (x0, y0)
        alpha = cv2.warpAffine(mask, m, (x1 - x0, y1 - y0), flags=cv2.INTER_LINEAR, borderValue=0)
        return Paster((x0, y0, x1, y1), m, alpha[..., None])

    def paste(self, out: np.ndarray, crop: np.ndarray) -> None:
        """Blend `crop` (canonical RGB) into `out` (H, W, >=3 uint8) in place, inside the box only."""
        x0, y0, x1, y1 = self.box
        warped = cv2.warpAffine(crop, self.affine, (x1 - x0, y1 - y0), flags=cv2.INTER_CUBIC,
                                borderMode=cv2.BORDER_REPLICATE)
        region = out[y0:y1, x0:x1, :3]
        base = region.astype(np.float32)
        region[:] = (base + self.alpha * (warped.astype(np.float32) - base) + 0.5).astype(np.uint8)

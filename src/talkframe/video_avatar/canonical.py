"""The canonical mouth frame: every video frame is affinely aligned to it on the rigid points of the face.

Eye corners and the nose do not move when a person speaks, so aligning on them removes head pose and leaves the
real motion of lips and jaw. Mouth images cut in this frame can be pasted onto any other frame of the same person
by the inverse of that frame's alignment. Units: `scale` pixels per inter-pupil distance (IPD); the mouth centre
of the clip's median face sits at a fixed place in the crop.
"""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np

RIGID = [33, 133, 362, 263, 168, 6, 197, 195, 5, 4, 1, 2, 98, 327]  # eye corners and the nose
LIPS_OUTER = [61, 185, 40, 39, 37, 0, 267, 269, 270, 409, 291, 375, 321, 405, 314, 17, 84, 181, 91, 146]
LIPS_INNER = [78, 191, 80, 81, 82, 13, 312, 311, 310, 415, 308, 324, 318, 402, 317, 14, 87, 178, 88, 95]
UPPER_INNER = [80, 81, 82, 13, 312, 311, 310]
LOWER_INNER = [88, 178, 87, 14, 317, 402, 318]
CHIN, SUBNASALE = 152, 2
HALF_WIDTH = 1.45  # crop half width (IPD) around the mouth centre
ABOVE = 0.25  # crop starts this far (IPD) above the subnasale
BELOW = 0.75  # and ends this far below the lowest chin
OVERSAMPLE = 1.5  # crop pixels per image pixel: two resamplings (cut, paste) must not blur the mouth


@dataclass(frozen=True)
class MouthFrame:
    """Where the canonical crop lies: `rigid` points in crop pixels, `size` (w, h), `scale` px per IPD."""

    rigid: np.ndarray  # (len(RIGID), 2)
    size: tuple[int, int]
    scale: float
    mouth_centre: tuple[float, float]  # crop px
    subnasale_y: float  # crop px
    chin_y: float  # crop px, the lowest chin of the clip (95th percentile)

    def to_dict(self) -> dict:
        return {"rigid": self.rigid.tolist(), "size": list(self.size), "scale": self.scale,
                "mouth_centre": list(self.mouth_centre), "subnasale_y": self.subnasale_y, "chin_y": self.chin_y}

    @staticmethod
    def from_dict(d: dict) -> MouthFrame:
        return MouthFrame(np.array(d["rigid"], np.float64), tuple(d["size"]), float(d["scale"]),
                          tuple(d["mouth_centre"]), float(d["subnasale_y"]), float(d["chin_y"]))


def fit_affine(src: np.ndarray, dst: np.ndarray) -> np.ndarray:
    """Least-squares 2x3 affine taking `src` points to `dst` (all points, no outlier rejection: they are clean)."""
    a = np.c_[src, np.ones(len(src))]
    m, *_ = np.linalg.lstsq(a, dst, rcond=None)
    return m.T.astype(np.float64)


def apply(m: np.ndarray, pts: np.ndarray) -> np.ndarray:
    return pts @ m[:, :2].T + m[:, 2]


def invert(m: np.ndarray) -> np.ndarray:
    return cv2.invertAffineTransform(m.astype(np.float64))


def _similarity(src: np.ndarray, dst: np.ndarray) -> np.ndarray:
    m, _ = cv2.estimateAffinePartial2D(src.astype(np.float32), dst.astype(np.float32), method=cv2.LMEDS)
    return m if m is not None else fit_affine(src, dst)


def smooth_landmarks(lm: np.ndarray, found: np.ndarray, sigma: float = 1.0) -> np.ndarray:
    """Gaussian smoothing over time of tracked landmarks (FaceMesh jitters by about half a pixel)."""
    from scipy.ndimage import gaussian_filter1d

    out = lm.copy()
    idx = np.flatnonzero(found)
    if len(idx) > 3 and sigma > 0:
        out[idx] = gaussian_filter1d(lm[idx], sigma, axis=0, mode="nearest")
    return out


def build_frame(landmarks: np.ndarray, found: np.ndarray, max_scale: float = 160.0) -> MouthFrame:
    """The canonical frame of one clip, from its tracked landmarks (n, 478, 2)."""
    lm = landmarks[found]
    ref = lm[len(lm) // 2]
    aligned = np.stack([apply(_similarity(f[RIGID], ref[RIGID]), f) for f in lm[:: max(1, len(lm) // 200)]])
    med = np.median(aligned, axis=0)
    ipd = float(np.linalg.norm(med[468] - med[473]))
    scale = float(np.clip(OVERSAMPLE * ipd, 48.0, max_scale))
    s = scale / ipd
    pts = med * s
    mouth = pts[[61, 291, 13, 14]].mean(axis=0)
    chin = np.percentile(aligned[:, CHIN, 1] * s, 95)
    top = pts[SUBNASALE, 1] - ABOVE * scale
    w = int(round(2 * HALF_WIDTH * scale)) // 2 * 2
    h = int(round(chin + BELOW * scale - top)) // 2 * 2
    off = np.array([mouth[0] - w / 2, top])
    pts = pts - off
    return MouthFrame(pts[RIGID], (w, h), scale, (float(mouth[0] - off[0]), float(mouth[1] - off[1])),
                      float(pts[SUBNASALE, 1]), float(chin - off[1]))


def frame_affines(landmarks: np.ndarray, found: np.ndarray, frame: MouthFrame) -> np.ndarray:
    """(n, 2, 3) image -> canonical crop affines (NaN where no face)."""
    out = np.full((len(landmarks), 2, 3), np.nan)
    for i in np.flatnonzero(found):
        out[i] = fit_affine(landmarks[i, RIGID].astype(np.float64), frame.rigid)
    return out


def lip_shape(lm_canonical: np.ndarray, scale: float) -> tuple[float, float]:
    """(inner-lip opening, mouth width) in IPD from canonical landmarks (478, 2)."""
    opening = (lm_canonical[LOWER_INNER, 1].mean() - lm_canonical[UPPER_INNER, 1].mean()) / scale
    width = float(np.linalg.norm(lm_canonical[61] - lm_canonical[291])) / scale
    return float(max(0.0, opening)), width

"""The mouth library: real mouth images of the clip, cut in the canonical mouth frame, each with its viseme label,
measured lip shape and the features the path search compares."""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np

from talkframe.motion.visemes import Viseme
from talkframe.video_avatar import canonical as C
from talkframe.video_avatar.blend import lab_stats

THUMB = (24, 16)  # (w, h) of the grey mouth thumbnail compared between consecutive choices
LIPS = C.LIPS_OUTER + C.LIPS_INNER


@dataclass
class MouthLibrary:
    crops: np.ndarray  # (n, h, w, 3) uint8, canonical frame
    visemes: list[str]
    source: np.ndarray  # (n,) frame index in the clip; -1 for images made by the photo rig
    opening: np.ndarray  # (n,) inner-lip opening, IPD
    width: np.ndarray  # (n,) mouth width, IPD
    lips: np.ndarray  # (n, 40, 2) lip landmarks in IPD units of the canonical frame
    thumbs: np.ndarray  # (n, 16*24) float32 0..1
    colour: np.ndarray  # (n, 2, 3) Lab mean/std in the mask's edge band

    @property
    def lips_flat(self) -> np.ndarray:
        """(n, 80) lip coordinates, IPD units (for distances between images)."""
        return self.lips.reshape(len(self.lips), -1)

    def __len__(self) -> int:
        return len(self.source)

    def coverage(self) -> dict[str, int]:
        """How many images each viseme has (real ones only)."""
        out = {v.value: 0 for v in Viseme}
        for v, s in zip(self.visemes, self.source, strict=True):
            if s >= 0:
                out[v] += 1
        return out

    def arrays(self) -> dict[str, np.ndarray]:
        return {"crops": self.crops, "visemes": np.array(self.visemes), "source": self.source,
                "opening": self.opening, "width": self.width, "lips": self.lips, "thumbs": self.thumbs,
                "colour": self.colour}

    @staticmethod
    def from_arrays(a: dict[str, np.ndarray]) -> MouthLibrary:
        return MouthLibrary(a["crops"], [str(v) for v in a["visemes"]], a["source"], a["opening"], a["width"],
                            a["lips"], a["thumbs"], a["colour"])

    def extend(self, other: MouthLibrary) -> MouthLibrary:
        cat = {k: np.concatenate([v, other.arrays()[k]]) for k, v in self.arrays().items()}
        return MouthLibrary.from_arrays(cat)


def pick_frames(visemes: list[Viseme], usable: np.ndarray, max_items: int) -> np.ndarray:
    """Frame indices for the library: all usable frames when they fit, else a share per viseme (square root of its
    frequency, so rare visemes keep several examples) taken evenly through the clip."""
    idx = np.flatnonzero(usable)
    if len(idx) <= max_items:
        return idx
    by: dict[str, list[int]] = {}
    for i in idx:
        by.setdefault(visemes[i].value, []).append(int(i))
    weights = {v: np.sqrt(len(f)) for v, f in by.items()}
    total = sum(weights.values())
    out: list[int] = []
    for v, frames in by.items():
        k = max(1, min(len(frames), int(round(max_items * weights[v] / total))))
        out += [frames[j] for j in np.linspace(0, len(frames) - 1, k).round().astype(int)]
    return np.array(sorted(set(out)))


def mouth_entry(rgb: np.ndarray, to_canonical: np.ndarray, landmarks: np.ndarray, frame: C.MouthFrame,
                band: np.ndarray) -> tuple[np.ndarray, float, float, np.ndarray, np.ndarray, np.ndarray]:
    """One library image from one video frame: (crop, opening, width, lips, thumb, colour)."""
    crop = cv2.warpAffine(rgb, to_canonical, frame.size, flags=cv2.INTER_CUBIC, borderMode=cv2.BORDER_REPLICATE)
    lm = C.apply(to_canonical, landmarks.astype(np.float64))
    opening, width = C.lip_shape(lm, frame.scale)
    lips = ((lm[LIPS] - np.array(frame.mouth_centre)) / frame.scale).astype(np.float32)
    return crop, opening, width, lips, mouth_thumb(crop, frame), lab_stats(crop, band)


def mouth_thumb(crop: np.ndarray, frame: C.MouthFrame) -> np.ndarray:
    """Grey thumbnail of the mouth area (1.6 x 1.1 IPD around the mouth centre), 0..1."""
    s, (cx, cy) = frame.scale, frame.mouth_centre
    x0, x1 = int(max(0, cx - 0.8 * s)), int(min(crop.shape[1], cx + 0.8 * s))
    y0, y1 = int(max(0, cy - 0.4 * s)), int(min(crop.shape[0], cy + 0.7 * s))
    grey = cv2.cvtColor(np.ascontiguousarray(crop[y0:y1, x0:x1]), cv2.COLOR_RGB2GRAY)
    return (cv2.resize(grey, THUMB, interpolation=cv2.INTER_AREA).astype(np.float32) / 255.0).reshape(-1)


def assemble(entries: list[tuple], visemes: list[str], source: list[int]) -> MouthLibrary:
    crops, opening, width, lips, thumbs, colour = zip(*entries, strict=True)
    return MouthLibrary(np.stack(crops), list(visemes), np.array(source, int), np.array(opening, np.float32),
                        np.array(width, np.float32), np.stack(lips), np.stack(thumbs), np.stack(colour))

"""A trained video avatar and its files: any worker that can read the directory can render it.

Directory layout (all written by `save`):
    model.json   version, frame rate, size, canonical mouth frame, lip-shape and opening calibration, training notes
    idle.mp4     the idle loop (H.264, CRF 12)
    idle.npz     the idle frames' image -> canonical affines
    mouths.npz   the mouth library (canonical crops, labels, lip shapes, features, colour stats)
"""

from __future__ import annotations

import functools
import json
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from talkframe.video_avatar.blend import Paster, colour_band, lab_stats, mouth_mask
from talkframe.video_avatar.calibrate import OpenCalibration
from talkframe.video_avatar.canonical import MouthFrame
from talkframe.video_avatar.library import MouthLibrary

VERSION = 1


@functools.lru_cache(maxsize=4)
def load_model(directory: str) -> VideoAvatarModel:
    """A loaded model, cached per process (workers render many scenes of the same avatar)."""
    return VideoAvatarModel.load(Path(directory))


@dataclass
class VideoAvatarModel:
    fps: float
    size: tuple[int, int]  # (w, h) of the idle frames
    frame: MouthFrame
    idle_frames: np.ndarray  # (k, h, w, 3) uint8
    idle_affines: np.ndarray  # (k, 2, 3) image -> canonical
    library: MouthLibrary
    open_p95: float  # the clip's wide-open inner-lip opening (IPD): scales target openings when uncalibrated
    width_rest: float  # the clip's resting mouth width (IPD)
    meta: dict = field(default_factory=dict)
    calibration: OpenCalibration | None = None  # curves -> this person's opening (`calibrate.py`); None: linear
    _prepared: tuple | None = field(default=None, repr=False)
    _distances: np.ndarray | None = field(default=None, repr=False)

    def distances(self) -> np.ndarray:
        """The library's visual cut costs (`select.visual_distances`), computed once per loaded model."""
        if self._distances is None:
            from talkframe.video_avatar.select import visual_distances

            self._distances = visual_distances(self.library)
        return self._distances

    def prepared(self) -> tuple[np.ndarray, list[Paster], np.ndarray]:
        """(mask, one Paster per idle frame, Lab stats of each idle frame's mask band); computed once."""
        if self._prepared is None:
            import cv2

            mask = mouth_mask(self.frame)
            band = colour_band(mask)
            pasters = [Paster.build(a, self.frame, mask, self.size) for a in self.idle_affines]
            stats = np.stack([lab_stats(cv2.warpAffine(f, a, self.frame.size, flags=cv2.INTER_LINEAR), band)
                              for f, a in zip(self.idle_frames, self.idle_affines, strict=True)])
            self._prepared = (mask, pasters, stats)
        return self._prepared

    def save(self, directory: Path) -> Path:
        from talkframe.media.mp4 import Mp4Writer

        directory.mkdir(parents=True, exist_ok=True)
        h, w = self.idle_frames.shape[1:3]
        writer = Mp4Writer(directory / "idle.mp4", (w, h), self.fps, crf=12, with_audio=False)
        for f in self.idle_frames:
            writer.write_frame(f)
        writer.close()
        np.savez(directory / "idle.npz", affines=self.idle_affines)
        np.savez_compressed(directory / "mouths.npz", **self.library.arrays())
        doc = {"version": VERSION, "fps": self.fps, "size": list(self.size), "frame": self.frame.to_dict(),
               "open_p95": self.open_p95, "width_rest": self.width_rest, "idle_frames": len(self.idle_frames),
               "calibration": None if self.calibration is None else self.calibration.to_dict(), "meta": self.meta}
        (directory / "model.json").write_text(json.dumps(doc, indent=1))
        return directory

    @staticmethod
    def load(directory: Path) -> VideoAvatarModel:
        import av

        doc = json.loads((directory / "model.json").read_text())
        if doc.get("version") != VERSION:
            raise ValueError(f"video avatar model version {doc.get('version')} is not {VERSION}; train it again")
        with av.open(str(directory / "idle.mp4")) as c:
            idle = np.stack([f.to_ndarray(format="rgb24") for f in c.decode(video=0)])
        affines = np.load(directory / "idle.npz")["affines"]
        with np.load(directory / "mouths.npz") as z:
            lib = MouthLibrary.from_arrays({k: z[k] for k in z.files})
        n = min(len(idle), len(affines))
        cal = doc.get("calibration")  # absent in models trained before it: the linear fallback
        return VideoAvatarModel(float(doc["fps"]), tuple(doc["size"]), MouthFrame.from_dict(doc["frame"]),
                                idle[:n], affines[:n], lib, float(doc["open_p95"]), float(doc["width_rest"]),
                                doc.get("meta", {}), None if cal is None else OpenCalibration.from_dict(cal))

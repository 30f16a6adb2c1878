"""Pass 1 over the clip: face landmarks and head pose on every frame, face counts, and tiny thumbnails for cuts.

FaceMesh runs in video mode on a fixed crop around the face (fast, steady); the full-range detector runs every
`detect_every` frames to count the people in view and to find the face again if tracking loses it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import cv2
import numpy as np

from talkframe.video_avatar.source import ClipInfo, iter_frames

THUMB = 32


@dataclass
class Track:
    fps: float
    size: tuple[int, int]
    landmarks: np.ndarray  # (n, 478, 2) float32 image px; NaN where no face was found
    faces: np.ndarray  # (n,) faces seen by the detector; -1 on frames it did not run
    thumbs: np.ndarray  # (n, THUMB, THUMB) uint8 grey (cut detection)

    @property
    def n_frames(self) -> int:
        return len(self.landmarks)

    @property
    def found(self) -> np.ndarray:
        return ~np.isnan(self.landmarks[:, 0, 0])

    @property
    def ipd(self) -> np.ndarray:
        return np.linalg.norm(self.landmarks[:, 468] - self.landmarks[:, 473], axis=1)


def head_pose(lm: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Rough (yaw, pitch, roll) in degrees from (n, 478, 2) landmarks (enough to reject heavy motion)."""
    le, re = lm[:, 468], lm[:, 473]
    roll = np.degrees(np.arctan2(re[:, 1] - le[:, 1], re[:, 0] - le[:, 0]))
    left, right, nose = lm[:, 234, 0], lm[:, 454, 0], lm[:, 1, 0]
    half = np.maximum(0.5 * (right - left), 1e-6)
    yaw = np.degrees(np.arcsin(np.clip((nose - 0.5 * (left + right)) / half, -1, 1)))
    eye_y, mouth_y = 0.5 * (le[:, 1] + re[:, 1]), 0.5 * (lm[:, 13, 1] + lm[:, 14, 1])
    ratio = (lm[:, 1, 1] - eye_y) / np.maximum(mouth_y - eye_y, 1e-6)
    pitch = np.degrees(np.arcsin(np.clip((ratio - 0.6) * 2.0, -1, 1)))
    return yaw, pitch, roll


class _Models:
    def __init__(self) -> None:
        import mediapipe as mp

        s = mp.solutions
        self.detector = s.face_detection.FaceDetection(model_selection=1, min_detection_confidence=0.5)
        self.mesh = s.face_mesh.FaceMesh(static_image_mode=False, refine_landmarks=True, max_num_faces=1,
                                         min_detection_confidence=0.3, min_tracking_confidence=0.3)

    def close(self) -> None:
        self.detector.close()
        self.mesh.close()

    def detect(self, rgb: np.ndarray) -> list[tuple[int, int, int, int]]:
        h, w = rgb.shape[:2]
        boxes = []
        for d in self.detector.process(rgb).detections or []:
            b = d.location_data.relative_bounding_box
            boxes.append((int(b.xmin * w), int(b.ymin * h), int(b.width * w), int(b.height * h)))
        boxes = [b for b in boxes if b[2] > 4 and b[3] > 4]
        if not boxes:
            return []
        big = max(b[2] * b[3] for b in boxes)
        return sorted((b for b in boxes if b[2] * b[3] >= 0.2 * big), key=lambda b: -b[2] * b[3])


def _crop_around(box: tuple[int, int, int, int], size: tuple[int, int]) -> tuple[int, int, int, int]:
    x, y, bw, bh = box
    side = 3.0 * max(bw, bh)
    cx, cy = x + bw / 2, y + bh / 2
    return (int(max(0, cx - side / 2)), int(max(0, cy - side / 2)), int(min(size[0], cx + side / 2)),
            int(min(size[1], cy + side / 2)))


def track_clip(info: ClipInfo, progress: Callable[[float], None] | None = None, detect_every: int = 0) -> Track:
    """Landmarks on every frame (one decode pass). `detect_every` defaults to about twice a second."""
    every = detect_every or max(1, round(info.fps / 2))
    est = max(1, round(info.duration * info.fps))
    models = _Models()
    lms: list[np.ndarray | None] = []
    faces: list[int] = []
    thumbs: list[np.ndarray] = []
    crop: tuple[int, int, int, int] | None = None
    nan = np.full((478, 2), np.nan, np.float32)
    try:
        for i, rgb in enumerate(iter_frames(info.path)):
            grey = cv2.cvtColor(rgb, cv2.COLOR_RGB2GRAY)
            thumbs.append(cv2.resize(grey, (THUMB, THUMB), interpolation=cv2.INTER_AREA))
            n_faces = -1
            if i % every == 0 or crop is None:
                boxes = models.detect(rgb)
                n_faces = len(boxes)
                if boxes:
                    c = _crop_around(boxes[0], info.size)
                    bx, by = boxes[0][0] + boxes[0][2] / 2, boxes[0][1] + boxes[0][3] / 2
                    inside = crop is not None and (crop[0] + 0.25 * (crop[2] - crop[0]) < bx
                                                   < crop[2] - 0.25 * (crop[2] - crop[0])) and (
                        crop[1] + 0.25 * (crop[3] - crop[1]) < by < crop[3] - 0.25 * (crop[3] - crop[1]))
                    if not inside:
                        crop = c
            faces.append(n_faces)
            if crop is None:
                lms.append(nan)
                continue
            x0, y0, x1, y1 = crop
            res = models.mesh.process(np.ascontiguousarray(rgb[y0:y1, x0:x1]))
            if not res.multi_face_landmarks:
                lms.append(nan)
                continue
            cw, ch = x1 - x0, y1 - y0
            pts = np.array([[p.x * cw + x0, p.y * ch + y0] for p in res.multi_face_landmarks[0].landmark],
                           np.float32)
            lms.append(pts)
            if progress and i % 25 == 0:
                progress(min(1.0, i / est))
    finally:
        models.close()
    n = len(lms)
    return Track(info.fps, info.size, np.stack(lms) if n else np.zeros((0, 478, 2), np.float32),
                 np.array(faces, int), np.stack(thumbs) if n else np.zeros((0, THUMB, THUMB), np.uint8))

"""Face analysis of one photo: where the face is, its 478 landmarks (with iris), head pose and a person mask.

Done once per photo and cached in-process by content hash: the rig precomputes everything from it, and per-frame
re-detection would only add jitter.
"""

from __future__ import annotations

import functools
import hashlib
import threading
from dataclasses import dataclass

import cv2
import numpy as np

from talkframe.avatar import face_cache

_lock = threading.Lock()
MIN_ANALYSIS_FACE = 256  # px: smaller face crops are upscaled to this before the mesh runs


class NoFaceError(ValueError):
    """The photo has no detectable face (the upload endpoint turns this into a 400)."""


@dataclass(frozen=True)
class FaceAnalysis:
    """Landmarks are (478, 3) in source-image pixels (z in the same scale, MediaPipe's convention)."""

    landmarks: np.ndarray
    image_size: tuple[int, int]  # (w, h)
    face_box: tuple[int, int, int, int]  # x, y, w, h of the detected face
    faces_found: int
    ipd: float  # inter-pupil distance in px
    yaw: float  # degrees, + = subject turned to image right
    pitch: float  # degrees, + = chin down
    roll: float  # degrees, + = clockwise in the image
    person_mask: np.ndarray  # (h, w) float32 0..1, soft
    upscaled: float  # factor applied to the face crop for analysis (1 = none)

    @property
    def note(self) -> str | None:
        """A human-readable remark for the API (e.g. several faces were found)."""
        notes = []
        if self.faces_found > 1:
            notes.append(f"{self.faces_found} faces found; animating the largest")
        if self.upscaled > 1.01:
            notes.append(f"small face upscaled x{self.upscaled:.1f} for analysis")
        return "; ".join(notes) or None


@functools.lru_cache(maxsize=1)
def _models():  # type: ignore[no-untyped-def]
    import mediapipe as mp

    s = mp.solutions
    return (
        s.face_detection.FaceDetection(model_selection=1, min_detection_confidence=0.5),
        s.face_detection.FaceDetection(model_selection=0, min_detection_confidence=0.5),
        s.face_mesh.FaceMesh(static_image_mode=True, refine_landmarks=True, max_num_faces=1,
                             min_detection_confidence=0.3),
        s.selfie_segmentation.SelfieSegmentation(model_selection=0),
    )


def _detect(rgb: np.ndarray) -> list[tuple[int, int, int, int]]:
    """Face boxes, full-range model first (small faces in wide frames), short-range as a fallback."""
    full, short, _, _ = _models()
    h, w = rgb.shape[:2]
    for det in (full, short):
        res = det.process(rgb)
        boxes = []
        for d in res.detections or []:
            b = d.location_data.relative_bounding_box
            x, y = int(round(b.xmin * w)), int(round(b.ymin * h))
            boxes.append((x, y, int(round(b.width * w)), int(round(b.height * h))))
        boxes = [b for b in boxes if b[2] > 4 and b[3] > 4]
        if boxes:
            return boxes
    return []


def _mesh_on_crop(rgb: np.ndarray, box: tuple[int, int, int, int]) -> tuple[np.ndarray, float] | None:
    _, _, mesh, _ = _models()
    h, w = rgb.shape[:2]
    x, y, bw, bh = box
    side = int(max(bw, bh) * 2.0)
    cx, cy = x + bw / 2, y + bh / 2
    x0, y0 = int(max(0, cx - side / 2)), int(max(0, cy - side / 2))
    x1, y1 = int(min(w, cx + side / 2)), int(min(h, cy + side / 2))
    crop = np.ascontiguousarray(rgb[y0:y1, x0:x1])
    scale = max(1.0, MIN_ANALYSIS_FACE / max(1, max(bw, bh)) * 1.0)
    if scale > 1.0:
        crop = cv2.resize(crop, None, fx=scale, fy=scale, interpolation=cv2.INTER_CUBIC)
    res = mesh.process(crop)
    if not res.multi_face_landmarks:
        return None
    ch, cw = crop.shape[:2]
    pts = np.array([[p.x * cw, p.y * ch, p.z * cw] for p in res.multi_face_landmarks[0].landmark], np.float64)
    pts /= scale
    pts[:, 0] += x0
    pts[:, 1] += y0
    return pts, scale


def _pose(lm: np.ndarray) -> tuple[float, float, float]:
    """Rough head pose from landmark geometry (enough to damp motion on turned faces)."""
    le, re = lm[468, :2], lm[473, :2]
    roll = float(np.degrees(np.arctan2(re[1] - le[1], re[0] - le[0])))
    left, right, nose = lm[234, 0], lm[454, 0], lm[1, 0]
    mid = 0.5 * (left + right)
    yaw = float(np.degrees(np.arcsin(np.clip((nose - mid) / max(1e-6, 0.5 * (right - left)), -1, 1))))
    eye_y, mouth_y, nose_y = 0.5 * (le[1] + re[1]), 0.5 * (lm[13, 1] + lm[14, 1]), lm[1, 1]
    ratio = (nose_y - eye_y) / max(1e-6, mouth_y - eye_y)
    pitch = float(np.degrees(np.arcsin(np.clip((ratio - 0.6) * 2.0, -1, 1))))
    return yaw, pitch, roll


def _segment(rgb: np.ndarray) -> np.ndarray:
    _, _, _, seg = _models()
    res = seg.process(rgb)
    mask = res.segmentation_mask
    if mask is None:
        return np.ones(rgb.shape[:2], np.float32)
    mask = np.clip(mask.astype(np.float32), 0, 1)
    return cv2.GaussianBlur(mask, (0, 0), max(1.0, rgb.shape[0] / 400))


def analyse_photo(rgb: np.ndarray) -> FaceAnalysis:
    """Analyse an RGB uint8 photo; raises `NoFaceError` when there is no face. Cached by content hash."""
    rgb = np.ascontiguousarray(rgb[..., :3], dtype=np.uint8)
    return _analyse_cached(photo_key(rgb), rgb)


def photo_key(rgb: np.ndarray) -> str:
    """The cache key of a contiguous RGB uint8 photo: its content hash. Remembered for a photo whose pixels live
    in immutable memory (a decoded image: `np.asarray` of a PIL image sits on a `bytes`), so a streamed scene
    hashes it once rather than once per sentence (a 20 MP photo cost 0.3 s a sentence)."""
    root = rgb
    while isinstance(root, np.ndarray) and root.base is not None:
        root = root.base
    ident = (id(root), rgb.__array_interface__["data"][0], rgb.shape, rgb.strides)
    if isinstance(root, bytes):
        hit = _keys.get(ident)
        if hit is not None and hit[0] is root:
            return hit[1]
    key = hashlib.sha1(rgb.tobytes() + repr(rgb.shape).encode()).hexdigest()
    if isinstance(root, bytes):
        if len(_keys) >= 8:
            _keys.clear()
        _keys[ident] = (root, key)  # holds the bytes, so their id is not reused while remembered
    return key


_keys: dict[tuple, tuple[bytes, str]] = {}


_cache: dict[str, FaceAnalysis] = {}


def _analyse_cached(key: str, rgb: np.ndarray) -> FaceAnalysis:
    hit = _cache.get(key) or face_cache.load(key)  # this process, else the disk cache (no MediaPipe load)
    if hit is not None:
        _cache[key] = hit
        return hit
    with _lock:  # MediaPipe graphs are not re-entrant
        hit = _cache.get(key)  # analysed by another thread (e.g. the warm-up) while this one waited
        if hit is not None:
            return hit
        boxes = _detect(rgb)
        upscaled_whole = 1.0
        if not boxes and max(rgb.shape[:2]) < 1024:  # tiny photo: try the detectors on an upscaled copy
            upscaled_whole = 1024 / max(rgb.shape[:2])
            big = cv2.resize(rgb, None, fx=upscaled_whole, fy=upscaled_whole, interpolation=cv2.INTER_CUBIC)
            boxes = [tuple(int(v / upscaled_whole) for v in b) for b in _detect(big)]
        if not boxes:
            raise NoFaceError("no face found in the photo")
        boxes.sort(key=lambda b: -b[2] * b[3])
        mesh = _mesh_on_crop(rgb, boxes[0])
        if mesh is None:
            raise NoFaceError("a face was detected but its landmarks could not be found")
        lm, scale = mesh
        ipd = float(np.linalg.norm(lm[468, :2] - lm[473, :2]))
        if ipd < 4:
            raise NoFaceError("the face is too small to animate")
        yaw, pitch, roll = _pose(lm)
        mask = _segment(rgb)
    result = FaceAnalysis(lm, (rgb.shape[1], rgb.shape[0]), boxes[0], len(boxes), ipd, yaw, pitch, roll, mask,
                          max(scale, upscaled_whole))
    if len(_cache) > 32:
        _cache.clear()
    _cache[key] = result
    face_cache.store(key, result)
    return result

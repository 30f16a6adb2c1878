"""The talking-photo clip: a cached rig for the photo, the scene's motion tracks, frames on demand."""

from __future__ import annotations

import threading
import zlib
from collections import OrderedDict

import cv2
import numpy as np

from talkframe.avatar.enhance import (
    DOWNSAMPLE_MAX_DISPLAY,
    SUPERSAMPLE_MIN_DISPLAY,
    render_factor,
    super_resolve,
    upscale_factor,
)
from talkframe.avatar.face import analyse_photo, photo_key
from talkframe.avatar.photo_rig import PhotoRig
from talkframe.motion import MotionTracks, Pose


class TalkingPhotoClip:
    """An `AvatarClip` (RGBA frames of the photo's size) with `face_box` for close-up crops, and `moving_box`
    (x0, y0, x1, y1): every frame equals the photo outside it (the head box), so compose redraws only that."""

    def __init__(self, rig: PhotoRig, tracks: MotionTracks) -> None:
        self.rig, self.tracks = rig, tracks
        self.size = rig.size
        self.n_frames = tracks.n_frames
        self.face_box: tuple[int, int, int, int] | None = rig.face_box()
        self.moving_box: tuple[int, int, int, int] = rig.head.box
        self.poses = tracks.poses()
        self._buffer: np.ndarray | None = None

    def pose(self, index: int) -> Pose:
        return self.poses[min(max(index, 0), self.n_frames - 1)]

    def frame(self, index: int) -> np.ndarray:
        """RGBA frame `index`.

        Contract: the returned array is a buffer owned by the clip and reused by the next `frame` call (only the
        head box is rewritten; everything else is the cached photo, never copied again). Callers must treat it as
        read-only and must copy it if they keep it past the next call (`compose.scene` reads the visible window and
        copies it into its own contiguous sprite, so it needs neither).
        """
        if self._buffer is None:
            self._buffer = self.rig.new_frame_buffer()
        return self.rig.render(self.pose(index), out=self._buffer)


RIG_CACHE = 4  # rigs kept: the built-in photo at 720p and 1080p, and a user's photo or two
_rigs: OrderedDict[tuple, PhotoRig] = OrderedDict()
_rigs_lock = threading.Lock()


def _build_rig(rgb: np.ndarray, matting: bool, super_resolution: bool, display_scale: float) -> PhotoRig:
    analysis = analyse_photo(rgb)
    if super_resolution:
        factor, sharpen = upscale_factor(analysis.ipd, analysis.image_size), 0.7
    else:
        factor, sharpen = render_factor(analysis.ipd, analysis.image_size, display_scale), 0.0
    if factor != 1.0:
        big = (super_resolve(rgb, factor, sharpen) if factor > 1.0 else
               cv2.resize(rgb, (max(1, round(rgb.shape[1] * factor)), max(1, round(rgb.shape[0] * factor))),
                          interpolation=cv2.INTER_AREA))
        lm = analysis.landmarks * np.array([big.shape[1] / rgb.shape[1], big.shape[0] / rgb.shape[0], factor])
        return PhotoRig(big, analysis, matting, landmarks=lm)
    return PhotoRig(rgb, analysis, matting)


def rig_for(rgb: np.ndarray, matting: bool = False, super_resolution: bool = False,
            display_scale: float = 1.0) -> PhotoRig:
    """The (cached) rig of a photo the video shows at `display_scale` times its size (a small face shown much
    larger is animated supersampled, a large photo shown much smaller at its shown size: `enhance.render_factor`);
    raises `NoFaceError` when it has no face."""
    rgb = np.ascontiguousarray(rgb[..., :3], dtype=np.uint8)
    if super_resolution or DOWNSAMPLE_MAX_DISPLAY <= display_scale < SUPERSAMPLE_MIN_DISPLAY:
        display_scale = 1.0  # animated at the photo's own size at any such scale: one rig serves them all
    key = (photo_key(rgb), matting, super_resolution, round(display_scale, 2))
    with _rigs_lock:
        hit = _rigs.get(key)
        if hit is not None:
            _rigs.move_to_end(key)
            return hit
    rig = _build_rig(rgb, matting, super_resolution, key[3])  # (two threads may build one; the first one stays)
    with _rigs_lock:
        rig = _rigs.setdefault(key, rig)
        _rigs.move_to_end(key)
        while len(_rigs) > RIG_CACHE:
            _rigs.popitem(last=False)
    return rig


def rigs_cached() -> int:
    """How many rigs are kept (the warm-up builds two)."""
    return len(_rigs)


def photo_seed(rgb: np.ndarray) -> int:
    """The motion seed of a photo: the same photo always blinks and moves its head the same way."""
    return zlib.crc32(np.ascontiguousarray(rgb[::7, ::7]).tobytes())


def talking_photo_clip(rgb: np.ndarray, tracks: MotionTracks, matting: bool = False,
                       super_resolution: bool = False, display_scale: float = 1.0) -> TalkingPhotoClip:
    """Animate a photo with the scene's motion tracks; raises `NoFaceError` when it has no face."""
    return TalkingPhotoClip(rig_for(rgb, matting, super_resolution, display_scale), tracks)

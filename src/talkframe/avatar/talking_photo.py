"""The talking-photo clip: a cached rig for the photo, motion tracks for the speech, frames on demand."""

from __future__ import annotations

import functools
import hashlib
import math
import zlib

import numpy as np

from talkframe.avatar.enhance import super_resolve, upscale_factor
from talkframe.avatar.face import analyse_photo
from talkframe.avatar.photo_rig import PhotoRig, Pose
from talkframe.core.types import Speech
from talkframe.motion import MotionTracks, build_tracks

# `use_avatar_iv_model`: our stand-in for HeyGen's "Avatar IV" is livelier motion: larger head movement and nods.
IV_HEAD_GAIN = 1.6


class TalkingPhotoClip:
    """An `AvatarClip` (RGBA frames of the photo's size) with `face_box` for close-up crops."""

    def __init__(self, rig: PhotoRig, tracks: MotionTracks) -> None:
        self.rig, self.tracks = rig, tracks
        self.size = rig.size
        self.n_frames = tracks.n_frames
        self.face_box: tuple[int, int, int, int] | None = rig.face_box()
        self._buffer: np.ndarray | None = None

    def pose(self, index: int) -> Pose:
        t = self.tracks.at(min(max(index, 0), self.n_frames - 1))
        return Pose(**{k: t[k] for k in Pose.__dataclass_fields__})

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


@functools.lru_cache(maxsize=4)
def _rig(key: str, rgb_bytes: bytes, shape: tuple[int, ...], matting: bool, super_resolution: bool) -> PhotoRig:
    rgb = np.frombuffer(rgb_bytes, np.uint8).reshape(shape)
    analysis = analyse_photo(rgb)
    factor = upscale_factor(analysis.ipd, analysis.image_size) if super_resolution else 1.0
    if factor > 1.0:
        big = super_resolve(rgb, factor)
        lm = analysis.landmarks * np.array([big.shape[1] / rgb.shape[1], big.shape[0] / rgb.shape[0], factor])
        return PhotoRig(big, analysis, matting, landmarks=lm)
    return PhotoRig(rgb, analysis, matting)


def rig_for(rgb: np.ndarray, matting: bool = False, super_resolution: bool = False) -> PhotoRig:
    """The (cached) rig of a photo; raises `NoFaceError` when it has no face."""
    rgb = np.ascontiguousarray(rgb[..., :3], dtype=np.uint8)
    key = hashlib.sha1(rgb.tobytes()).hexdigest()
    return _rig(key, rgb.tobytes(), rgb.shape, matting, super_resolution)


def talking_photo_clip(rgb: np.ndarray, speech: Speech, fps: float, talking_style: str = "stable",
                       expression: str = "default", matting: bool = False, super_resolution: bool = False,
                       use_avatar_iv_model: bool = False) -> TalkingPhotoClip:
    rig = rig_for(rgb, matting, super_resolution)
    seed = zlib.crc32(np.ascontiguousarray(rgb[::7, ::7]).tobytes())
    tracks = build_tracks(speech, fps, talking_style, expression, seed,
                          head_gain=IV_HEAD_GAIN if use_avatar_iv_model else 1.0)
    n = max(1, math.ceil(speech.duration * fps - 1e-6))
    assert tracks.n_frames == n
    return TalkingPhotoClip(rig, tracks)

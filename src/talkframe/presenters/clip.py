"""Presenter clips: the scene's motion tracks -> one pose per frame -> frames from a rig at the shown size."""

from __future__ import annotations

import zlib

import numpy as np

from talkframe.motion import MotionTracks, Pose
from talkframe.presenters.catalog import LOOKS
from talkframe.presenters.rig import PresenterRig, render_size

BLUSH = {"default": 0.12, "happy": 0.35}


class PresenterClip:
    """An `AvatarClip`: RGBA frames of `size` (w, h) with alpha = the presenter's silhouette."""

    def __init__(self, avatar_id: str, tracks: MotionTracks, height: int, expression: str = "default"):
        self.avatar_id = avatar_id
        self.tracks = tracks
        self.n_frames = tracks.n_frames
        self.poses = tracks.poses()
        self.rig = PresenterRig(avatar_id, height, BLUSH.get(expression, BLUSH["default"]), self.poses)
        self.size = self.rig.size

    @property
    def face_box(self) -> tuple[int, int, int, int]:
        """(x, y, w, h) of the face in clip pixels, for closeUp and circle framing (drawn in 1000-unit space)."""
        s = self.size[1] / 1000.0
        return round(226 * s), round(178 * s), round(298 * s), round(398 * s)

    def frame(self, index: int) -> np.ndarray:
        return self.rig.render(self.poses[min(max(0, index), self.n_frames - 1)])


def presenter_seed(avatar_id: str) -> int:
    """The motion seed of a presenter: each presenter has its own, steady way of moving."""
    return zlib.crc32(avatar_id.encode())


def presenter_clip(avatar_id: str, tracks: MotionTracks, target_height_px: int = 1080,
                   expression: str = "default") -> PresenterClip:
    """Animate a built-in presenter with `tracks`, drawn `target_height_px` tall (the height it will be shown at,
    i.e. canvas height x character scale, so that it is crisp at the canvas resolution)."""
    if avatar_id not in LOOKS:
        raise KeyError(avatar_id)
    return PresenterClip(avatar_id, tracks, int(target_height_px), expression)


def preview_image(avatar_id: str, height: int = 512) -> np.ndarray:
    """A neutral, friendly frame (RGBA, straight alpha) for the catalogue's preview image."""
    return PresenterRig(avatar_id, height).render(Pose())


__all__ = ["PresenterClip", "presenter_clip", "presenter_seed", "preview_image", "render_size"]

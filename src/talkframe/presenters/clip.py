"""Presenter clips: speech -> shared motion tracks -> one pose per frame -> frames from a rig at the shown size."""

from __future__ import annotations

import zlib

import numpy as np

from talkframe.core.types import Speech
from talkframe.motion import MotionTracks, build_tracks
from talkframe.presenters.catalog import LOOKS
from talkframe.presenters.pose import Pose
from talkframe.presenters.rig import PresenterRig, render_size
from talkframe.request import Character

BLUSH = {"default": 0.12, "happy": 0.35}


class PresenterClip:
    """An `AvatarClip`: RGBA frames of `size` (w, h) with alpha = the presenter's silhouette."""

    def __init__(self, avatar_id: str, tracks: MotionTracks, height: int, expression: str = "default"):
        self.avatar_id = avatar_id
        self.tracks = tracks
        self.n_frames = tracks.n_frames
        self.poses = [Pose.from_tracks(tracks.at(i)) for i in range(self.n_frames)]
        self.rig = PresenterRig(avatar_id, height, BLUSH.get(expression, BLUSH["default"]), self.poses)
        self.size = self.rig.size

    @property
    def face_box(self) -> tuple[int, int, int, int]:
        """(x, y, w, h) of the face in clip pixels, for closeUp and circle framing (drawn in 1000-unit space)."""
        s = self.size[1] / 1000.0
        return round(226 * s), round(178 * s), round(298 * s), round(398 * s)

    def frame(self, index: int) -> np.ndarray:
        return self.rig.render(self.poses[min(max(0, index), self.n_frames - 1)])


def presenter_clip(avatar_id: str, speech: Speech, fps: float, character: Character | None = None,
                   target_height_px: int = 1080) -> PresenterClip:
    """Animate a built-in presenter for `speech`, drawn `target_height_px` tall (the height it will be shown at,
    i.e. canvas height x character scale, so that it is crisp at the canvas resolution)."""
    if avatar_id not in LOOKS:
        raise KeyError(avatar_id)
    character = character or Character(avatar_id=avatar_id)
    seed = zlib.crc32(avatar_id.encode())
    tracks = build_tracks(speech, fps, character.talking_style, character.expression, seed)
    return PresenterClip(avatar_id, tracks, int(target_height_px), character.expression)


def preview_image(avatar_id: str, height: int = 512) -> np.ndarray:
    """A neutral, friendly frame (RGBA, straight alpha) for the catalogue's preview image."""
    return PresenterRig(avatar_id, height).render(Pose())


__all__ = ["PresenterClip", "presenter_clip", "preview_image", "render_size"]

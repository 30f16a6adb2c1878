"""Step 4, avatar: the engine the resolve step chose animates the motion tracks into RGBA frames.

Presenters are drawn at the size they are shown, so they need the canvas; photos and video avatars are animated at
their own size and scaled by the compose step.
"""

from __future__ import annotations

import numpy as np

from talkframe import avatar
from talkframe.avatar.face import NoFaceError, analyse_photo
from talkframe.avatar.landmarks import oval_box
from talkframe.compose.layout import place_avatar
from talkframe.core.types import AvatarClip
from talkframe.motion import MotionTracks
from talkframe.request import Character
from talkframe.resolve.scene import AvatarSource, PresenterSource, VideoAvatarSource

MAX_PRESENTER_HEIGHT = 4320


def scene_avatar(character: Character, source: AvatarSource, tracks: MotionTracks,
                 canvas: tuple[int, int]) -> AvatarClip:
    """A user's video avatar, an illustrated presenter, or the photo rig, driven by the same tracks."""
    if isinstance(source, VideoAvatarSource):
        from talkframe.video_avatar import load_model, video_avatar_clip

        return video_avatar_clip(load_model(str(source.model_dir)), tracks, character.matting)
    if isinstance(source, PresenterSource):
        from talkframe.presenters import presenter_clip

        height = round(canvas[1] * min(10.0, max(0.05, character.scale)))
        return presenter_clip(source.avatar_id, tracks, min(height, MAX_PRESENTER_HEIGHT), character.expression)
    return avatar.build_clip(character, source.rgb, tracks, photo_display_scale(character, source.rgb, canvas))


def photo_display_scale(character: Character, rgb: np.ndarray, canvas: tuple[int, int]) -> float:
    """How many canvas pixels one photo pixel becomes, by the compose step's own layout (style, scale, face)."""
    try:
        face = oval_box(analyse_photo(rgb).landmarks)  # cached: the rig reads the same analysis
    except NoFaceError:
        return 1.0
    placement = place_avatar(canvas, (rgb.shape[1], rgb.shape[0]), character, face)
    return placement.dst.w / placement.src.w

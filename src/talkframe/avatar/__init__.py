"""Avatar stage (the photo engine): a photo's pixels + the scene's motion tracks -> an `AvatarClip` of RGBA frames."""

from __future__ import annotations

import logging

import numpy as np

from talkframe.avatar.face import FaceAnalysis, NoFaceError, analyse_photo
from talkframe.avatar.still import StillClip, rgba_from_rgb
from talkframe.core.types import AvatarClip
from talkframe.motion import MotionTracks
from talkframe.request import Character

__all__ = ["FaceAnalysis", "NoFaceError", "analyse_photo", "build_clip"]
log = logging.getLogger(__name__)


def build_clip(character: Character, rgb: np.ndarray, tracks: MotionTracks, display_scale: float = 1.0) -> AvatarClip:
    """Animate the character's photo with `tracks` (lip sync, blinks, head motion); the video shows it at
    `display_scale` times its size.

    A photo without a detectable face falls back to the still photo (uploads are checked earlier by
    `analyse_photo`, so this only protects old assets).
    """
    from talkframe.avatar.talking_photo import talking_photo_clip

    try:
        return talking_photo_clip(rgb, tracks, character.matting, character.super_resolution, display_scale)
    except NoFaceError:
        log.warning("no face in the photo of %s; rendering it still", character.talking_photo_id or character.avatar_id)
        return StillClip(rgba_from_rgb(rgb), tracks.n_frames)

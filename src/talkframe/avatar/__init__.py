"""Avatar stage: a scene's `character` + its speech -> an `AvatarClip` of RGBA frames."""

from __future__ import annotations

import logging
import math
from pathlib import Path

import numpy as np
from PIL import Image

from talkframe.avatar.face import FaceAnalysis, NoFaceError, analyse_photo
from talkframe.avatar.still import StillClip, rgba_from_rgb
from talkframe.core.types import AvatarClip, Resolver, Speech
from talkframe.request import Character

__all__ = ["FaceAnalysis", "NoFaceError", "analyse_photo", "build_clip", "source_image_path"]
log = logging.getLogger(__name__)


def source_image_path(character: Character, resolver: Resolver) -> Path:
    """The photo that animates this character (talking photo, or the built-in photo behind an avatar id)."""
    from talkframe.avatar.catalog import BUILTIN_AVATARS

    if character.type == "talking_photo" or (character.talking_photo_id and not character.avatar_id):
        return resolver.talking_photo(character.talking_photo_id or "")
    photo = BUILTIN_AVATARS[character.avatar_id or ""]
    return resolver.talking_photo(photo.photo_id)


def build_clip(character: Character, speech: Speech, fps: float, resolver: Resolver) -> AvatarClip:
    """Animate the character's photo for the length of `speech` at `fps` (lip sync, blinks, head motion).

    A photo without a detectable face falls back to the still photo (uploads are checked earlier by
    `analyse_photo`, so this only protects old assets).
    """
    from talkframe.avatar.talking_photo import talking_photo_clip

    n_frames = max(1, math.ceil(speech.duration * fps - 1e-6))
    rgb = np.asarray(Image.open(source_image_path(character, resolver)).convert("RGB"))
    try:
        return talking_photo_clip(rgb, speech, fps, character.talking_style, character.expression,
                                  character.matting, character.super_resolution, character.use_avatar_iv_model)
    except NoFaceError:
        log.warning("no face in the photo of %s; rendering it still", character.talking_photo_id or character.avatar_id)
        return StillClip(rgba_from_rgb(rgb), n_frames)

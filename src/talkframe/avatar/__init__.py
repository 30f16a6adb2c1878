"""Avatar stage: a scene's `character` + its speech -> an `AvatarClip` of RGBA frames."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
from PIL import Image

from talkframe.avatar.still import StillClip, rgba_from_rgb
from talkframe.core.types import AvatarClip, Resolver, Speech
from talkframe.request import Character


def source_image_path(character: Character, resolver: Resolver) -> Path:
    """The photo that animates this character (talking photo, or the built-in photo behind an avatar id)."""
    from talkframe.avatar.catalog import BUILTIN_AVATARS

    if character.type == "talking_photo" or (character.talking_photo_id and not character.avatar_id):
        return resolver.talking_photo(character.talking_photo_id or "")
    photo = BUILTIN_AVATARS[character.avatar_id or ""]
    return resolver.talking_photo(photo.photo_id)


def build_clip(character: Character, speech: Speech, fps: float, resolver: Resolver) -> AvatarClip:
    """Animate the character for the length of `speech` at `fps`."""
    n_frames = max(1, math.ceil(speech.duration * fps - 1e-6))
    rgb = np.asarray(Image.open(source_image_path(character, resolver)).convert("RGB"))
    return StillClip(rgba_from_rgb(rgb), n_frames)

"""Built-in avatars and talking photos that work with no upload."""

from __future__ import annotations

import functools
import uuid
from dataclasses import dataclass
from pathlib import Path

import numpy as np

# The public-domain NASA portrait inside scikit-image's wheel (`skimage.data.astronaut()`).
BUILTIN_PHOTO_ID = "tf_astronaut"
# HeyGen's main path is `character.type: avatar` with an `avatar_id`: this id animates the built-in photo.
BUILTIN_AVATAR_ID = "tf_astronaut_avatar"
DEFAULT_VOICE_ID = "piper.en_US-joe-medium"


@dataclass(frozen=True)
class BuiltinPhoto:
    photo_id: str
    name: str
    gender: str


@dataclass(frozen=True)
class AvatarEntry:
    """One `avatar_id` of the catalogue: `kind` says which engine animates it."""

    avatar_id: str
    name: str
    gender: str
    kind: str  # "photo" (a built-in talking photo) | "illustrated" (a vector presenter)
    default_voice_id: str
    tags: tuple[str, ...] = ()
    photo_id: str | None = None


BUILTIN_PHOTOS = {BUILTIN_PHOTO_ID: BuiltinPhoto(BUILTIN_PHOTO_ID, "Astronaut (built-in)", "female")}
PHOTO_AVATARS = {
    BUILTIN_AVATAR_ID: AvatarEntry(BUILTIN_AVATAR_ID, "Astronaut", "female", "photo", DEFAULT_VOICE_ID,
                                   ("photo", "built-in"), BUILTIN_PHOTO_ID),
}
BUILTIN_AVATARS = PHOTO_AVATARS  # avatar ids animated from a built-in photo


@functools.lru_cache(maxsize=1)
def all_avatars() -> tuple[AvatarEntry, ...]:
    """Every built-in `avatar_id`: the photo avatar, then the illustrated presenters (built once)."""
    from talkframe.presenters import PRESENTERS

    presenters = [AvatarEntry(p.avatar_id, p.name, p.gender, "illustrated", p.default_voice_id, tuple(p.tags))
                  for p in PRESENTERS.values()]
    return (*PHOTO_AVATARS.values(), *presenters)


@functools.lru_cache(maxsize=1)
def _by_id() -> dict[str, AvatarEntry]:
    return {a.avatar_id: a for a in all_avatars()}


def find_avatar(avatar_id: str) -> AvatarEntry | None:
    return _by_id().get(avatar_id)


@functools.lru_cache(maxsize=1)
def astronaut_rgb() -> np.ndarray:
    from skimage import data

    return np.ascontiguousarray(data.astronaut())


def builtin_photo_path(photo_id: str, cache_dir: Path) -> Path:
    """Write the built-in photo once as PNG under `cache_dir` and return its path."""
    from PIL import Image

    if photo_id not in BUILTIN_PHOTOS:
        raise KeyError(photo_id)
    path = cache_dir / f"{photo_id}.png"
    if not path.exists():
        cache_dir.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(f"{path.stem}.{uuid.uuid4().hex}.png")  # unique: processes may race to write it
        Image.fromarray(astronaut_rgb()).save(tmp)
        tmp.replace(path)
    return path

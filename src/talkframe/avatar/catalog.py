"""Built-in avatars and talking photos that work with no upload."""

from __future__ import annotations

import functools
from dataclasses import dataclass
from pathlib import Path

import numpy as np

# The public-domain NASA portrait inside scikit-image's wheel (`skimage.data.astronaut()`).
BUILTIN_PHOTO_ID = "tf_astronaut"
# HeyGen's main path is `character.type: avatar` with an `avatar_id`; until illustrated presenters exist this id
# animates the same built-in photo, so a request written for HeyGen's avatar path works out of the box.
BUILTIN_AVATAR_ID = "tf_astronaut_avatar"


@dataclass(frozen=True)
class BuiltinPhoto:
    photo_id: str
    name: str
    gender: str


BUILTIN_PHOTOS = {BUILTIN_PHOTO_ID: BuiltinPhoto(BUILTIN_PHOTO_ID, "Astronaut (built-in)", "female")}
BUILTIN_AVATARS = {BUILTIN_AVATAR_ID: BUILTIN_PHOTOS[BUILTIN_PHOTO_ID]}


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
        tmp = path.with_suffix(".tmp.png")
        Image.fromarray(astronaut_rgb()).save(tmp)
        tmp.replace(path)
    return path

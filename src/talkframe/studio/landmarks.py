"""The face a talking photo will move: its box and 478 landmarks, kept next to the photo as JSON for the studio."""

from __future__ import annotations

import json
import tempfile
from pathlib import Path
from typing import Any

from talkframe.media.photo import read_photo
from talkframe.services import Services


def landmarks_key(image_key: str) -> str:
    return image_key + ".landmarks.json"


def analyse_file(path: Path) -> dict[str, Any]:
    """Box and landmarks (image pixels, rounded) of the face in a photo; raises `NoFaceError` when there is none."""
    from talkframe.avatar.face import analyse_photo

    a = analyse_photo(read_photo(path))
    return {"width": a.image_size[0], "height": a.image_size[1], "box": [int(v) for v in a.face_box],
            "faces_found": a.faces_found, "points": [[round(float(x), 1), round(float(y), 1)]
                                                     for x, y in a.landmarks[:, :2]]}


def load_or_make(services: Services, image_key: str) -> dict[str, Any] | None:
    """The stored landmarks of a photo, computed and stored on first use; None when no face is found."""
    from talkframe.avatar.face import NoFaceError

    key = landmarks_key(image_key)
    storage = services.storage
    with tempfile.TemporaryDirectory(dir=_tmp(services)) as tmp:
        if storage.exists(key):
            return json.loads(storage.get_file(key, Path(tmp) / "lm.json").read_text())
        if not storage.exists(image_key):
            return None
        image = storage.get_file(image_key, Path(tmp) / Path(image_key).name)
        try:
            data = analyse_file(image)
        except NoFaceError:
            return None
    storage.put_bytes(key, json.dumps(data, separators=(",", ":")).encode())
    return data


def _tmp(services: Services) -> Path:
    path = services.settings.data_dir / "tmp"
    path.mkdir(parents=True, exist_ok=True)
    return path


def svg_path(data: dict[str, Any]) -> str:
    """All landmarks as one SVG path of zero-length strokes (drawn as dots with round caps)."""
    return "".join(f"M{x} {y}h0" for x, y in data["points"])

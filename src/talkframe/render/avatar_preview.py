"""Catalogue previews of an avatar: a still PNG and a short spoken MP4, made once and cached on disk."""

from __future__ import annotations

import shutil
import tempfile
import threading
from pathlib import Path

from PIL import Image

from talkframe.avatar.catalog import AvatarEntry, builtin_photo_path
from talkframe.render.pipeline import render_video
from talkframe.request import GenerateRequest
from talkframe.resolve import LocalResolver

PREVIEW_TEXT = "Hello! I can present your script in any language you like."
_locks: dict[str, threading.Lock] = {}
_guard = threading.Lock()


def _lock(key: str) -> threading.Lock:
    with _guard:
        return _locks.setdefault(key, threading.Lock())


def preview_image_file(avatar: AvatarEntry, cache_dir: Path) -> Path:
    path = cache_dir / f"{avatar.avatar_id}.png"
    with _lock(str(path)):
        if not path.exists():
            cache_dir.mkdir(parents=True, exist_ok=True)
            tmp = path.with_suffix(".tmp.png")
            Image.fromarray(_still(avatar, cache_dir)).save(tmp)
            tmp.replace(path)
    return path


def _still(avatar: AvatarEntry, cache_dir: Path):  # type: ignore[no-untyped-def]
    import numpy as np

    if avatar.photo_id is not None:
        return np.asarray(Image.open(builtin_photo_path(avatar.photo_id, cache_dir)).convert("RGB"))
    from talkframe.presenters import preview_image

    return preview_image(avatar.avatar_id, 512)


def preview_video_file(avatar: AvatarEntry, cache_dir: Path) -> Path:
    path = cache_dir / f"{avatar.avatar_id}.mp4"
    with _lock(str(path)):
        if not path.exists():
            req = GenerateRequest.model_validate({
                "video_inputs": [{"character": {"type": "avatar", "avatar_id": avatar.avatar_id},
                                  "voice": {"type": "text", "input_text": PREVIEW_TEXT,
                                            "voice_id": avatar.default_voice_id}}],
                "dimension": {"width": 512, "height": 512}})
            with tempfile.TemporaryDirectory() as tmp:
                out = render_video(req, LocalResolver(cache_dir), Path(tmp))
                cache_dir.mkdir(parents=True, exist_ok=True)
                shutil.move(out.video, path.with_suffix(".tmp.mp4"))
            path.with_suffix(".tmp.mp4").replace(path)
    return path

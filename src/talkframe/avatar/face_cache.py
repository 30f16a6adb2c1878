"""Face analyses kept on disk (under the data dir's cache), by the photo's content hash.

MediaPipe costs a cold process about 2 s (import and graph loads) before it has analysed anything; a photo that
was analysed once, in any process (the upload check, a worker's warm-up, an earlier render), is read back in a few
milliseconds instead. Entries are exact (the arrays as computed) and keyed by the MediaPipe version and
`VERSION` (bump it when the analysis changes); an unreadable entry is ignored and recomputed.

The built-in photo's analysis also ships in the package (`BUNDLED`, written by `scripts/bundle_face_analysis.py`):
users' photos are analysed when they are uploaded, so with it no render worker needs MediaPipe to start, and a
fresh install's first video does not share the CPU with MediaPipe's load. An entry for another MediaPipe version
or `VERSION` is simply not found, and the photo is analysed as any other.
"""

from __future__ import annotations

import functools
import json
import logging
import os
import uuid
from dataclasses import asdict
from importlib import metadata
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from talkframe.avatar.face import FaceAnalysis

log = logging.getLogger(__name__)
VERSION = 1
BUNDLED = Path(__file__).resolve().parent.parent / "data"
_ARRAYS = ("landmarks", "person_mask")


@functools.lru_cache(maxsize=1)
def _tag() -> str:
    try:
        mp = metadata.version("mediapipe")
    except metadata.PackageNotFoundError:
        mp = "none"
    return f"v{VERSION}-mp{mp}"


def _path(key: str) -> Path | None:
    try:
        from talkframe.core.config import get_settings

        return get_settings().cache_dir / "face-analysis" / f"{key}-{_tag()}.npz"
    except Exception:  # noqa: BLE001 - no usable settings: no disk cache
        return None


def bundled_path(key: str) -> Path:
    return BUNDLED / f"face-analysis-{key}-{_tag()}.npz"


def load(key: str) -> FaceAnalysis | None:
    from talkframe.avatar.face import FaceAnalysis

    path = _path(key)
    if path is None or not path.exists():
        path = bundled_path(key)
    if not path.exists():
        return None
    try:
        with np.load(path, allow_pickle=False) as data:
            fields = json.loads(str(data["meta"]))
            fields.update({name: data[name] for name in _ARRAYS})
        fields["image_size"], fields["face_box"] = tuple(fields["image_size"]), tuple(fields["face_box"])
        return FaceAnalysis(**fields)
    except Exception:  # noqa: BLE001 - a torn or stale entry: analyse again
        log.warning("ignoring unreadable face-analysis cache entry %s", path)
        return None


def store(key: str, analysis: FaceAnalysis, path: Path | None = None, *, compressed: bool = False) -> None:
    """Write `analysis` to the disk cache (or to `path`)."""
    path = path or _path(key)
    if path is None:
        return
    meta = {k: v for k, v in asdict(analysis).items() if k not in _ARRAYS}
    save = np.savez_compressed if compressed else np.savez
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(f"{path.stem}.{uuid.uuid4().hex}.tmp.npz")  # processes may race: write, then rename
        save(tmp, meta=np.array(json.dumps(meta)), **{name: np.asarray(getattr(analysis, name)) for name in _ARRAYS})
        os.replace(tmp, path)
    except OSError as exc:
        log.warning("could not cache a face analysis: %s", exc)

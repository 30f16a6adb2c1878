"""Write the built-in photo's face analysis into the package (src/talkframe/data/), so no render worker needs
MediaPipe for it. Run after changing the analysis (`face_cache.VERSION`) or the pinned MediaPipe:

    .venv/bin/python scripts/bundle_face_analysis.py

It analyses with MediaPipe (no cache read), removes bundled entries of other versions, and writes a compressed
entry keyed like the disk cache. `tests/avatar/test_bundled_analysis.py` checks it equals a fresh analysis.
"""

from __future__ import annotations

from unittest import mock

import numpy as np

from talkframe.avatar import face, face_cache
from talkframe.avatar.catalog import astronaut_rgb


def main() -> None:
    rgb = np.ascontiguousarray(astronaut_rgb()[..., :3], dtype=np.uint8)
    key = face.photo_key(rgb)
    with mock.patch.object(face_cache, "load", return_value=None), mock.patch.object(face_cache, "store"):
        analysis = face.analyse_photo(rgb)
    for old in face_cache.BUNDLED.glob("face-analysis-*.npz"):
        old.unlink()
    path = face_cache.bundled_path(key)
    face_cache.store(key, analysis, path, compressed=True)
    print(f"{path} ({path.stat().st_size} bytes)")


if __name__ == "__main__":
    main()

"""The built-in photo's face analysis ships in the package: it equals a fresh MediaPipe analysis, and a cold
process with an empty cache renders the built-in avatar without loading MediaPipe."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from unittest import mock

import numpy as np

from talkframe.avatar import face, face_cache
from talkframe.avatar.catalog import astronaut_rgb


def test_the_bundled_analysis_is_what_mediapipe_computes() -> None:
    rgb = np.ascontiguousarray(astronaut_rgb()[..., :3])
    key = face.photo_key(rgb)
    assert face_cache.bundled_path(key).exists(), "run scripts/bundle_face_analysis.py"
    with mock.patch.object(face_cache, "_path", return_value=None):  # no disk cache: the bundled entry only
        bundled = face_cache.load(key)
    with mock.patch.object(face_cache, "load", return_value=None), mock.patch.object(face_cache, "store"), \
            mock.patch.dict(face._cache, clear=True):
        fresh = face.analyse_photo(rgb)
    assert bundled is not None
    np.testing.assert_array_equal(bundled.landmarks, fresh.landmarks)
    np.testing.assert_array_equal(bundled.person_mask, fresh.person_mask)
    assert (bundled.image_size, bundled.face_box, bundled.ipd, bundled.yaw) == \
        (fresh.image_size, fresh.face_box, fresh.ipd, fresh.yaw)


def test_a_cold_render_of_the_built_in_avatar_loads_no_mediapipe(tmp_path: Path) -> None:
    request = tmp_path / "req.json"
    request.write_text(json.dumps({"video_inputs": [{"character": {"type": "avatar",
                                                                   "avatar_id": "tf_astronaut_avatar"},
                                                     "voice": {"type": "silence", "duration": 0.5}}],
                                   "dimension": {"width": 320, "height": 240}}))
    code = ("import sys; from talkframe.cli import main; rc = main(['render', sys.argv[1], '-o', sys.argv[2]]); "
            "print('MEDIAPIPE' if 'mediapipe' in sys.modules else 'NO-MEDIAPIPE'); sys.exit(rc)")
    env = {**os.environ, "TALKFRAME_DATA_DIR": str(tmp_path / "data")}
    out = subprocess.run([sys.executable, "-c", code, str(request), str(tmp_path / "v.mp4")], env=env,
                         capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr[-2000:]
    assert out.stdout.strip().splitlines()[-1] == "NO-MEDIAPIPE"
    assert (tmp_path / "v.mp4").stat().st_size > 0
    assert not list((tmp_path / "data").glob("cache/face-analysis/*.npz"))  # nothing analysed, nothing cached

"""Clips that cannot train a video avatar fail with a clear `TrainingError` (and a stable code)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from talkframe.core.types import Speech
from talkframe.video_avatar import TrainingError, train_video_avatar
from tests.video_avatar.conftest import face_crop, make_clip

SECONDS = 3.0


@pytest.fixture(scope="module")
def voice(training_speech: Speech) -> np.ndarray:
    return training_speech.audio[: int(SECONDS * training_speech.sample_rate)]


def _fails(path: Path, tmp_path: Path, **kw: object) -> TrainingError:
    with pytest.raises(TrainingError) as info:
        train_video_avatar(path, tmp_path / "model", min_seconds=kw.pop("min_seconds", 2.0), **kw)  # type: ignore[arg-type]
    assert not (tmp_path / "model" / "model.json").exists()
    return info.value


def test_malformed_file(tmp_path: Path) -> None:
    p = tmp_path / "clip.mp4"
    p.write_bytes(b"this is not a video at all" * 100)
    err = _fails(p, tmp_path)
    assert err.code == "invalid_video" and "not a readable video" in str(err)


def test_too_short_with_the_real_minimum(tmp_path: Path, voice: np.ndarray) -> None:
    still = face_crop()
    p = make_clip(tmp_path / "short.mp4", lambda i: still, SECONDS, voice)
    err = _fails(p, tmp_path, min_seconds=30.0)
    assert err.code == "too_short" and "at least 30 s" in str(err)


def test_no_audio_track(tmp_path: Path) -> None:
    still = face_crop()
    err = _fails(make_clip(tmp_path / "mute.mp4", lambda i: still, SECONDS, None), tmp_path)
    assert err.code == "no_audio" and "no audio" in str(err)


def test_silent_audio(tmp_path: Path) -> None:
    still = face_crop()
    err = _fails(make_clip(tmp_path / "silent.mp4", lambda i: still, SECONDS, np.zeros(100, np.float32)), tmp_path)
    assert err.code == "silent_audio" and "silent" in str(err)


def test_faceless_clip(tmp_path: Path, voice: np.ndarray) -> None:
    plain = np.full((256, 256, 3), (40, 120, 200), np.uint8)
    err = _fails(make_clip(tmp_path / "plain.mp4", lambda i: plain, SECONDS, voice), tmp_path)
    assert err.code == "no_face" and "no face" in str(err)


def test_two_people(tmp_path: Path, voice: np.ndarray) -> None:
    two = np.hstack([face_crop(), face_crop()])
    err = _fails(make_clip(tmp_path / "two.mp4", lambda i: two, SECONDS, voice), tmp_path)
    assert err.code == "multiple_faces" and "2 people" in str(err)


def test_cut_to_another_shot(tmp_path: Path, voice: np.ndarray) -> None:
    a = face_crop()
    b = np.ascontiguousarray(np.roll(a[:, ::-1], 40, axis=1)[..., ::-1])  # mirrored, moved, other colours
    err = _fails(make_clip(tmp_path / "cut.mp4", lambda i: a if i < 38 else b, SECONDS, voice), tmp_path)
    assert err.code == "scene_cut" and "1.5 s" in str(err)


def test_heavy_motion(tmp_path: Path, voice: np.ndarray) -> None:
    big = face_crop(384)

    def shaky(i: int) -> np.ndarray:
        dx = int(round(56 + 50 * np.sin(2 * np.pi * 1.5 * i / 25.0)))
        return np.ascontiguousarray(big[40:296, dx:dx + 256])

    err = _fails(make_clip(tmp_path / "shaky.mp4", shaky, SECONDS, voice), tmp_path)
    assert err.code == "heavy_motion" and "moves" in str(err)

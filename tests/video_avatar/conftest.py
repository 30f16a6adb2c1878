"""Footage for the video-avatar tests, made once per session with our own photo engine (no talking video ships
offline): the astronaut speaking Piper speech with head motion and blinks, plus the malformed clips."""

from __future__ import annotations

from pathlib import Path

import cv2
import numpy as np
import pytest

from talkframe.avatar.catalog import astronaut_rgb
from talkframe.core.types import Speech
from talkframe.video_avatar import VideoAvatarModel, train_video_avatar
from talkframe.video_avatar.footage import SCRIPT, speak, talking_footage, write_clip

NEW_LINES = "Peter picked a bowl of apples. Who knew? Five of them were wonderful, and the others were awful."
FPS = 25.0


@pytest.fixture(scope="session")
def va_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("video_avatar")


@pytest.fixture(scope="session")
def training_speech() -> Speech:
    return speak(SCRIPT)


@pytest.fixture(scope="session")
def footage(va_dir: Path, training_speech: Speech) -> Path:
    """About 18 s of the astronaut talking at 512x512, 25 fps."""
    return talking_footage(va_dir / "footage.mp4", astronaut_rgb(), training_speech, FPS)


@pytest.fixture(scope="session")
def trained(va_dir: Path, footage: Path) -> tuple[VideoAvatarModel, Path]:
    work = va_dir / "model"
    return train_video_avatar(footage, work, transcript=SCRIPT, min_seconds=10), work


@pytest.fixture(scope="session")
def new_speech() -> Speech:
    return speak(NEW_LINES)


def face_crop(size: int = 256) -> np.ndarray:
    """The astronaut's head and shoulders, square."""
    rgb = astronaut_rgb()
    return cv2.resize(np.ascontiguousarray(rgb[20:340, 60:380]), (size, size), interpolation=cv2.INTER_AREA)


def make_clip(path: Path, frame_fn, seconds: float, audio: np.ndarray | None, rate: int = 22050) -> Path:  # type: ignore[no-untyped-def]
    n = int(round(seconds * FPS))
    if audio is not None:
        audio = np.resize(audio, int(seconds * rate)).astype(np.float32)
    return write_clip(path, frame_fn, n, FPS, audio, rate)

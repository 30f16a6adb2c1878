"""Reading an uploaded clip: probe it, stream its frames, decode its audio (PyAV; no system ffmpeg)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import av
import numpy as np

from talkframe.video_avatar.errors import TrainingError


@dataclass(frozen=True)
class ClipInfo:
    path: Path
    fps: float
    size: tuple[int, int]  # (w, h)
    duration: float  # seconds of video
    has_audio: bool


def probe(path: Path) -> ClipInfo:
    """What the clip is; raises `TrainingError` when it is not a video PyAV can read."""
    try:
        container = av.open(str(path))
    except (av.error.FFmpegError, OSError, ValueError) as exc:
        raise TrainingError(f"the upload is not a readable video file ({exc.__class__.__name__})") from exc
    with container:
        if not container.streams.video:
            raise TrainingError("the upload has no video stream")
        vs = container.streams.video[0]
        fps = float(vs.average_rate or vs.guessed_rate or 0)
        if not fps or vs.width < 16 or vs.height < 16:
            raise TrainingError("the video stream has no usable frame rate or size")
        if vs.duration is not None and vs.time_base is not None:
            duration = float(vs.duration * vs.time_base)
        elif container.duration is not None:
            duration = container.duration / av.time_base
        else:
            duration = (vs.frames or 0) / fps
        return ClipInfo(path, fps, (vs.width, vs.height), duration, bool(container.streams.audio))


def iter_frames(path: Path) -> Iterator[np.ndarray]:
    """RGB uint8 frames in display order."""
    try:
        with av.open(str(path)) as container:
            for frame in container.decode(video=0):
                yield frame.to_ndarray(format="rgb24")
    except av.error.FFmpegError as exc:
        raise TrainingError(f"the video could not be decoded ({exc})") from exc


def read_audio(path: Path, sample_rate: int = 16000) -> np.ndarray:
    """Mono float32 audio; `TrainingError` when there is none."""
    from talkframe.core.errors import RenderError
    from talkframe.media.audio import decode_audio

    try:
        return decode_audio(path, sample_rate, max_seconds=900.0)
    except RenderError as exc:
        raise TrainingError("the clip has no audio: the avatar learns its mouth shapes from the clip's own speech",
                            "no_audio") from exc

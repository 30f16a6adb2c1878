"""Decode any audio container PyAV knows into mono float32 at one sample rate."""

from __future__ import annotations

from pathlib import Path

import av
import numpy as np

from talkframe.core.errors import EMPTY_AUDIO_STREAM, INVALID_AUDIO_FORMAT, VIDEO_TOO_LONG, RenderError


def decode_audio(path: Path, sample_rate: int, max_seconds: float = 600.0) -> np.ndarray:
    """Return mono float32 samples in [-1, 1]; raise `RenderError` on broken, empty or too long input."""
    try:
        container = av.open(str(path))
    except (av.error.FFmpegError, OSError) as exc:
        raise RenderError(INVALID_AUDIO_FORMAT, "The audio file could not be decoded", str(exc)) from exc
    with container:
        if not container.streams.audio:
            raise RenderError(EMPTY_AUDIO_STREAM, "The audio file has no audio stream")
        resampler = av.AudioResampler(format="flt", layout="mono", rate=sample_rate)
        parts: list[np.ndarray] = []
        total = 0
        try:
            for frame in container.decode(audio=0):
                for out in resampler.resample(frame):
                    arr = out.to_ndarray().reshape(-1)
                    parts.append(arr)
                    total += len(arr)
                if total > max_seconds * sample_rate:
                    raise RenderError(VIDEO_TOO_LONG, f"Audio is too long (> {max_seconds:.0f}s)")
            for out in resampler.resample(None):
                parts.append(out.to_ndarray().reshape(-1))
        except av.error.FFmpegError as exc:
            raise RenderError(INVALID_AUDIO_FORMAT, "The audio file is corrupt", str(exc)) from exc
    if not parts or sum(len(p) for p in parts) == 0:
        raise RenderError(EMPTY_AUDIO_STREAM, "The audio file contains no samples")
    return np.clip(np.concatenate(parts).astype(np.float32), -1.0, 1.0)

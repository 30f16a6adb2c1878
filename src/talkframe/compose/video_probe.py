"""What a background clip is: frame count, frame rate, size, duration (read with PyAV, no frames decoded)."""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path

import av

from talkframe.core.errors import EMPTY_VIDEO_STREAM, FILE_CORRUPTED, RenderError


@dataclass(frozen=True)
class VideoInfo:
    frames: int
    fps: float
    size: tuple[int, int]

    @property
    def duration(self) -> float:
        return self.frames / self.fps


def probe_video(path: Path) -> VideoInfo:
    """Header values when the container has them; otherwise count packets (demuxing is cheap, decoding is not)."""
    try:
        with av.open(str(path)) as container:
            if not container.streams.video:
                raise RenderError(EMPTY_VIDEO_STREAM, "The background video has no video stream")
            stream = container.streams.video[0]
            rate = stream.average_rate or stream.guessed_rate or Fraction(25)
            fps = float(rate) if float(rate) > 0 else 25.0
            size = (stream.codec_context.width, stream.codec_context.height)
            frames = int(stream.frames or 0)
            if frames <= 0:
                frames = sum(1 for p in container.demux(stream) if p.size)
    except RenderError:
        raise
    except Exception as exc:  # noqa: BLE001 - any demuxer failure is the user's file
        raise RenderError(FILE_CORRUPTED, "The background video could not be read", str(exc)) from exc
    if frames <= 0 or size[0] <= 0 or size[1] <= 0:
        raise RenderError(EMPTY_VIDEO_STREAM, "The background video has no frames")
    return VideoInfo(frames, fps, size)

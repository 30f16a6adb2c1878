"""Data passed between pipeline stages: speech with its timeline, and the frame contracts.

Every stage (voice, motion, avatar, compose, encode) takes and returns these plain values, so that the CLI, the
embedded runner and a Celery worker run the same code and each stage can be tested alone.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Protocol, runtime_checkable

import numpy as np


@dataclass(frozen=True)
class Phone:
    """One phoneme with its time span in seconds.

    `symbol` is espeak IPA (Piper, espeak-ng) or ARPAbet (pocketsphinx); `" "` marks a word gap and `""` silence.
    """

    symbol: str
    start: float
    end: float


@dataclass(frozen=True)
class Word:
    """One spoken word with its time span in seconds (for captions and emphasis)."""

    text: str
    start: float
    end: float


@dataclass
class Speech:
    """Mono float32 audio in [-1, 1] plus the timeline that drives lips and captions.

    The timeline spans the audio exactly: the last phone ends at `duration`.
    """

    audio: np.ndarray
    sample_rate: int
    phones: list[Phone] = field(default_factory=list)
    words: list[Word] = field(default_factory=list)

    @property
    def duration(self) -> float:
        return len(self.audio) / float(self.sample_rate)

    @staticmethod
    def silence(seconds: float, sample_rate: int = 22050) -> Speech:
        n = max(1, round(seconds * sample_rate))
        return Speech(np.zeros(n, np.float32), sample_rate, [Phone("", 0.0, n / sample_rate)], [])


@runtime_checkable
class AvatarClip(Protocol):
    """An avatar animated for one scene: `frame(i)` is an RGBA uint8 image of `size` (w, h).

    Alpha is the matte (255 inside the person when matting is on, or the whole rectangle when not); the compose
    stage places it with `talkframe.compose.layout`. Optional attributes: `face_box` (x, y, w, h; close-up crops)
    and `moving_box` (x0, y0, x1, y1: every frame equals every other outside it, so compose redraws only that).
    """

    size: tuple[int, int]
    n_frames: int

    def frame(self, index: int) -> np.ndarray: ...


@runtime_checkable
class FrameSource(Protocol):
    """A background for one scene: `frame(i)` is an RGB uint8 image of the canvas size."""

    def frame(self, index: int) -> np.ndarray: ...

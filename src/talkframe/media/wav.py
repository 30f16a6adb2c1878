"""16-bit mono WAV files: scene audio handed from renders to the join, voice previews, test media."""

from __future__ import annotations

import wave
from collections.abc import Iterator
from pathlib import Path

import numpy as np


def write_wav(path: Path, samples: np.ndarray, rate: int) -> None:
    pcm = (np.clip(samples, -1.0, 1.0) * 32767.0).round().astype("<i2")
    with wave.open(str(path), "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(rate)
        w.writeframes(pcm.tobytes())


def iter_wavs(paths: list[Path], chunk_frames: int = 65536) -> Iterator[np.ndarray]:
    """The samples of several WAV files, one after the other, in chunks (never the whole track at once)."""
    for path in paths:
        with wave.open(str(path), "rb") as w:
            while True:
                data = w.readframes(chunk_frames)
                if not data:
                    break
                yield np.frombuffer(data, "<i2").astype(np.float32) / 32767.0


def wav_rate(path: Path) -> int:
    with wave.open(str(path), "rb") as w:
        return w.getframerate()


class WavWriter:
    """A 16-bit mono WAV written chunk by chunk (the same samples `write_wav` writes for the joined chunks)."""

    def __init__(self, path: Path, rate: int) -> None:
        self.path, self.rate = path, rate
        self._w = wave.open(str(path), "wb")  # noqa: SIM115 - closed by close()
        self._w.setnchannels(1)
        self._w.setsampwidth(2)
        self._w.setframerate(rate)
        self.frames = 0

    def write(self, samples: np.ndarray) -> np.ndarray:
        """Append `samples`; returns the 16-bit samples written."""
        pcm = (np.clip(samples, -1.0, 1.0) * 32767.0).round().astype("<i2")
        self._w.writeframes(pcm.tobytes())
        self.frames += len(pcm)
        return pcm

    def close(self) -> None:
        self._w.close()

"""decode_audio: the containers users upload decode to mono 22.05 kHz; broken files fail clearly."""

from __future__ import annotations

from pathlib import Path

import av
import numpy as np
import pytest

from talkframe.core.errors import RenderError
from talkframe.media.audio import decode_audio


def _encode(path: Path, codec: str, seconds: float = 1.0, rate: int = 48000) -> None:
    t = np.arange(int(seconds * rate)) / rate
    samples = (0.3 * np.sin(2 * np.pi * 220 * t)).astype(np.float32)
    with av.open(str(path), "w") as out:
        stream = out.add_stream(codec, rate=rate, layout="mono")
        for i in range(0, len(samples), 1024):
            chunk = samples[i: i + 1024]
            frame = av.AudioFrame.from_ndarray(chunk.reshape(1, -1), format="flt", layout="mono")
            frame.sample_rate = rate
            frame.pts = i
            for packet in stream.encode(frame):
                out.mux(packet)
        for packet in stream.encode(None):
            out.mux(packet)


@pytest.mark.parametrize(("name", "codec"), [("a.wav", "pcm_s16le"), ("a.mp3", "libmp3lame"),
                                             ("a.m4a", "aac"), ("a.ogg", "libopus"), ("a.webm", "libopus")])
def test_decodes_common_containers(tmp_path: Path, name: str, codec: str) -> None:
    path = tmp_path / name
    _encode(path, codec)
    audio = decode_audio(path, 22050)
    assert audio.dtype == np.float32
    assert len(audio) / 22050 == pytest.approx(1.0, abs=0.08)
    assert 0.15 < np.abs(audio).max() <= 1.0


def test_garbage_and_empty_files(tmp_path: Path) -> None:
    junk = tmp_path / "junk.mp3"
    junk.write_bytes(b"this is not audio at all" * 50)
    with pytest.raises(RenderError) as exc:
        decode_audio(junk, 22050)
    assert exc.value.message
    png = tmp_path / "image.wav"
    png.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(2000))
    with pytest.raises(RenderError):
        decode_audio(png, 22050)


def test_length_cap(tmp_path: Path) -> None:
    path = tmp_path / "long.wav"
    _encode(path, "pcm_s16le", seconds=3.0, rate=8000)
    with pytest.raises(RenderError) as exc:
        decode_audio(path, 22050, max_seconds=2.0)
    assert "too long" in exc.value.message

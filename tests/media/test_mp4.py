"""The MP4 writer: audio and picture start together as a player decodes them (AAC priming handled)."""

from __future__ import annotations

from pathlib import Path

import av
import numpy as np

from talkframe.media.mp4 import Mp4Writer


def test_flash_and_beep_line_up(tmp_path: Path) -> None:
    fps, rate = 25, 22050
    path = tmp_path / "sync.mp4"
    w = Mp4Writer(path, (160, 120), fps)
    audio = np.zeros(rate * 2, np.float32)
    t = np.arange(rate // 5) / rate
    audio[rate : rate + len(t)] = 0.5 * np.sin(2 * np.pi * 440 * t)  # beep at exactly 1.0 s
    w.add_audio(audio, rate)
    for i in range(2 * fps):
        w.write_frame(np.full((120, 160, 3), 255 if i == fps else 0, np.uint8))  # flash at frame 25 = 1.0 s
    w.close()

    with av.open(str(path)) as c:
        flash = next(f.time for f in c.decode(video=0) if f.to_ndarray(format="gray").mean() > 128)
    with av.open(str(path)) as c:
        onset = None
        for f in c.decode(audio=0):
            x = f.to_ndarray().reshape(-1)
            loud = np.flatnonzero(np.abs(x) > 0.1)
            if loud.size:
                onset = f.time + loud[0] / f.sample_rate
                break
    assert abs(flash - 1.0) < 1e-3
    assert onset is not None and abs(onset - flash) < 0.01, (onset, flash)


def test_faststart_puts_moov_first(tmp_path: Path) -> None:
    path = tmp_path / "fs.mp4"
    w = Mp4Writer(path, (64, 64), 25)
    w.add_audio(np.zeros(4410, np.float32), 22050)
    for _ in range(5):
        w.write_frame(np.zeros((64, 64, 3), np.uint8))
    w.close()
    data = path.read_bytes()
    assert data.find(b"moov") < data.find(b"mdat")

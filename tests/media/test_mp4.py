"""The MP4 writer: audio and picture start together as a player decodes them (AAC priming handled), and its own
RGB -> YUV conversion gives what the encoder's swscale would."""

from __future__ import annotations

from pathlib import Path

import av
import numpy as np

from talkframe.media.mp4 import Mp4Writer, yuv_frame


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


def _photo_like(h: int, w: int) -> np.ndarray:
    """Smooth gradients and saturated edges: what a composed frame has (noise would only test rounding)."""
    y, x = np.mgrid[0:h, 0:w].astype(np.float32)
    rgb = np.stack([255 * x / w, 255 * y / h, 127 + 127 * np.sin(x / 23 + y / 31)], axis=-1)
    rgb[h // 3 : h // 2, w // 4 : w // 2] = (250, 10, 20)
    return rgb.clip(0, 255).astype(np.uint8)


def test_the_writers_yuv_conversion_matches_swscales_and_keeps_odd_sizes_on_swscale() -> None:
    rgb = _photo_like(120, 160)
    ours = yuv_frame(rgb)
    theirs = av.VideoFrame.from_ndarray(rgb, format="rgb24").reformat(format="yuv420p")
    assert ours.format.name == "yuv420p" and (ours.width, ours.height) == (160, 120)
    diff = np.abs(ours.to_ndarray().astype(int) - theirs.to_ndarray().astype(int))
    assert diff[:120].max() <= 1  # luma: the same BT.601 limited-range weights
    # chroma: 2x2 block means, where swscale blends in a little of the rows above and below: the two differ by more
    # than rounding only on the chroma rows at the red block's top and bottom edges (luma rows 40 and 60)
    chroma = np.concatenate([diff[120:150].reshape(60, 80), diff[150:].reshape(60, 80)], axis=1)
    assert chroma.mean() < 0.6
    assert {int(r) for r in np.flatnonzero((chroma > 3).any(axis=1))} <= {19, 20, 29, 30}
    # chroma is each 2x2 block's mean, not one pixel of it: a one-pixel grid of colour keeps its average hue
    grid = np.zeros((120, 160, 3), np.uint8)
    grid[0::2, 0::2] = (255, 0, 0)
    u, v = (yuv_frame(grid).to_ndarray()[120 + k * 30 : 150 + k * 30].astype(int) for k in (0, 1))
    assert abs(u.mean() - 119) <= 1 and abs(v.mean() - 156) <= 1, (u.mean(), v.mean())  # of (64, 0, 0)
    back = ours.to_ndarray(format="rgb24").astype(int)
    assert np.abs(back - rgb).mean() < 3  # limited range, not full range read as limited (that would be ~15)
    odd = yuv_frame(_photo_like(121, 161))
    assert odd.format.name == "rgb24" and (odd.width, odd.height) == (161, 121)


def test_a_written_frame_decodes_to_its_colours(tmp_path: Path) -> None:
    path = tmp_path / "colours.mp4"
    rgb = _photo_like(240, 320)
    w = Mp4Writer(path, (320, 240), 25, crf=12, with_audio=False)
    for _ in range(3):
        w.write_frame(rgb)
    w.close()
    with av.open(str(path)) as c:
        decoded = next(c.decode(video=0)).to_ndarray(format="rgb24").astype(int)
    swscale = av.VideoFrame.from_ndarray(rgb, format="rgb24").reformat(format="yuv420p").to_ndarray(format="rgb24")
    assert np.abs(decoded - rgb).mean() < np.abs(swscale.astype(int) - rgb).mean() + 1.0
    assert np.abs(decoded[90:110, 100:150] - (250, 10, 20)).max() < 12  # the saturated block keeps its colour

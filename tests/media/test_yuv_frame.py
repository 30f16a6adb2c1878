"""The encoder's own RGB -> yuv420p conversion matches libswscale's (what PyAV does with an rgb24 frame)."""

from __future__ import annotations

import av
import numpy as np

from talkframe.avatar.catalog import astronaut_rgb
from talkframe.media.mp4 import yuv420p_frame


def _psnr(a: np.ndarray, b: np.ndarray) -> float:
    return float(10 * np.log10(255**2 / np.mean((a.astype(np.float64) - b) ** 2)))


def test_same_planes_as_libswscale_and_as_good_after_decoding() -> None:
    rgb = np.ascontiguousarray(astronaut_rgb()[:, :, :3])
    ours = yuv420p_frame(rgb)
    theirs = av.VideoFrame.from_ndarray(rgb, format="rgb24").reformat(format="yuv420p")
    assert (ours.width, ours.height, ours.format.name) == (512, 512, "yuv420p")
    a, b = ours.to_ndarray().astype(int), theirs.to_ndarray().astype(int)
    assert np.abs(a[:512] - b[:512]).max() <= 1  # luma: the same but for rounding
    assert np.abs(a[512:] - b[512:]).mean() < 0.3  # chroma: 2x2 means, as libswscale filters (no plain picking)
    assert _psnr(ours.to_ndarray(format="rgb24"), rgb) >= _psnr(theirs.to_ndarray(format="rgb24"), rgb) - 0.05


def test_odd_sizes_go_through_libswscale() -> None:
    rgb = np.full((9, 15, 3), (200, 30, 90), np.uint8)
    frame = yuv420p_frame(rgb)
    assert (frame.width, frame.height, frame.format.name) == (15, 9, "rgb24")

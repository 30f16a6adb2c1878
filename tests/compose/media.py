"""Generated test media: a picture with known colour regions and a clip whose frames show their own index."""

from __future__ import annotations

from pathlib import Path

import av
import numpy as np
from PIL import Image

from talkframe.compose.background import background_duration, open_background
from talkframe.core.types import FrameSource
from talkframe.request import Background
from talkframe.resolve.scene import resolve_background

MAGENTA, RED, GREEN, BLUE, YELLOW, CYAN = (
    (255, 0, 255), (255, 0, 0), (0, 255, 0), (0, 0, 255), (255, 255, 0), (0, 255, 255))

BITS = 8  # frame index encoded as 8 vertical bars, most significant first; white = 1


def regions_image(w: int = 200, h: int = 100) -> np.ndarray:
    """Columns: first quarter magenta, then red over blue, then green over yellow, last quarter cyan."""
    img = np.zeros((h, w, 3), np.uint8)
    q = w // 4
    img[:, :q] = MAGENTA
    img[: h // 2, q : 2 * q], img[h // 2 :, q : 2 * q] = RED, BLUE
    img[: h // 2, 2 * q : 3 * q], img[h // 2 :, 2 * q : 3 * q] = GREEN, YELLOW
    img[:, 3 * q :] = CYAN
    return img


def write_png(path: Path, rgb: np.ndarray) -> Path:
    Image.fromarray(rgb).save(path)
    return path


def bar_frame(index: int, w: int = 160, h: int = 96) -> np.ndarray:
    img = np.zeros((h, w, 3), np.uint8)
    bw = w // BITS
    for b in range(BITS):
        if (index >> (BITS - 1 - b)) & 1:
            img[:, b * bw : (b + 1) * bw] = 255
    return img


def read_bars(rgb: np.ndarray) -> int:
    """Decode a frame written by `bar_frame` (at any scale, stretched to the whole canvas); -1 if not a bar frame."""
    h, w = rgb.shape[:2]
    row = rgb[h // 2]
    samples = [row[int((b + 0.5) * w / BITS)] for b in range(BITS)]
    if any(int(abs(int(s.max()) - int(s.min()))) > 40 for s in samples):
        return -1  # coloured, so not a black/white bar frame (e.g. the default background colour)
    if all(int(s.mean()) > 200 and int(s[2]) > int(s[0]) + 2 for s in samples):
        return -1  # the bluish near-white default colour
    value = 0
    for s in samples:
        value = (value << 1) | int(s.mean() > 128)
    return value


def write_bar_clip(path: Path, n_frames: int, fps: int = 10, with_audio: bool = True) -> Path:
    """An MP4 whose frame k shows k as bars (and, to prove it is muted, a loud tone)."""
    with av.open(str(path), "w") as out:
        video = out.add_stream("libx264", rate=fps)
        video.width, video.height, video.pix_fmt = 160, 96, "yuv420p"
        video.options = {"crf": "12", "preset": "ultrafast", "bframes": "2"}
        audio = out.add_stream("aac", rate=16000) if with_audio else None
        if audio is not None:
            audio.layout = "mono"
            tone = (0.5 * np.sin(np.arange(16000 * n_frames // fps) * 0.2)).astype(np.float32)
            frame = av.AudioFrame.from_ndarray(tone.reshape(1, -1), format="flt", layout="mono")
            frame.sample_rate = 16000
            frame.pts = 0
            for packet in audio.encode(frame):
                out.mux(packet)
            for packet in audio.encode(None):
                out.mux(packet)
        for k in range(n_frames):
            vf = av.VideoFrame.from_ndarray(bar_frame(k), format="rgb24")
            vf.pts = k
            for packet in video.encode(vf):
                out.mux(packet)
        for packet in video.encode(None):
            out.mux(packet)
    return path


class FileResolver:
    """A resolver over local files: asset ids and urls both name a file in `files`."""

    def __init__(self, files: dict[str, Path]) -> None:
        self.files = files
        self.calls: list[tuple[str, str]] = []

    def asset(self, asset_id: str) -> Path:
        self.calls.append(("asset", asset_id))
        return self.files[asset_id]

    def url(self, url: str, kind: str) -> Path:
        self.calls.append((kind, url))
        return self.files[url]

    def talking_photo(self, photo_id: str) -> Path:
        return self.files[photo_id]


def opened(background: Background | None, size: tuple[int, int], fps: float, n_frames: int,
           resolver: FileResolver) -> FrameSource:
    """The resolve step, then the compose step's background: as a scene renders it."""
    return open_background(background, size, fps, n_frames, resolve_background(background, resolver))


def duration(background: Background | None, resolver: FileResolver) -> float | None:
    """`background_duration` of a background after the resolve step."""
    return background_duration(background, resolve_background(background, resolver))

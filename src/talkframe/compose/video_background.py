"""Video backgrounds, decoded as a stream with PyAV: at most one decoded frame is held, whatever the clip length.

The play_style decides up front which clip frame each scene frame shows (`play_style.source_indices`); decoding
then walks forward through the clip, converting and fitting only the frames that are shown, and re-opens the file
when the table goes back to an earlier frame (a `loop`). The clip's own audio is never decoded: it is muted.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import av
import numpy as np

from talkframe.compose.fit import Fitter
from talkframe.compose.play_style import source_indices
from talkframe.compose.video_probe import VideoInfo, probe_video
from talkframe.core.errors import FILE_CORRUPTED, RenderError


class VideoBackground:
    """A `FrameSource` over a clip; frames are meant to be asked for in order (any order works, just slower)."""

    static = False

    def __init__(self, path: Path, size: tuple[int, int], fps: float, n_frames: int, play_style: str,
                 fit: str, fill: tuple[int, int, int], info: VideoInfo | None = None) -> None:
        self.path = path
        self.info = info or probe_video(path)
        self.table = source_indices(play_style, n_frames, fps, self.info.frames, self.info.fps)
        self.fitter = Fitter(self.info.size, size, fit, fill)
        self._container: av.container.InputContainer | None = None
        self._frames: Iterator[av.VideoFrame] | None = None
        self._next = 0  # clip index of the frame the decoder yields next
        self._shown = -2  # clip index of `_fitted`
        self._fitted: np.ndarray | None = None
        self._last_decoded: av.VideoFrame | None = None

    def frame(self, index: int) -> np.ndarray:
        if len(self.table) == 0:
            return self.fitter.blank
        src = int(self.table[min(max(index, 0), len(self.table) - 1)])
        if src < 0:
            return self.fitter.blank
        if src != self._shown or self._fitted is None:
            self._fitted = self.fitter(self._decode(src).to_ndarray(format="rgb24"))
            self._shown = src
        return self._fitted

    def _decode(self, src: int) -> av.VideoFrame:
        if self._frames is None or src < self._next:
            self._open()
        frame = self._last_decoded
        try:
            while self._next <= src:
                decoded = next(self._frames, None)  # type: ignore[arg-type]
                if decoded is None:  # the header over-counted: hold the last real frame
                    break
                frame = self._last_decoded = decoded
                self._next += 1
        except Exception as exc:  # noqa: BLE001 - any decoder failure is the user's file
            raise RenderError(FILE_CORRUPTED, "The background video could not be decoded", str(exc)) from exc
        if frame is None:
            raise RenderError(FILE_CORRUPTED, "The background video has no decodable frames")
        return frame

    def _open(self) -> None:
        self.close()
        try:
            self._container = av.open(str(self.path))
            stream = self._container.streams.video[0]
            stream.thread_type = "AUTO"
            self._frames = self._container.decode(stream)
        except Exception as exc:  # noqa: BLE001
            raise RenderError(FILE_CORRUPTED, "The background video could not be opened", str(exc)) from exc
        self._next = 0

    def close(self) -> None:
        """Release the decoder (the scene is over)."""
        if self._container is not None:
            self._container.close()
        self._container, self._frames = None, None

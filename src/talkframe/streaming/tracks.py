"""The session's media clock and its two WebRTC tracks (aiortc): video frames rendered by the photo rig at the
frame's media time, and 20 ms Opus-ready audio packets from the performer's cursor.

Both tracks pace themselves on one `MediaClock` that starts when the first packet of either is asked for, so frame
k is shown at k/fps and packet j at j*20 ms of the same clock. A video frame the sender asks for more than MAX_LATE
after its time is skipped (counted in `dropped`), so a slow machine shows fewer frames, never lips that lag the
sound.
"""

from __future__ import annotations

import asyncio
import fractions
import time
from concurrent.futures import Executor

import av
import cv2
import numpy as np
from aiortc.mediastreams import MediaStreamError, MediaStreamTrack

from talkframe.avatar.photo_rig import PhotoRig
from talkframe.streaming.performer import Performer
from talkframe.streaming.speech import AUDIO_RATE

VIDEO_CLOCK = 90000
PACKET_SAMPLES = AUDIO_RATE // 50  # 20 ms
MAX_LATE = 0.1  # s: a frame this late is skipped; a less late one is still sent (the receiver's jitter buffer
# absorbs it, and the frames after it catch up at once), so a short stall of the machine costs no frames


class MediaClock:
    def __init__(self) -> None:
        self.t0: float | None = None

    def start(self) -> float:
        if self.t0 is None:
            self.t0 = time.monotonic()
        return self.t0

    def elapsed(self) -> float:
        return time.monotonic() - self.start()

    async def wait_until(self, t: float) -> None:
        delay = self.start() + t - time.monotonic()
        if delay > 0:
            await asyncio.sleep(delay)


class FrameRenderer:
    """Pose at media time t -> the rig's frame, scaled to `size` (w, h), as a yuv420p `av.VideoFrame`."""

    def __init__(self, rig: PhotoRig, performer: Performer, size: tuple[int, int]) -> None:
        self.rig, self.performer, self.size = rig, performer, size
        self._buffer = rig.new_frame_buffer()
        self.opaque = bool(self._buffer[..., 3].min() == 255)  # no matte: the alpha channel never changes

    def rgba(self, t: float) -> np.ndarray:
        rgba = self.rig.render(self.performer.pose(t), out=self._buffer)
        if not self.opaque:  # a matted photo: over white
            a = rgba[..., 3:4].astype(np.float32) / 255.0
            rgba = np.dstack([(rgba[..., :3] * a + 255.0 * (1 - a)).astype(np.uint8), rgba[..., 3]])
        if (rgba.shape[1], rgba.shape[0]) != self.size:
            rgba = cv2.resize(rgba, self.size, interpolation=cv2.INTER_AREA)
        return rgba

    def frame(self, t: float) -> av.VideoFrame:
        return av.VideoFrame.from_ndarray(cv2.cvtColor(self.rgba(t), cv2.COLOR_RGBA2YUV_I420), format="yuv420p")


class AvatarVideoTrack(MediaStreamTrack):
    """Frame k at media time k/fps. The next frame is rendered while this one is being encoded (one frame ahead,
    on the session's render thread), so rendering and encoding overlap on two cores."""

    kind = "video"

    def __init__(self, renderer: FrameRenderer, clock: MediaClock, fps: float, executor: Executor) -> None:
        super().__init__()
        self.renderer, self.clock, self.fps, self.executor = renderer, clock, fps, executor
        self.next_index = 0
        self.sent = 0
        self.dropped = 0
        self.first_frame_at: float | None = None  # monotonic time of the first frame handed to the encoder
        self._ahead: tuple[int, asyncio.Future] | None = None

    def _render(self, k: int) -> asyncio.Future:
        try:
            return asyncio.get_running_loop().run_in_executor(self.executor, self.renderer.frame, k / self.fps)
        except RuntimeError as exc:  # the session closed its render thread
            raise MediaStreamError from exc

    async def recv(self) -> av.VideoFrame:
        if self.readyState != "live":
            raise MediaStreamError
        k = self.next_index
        elapsed = self.clock.elapsed()
        if elapsed - k / self.fps > MAX_LATE:  # frames k .. due-1 are too late to show: skip them
            due = int(elapsed * self.fps)
            self.dropped += due - k
            k = due
        if self._ahead is not None and self._ahead[0] == k:
            pending = self._ahead[1]
        else:
            if self._ahead is not None:
                self._ahead[1].cancel()
            pending = self._render(k)
        self._ahead = None
        frame = await pending
        await self.clock.wait_until(k / self.fps)
        frame.pts = round(k * VIDEO_CLOCK / self.fps)
        frame.time_base = fractions.Fraction(1, VIDEO_CLOCK)
        self.next_index = k + 1
        self.sent += 1
        if self.first_frame_at is None:
            self.first_frame_at = time.monotonic()
        self._ahead = (k + 1, self._render(k + 1))
        return frame

    def stop(self) -> None:
        if self._ahead is not None:
            self._ahead[1].cancel()
            self._ahead = None
        super().stop()


class SpeechAudioTrack(MediaStreamTrack):
    kind = "audio"

    def __init__(self, performer: Performer, clock: MediaClock) -> None:
        super().__init__()
        self.performer, self.clock = performer, clock
        self.next_index = 0
        self.last_voiced_at: float | None = None  # monotonic time the last audible packet left

    async def recv(self) -> av.AudioFrame:
        if self.readyState != "live":
            raise MediaStreamError
        j = self.next_index
        await self.clock.wait_until(j * PACKET_SAMPLES / AUDIO_RATE)
        samples = self.performer.audio(PACKET_SAMPLES)
        if np.abs(samples).max() > 0.01:
            self.last_voiced_at = time.monotonic()
        pcm = (np.clip(samples, -1, 1) * 32767).astype(np.int16).reshape(1, -1)
        frame = av.AudioFrame.from_ndarray(pcm, format="s16", layout="mono")
        frame.sample_rate = AUDIO_RATE
        frame.pts = j * PACKET_SAMPLES
        frame.time_base = fractions.Fraction(1, AUDIO_RATE)
        self.next_index = j + 1
        return frame

"""A Python client of the streaming API (aiortc): opens a session, answers the server's offer, sends tasks, and
records what arrives — every video frame (arrival time, RTP timestamp, optionally the picture) and every audio
packet (arrival time, RMS). The tests and `benchmarks/streaming.py` measure the stream through it."""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass, field
from typing import Any

import httpx
import numpy as np
from aiortc import RTCPeerConnection, RTCSessionDescription
from aiortc.mediastreams import MediaStreamError


@dataclass
class VideoSample:
    at: float  # monotonic arrival time
    pts: int  # RTP timestamp (90 kHz)
    luma: float | None = None  # mean grey of `StreamClient.region`, when one is set
    rgb: np.ndarray | None = None  # the picture (or its `crop`), when `keep_frames`


@dataclass
class AudioSample:
    at: float
    pts: int  # RTP timestamp (48 kHz)
    rms: float  # 0..1
    samples: np.ndarray | None = None  # mono int16 at 48 kHz, when `keep_audio`


class StreamError(Exception):
    def __init__(self, status: int, body: dict[str, Any]) -> None:
        super().__init__(f"{status}: {body}")
        self.status, self.body = status, body


@dataclass
class StreamClient:
    http: httpx.AsyncClient  # base_url and auth set by the caller
    region: tuple[int, int, int, int] | None = None  # x0, y0, x1, y1 whose mean grey is kept per frame
    keep_frames: bool = False
    crop: tuple[int, int, int, int] | None = None  # x0, y0, x1, y1 of the picture kept with `keep_frames`
    keep_audio: bool = False
    video: list[VideoSample] = field(default_factory=list)
    audio: list[AudioSample] = field(default_factory=list)
    session_id: str = ""
    offer: dict[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.pc = RTCPeerConnection()
        self._pulls: list[asyncio.Task] = []
        # RTP timestamps of the first frame and packet: the server starts both tracks at media time 0
        self.video_pts0: int | None = None
        self.audio_pts0: int | None = None

        @self.pc.on("track")
        def _track(track: Any) -> None:
            self._pulls.append(asyncio.ensure_future(self._pull(track)))

    async def call(self, path: str, body: dict[str, Any] | None = None) -> Any:
        r = await self.http.post(f"/v1/{path}", json=body or {})
        data = r.json()
        if r.status_code != 200 or data.get("code") != 100:
            raise StreamError(r.status_code, data)
        return data["data"]

    async def open(self, **new: Any) -> float:
        """streaming.new + answer + streaming.start; returns the monotonic time start was sent."""
        data = await self.call("streaming.new", new)
        self.session_id, self.offer = data["session_id"], data
        await self.pc.setRemoteDescription(RTCSessionDescription(sdp=data["sdp"]["sdp"], type=data["sdp"]["type"]))
        await self.pc.setLocalDescription(await self.pc.createAnswer())
        sent = time.monotonic()
        await self.call("streaming.start", {"session_id": self.session_id,
                                            "sdp": {"type": "answer", "sdp": self.pc.localDescription.sdp}})
        return sent

    async def task(self, text: str, mode: str = "sync") -> dict[str, Any]:
        return await self.call("streaming.task", {"session_id": self.session_id, "text": text,
                                                  "task_type": "repeat", "task_mode": mode})

    async def interrupt(self) -> None:
        await self.call("streaming.interrupt", {"session_id": self.session_id})

    async def stop(self) -> None:
        await self.call("streaming.stop", {"session_id": self.session_id})

    async def close(self) -> None:
        for p in self._pulls:
            p.cancel()
        await self.pc.close()

    async def wait_frames(self, n: int, timeout: float = 10.0) -> None:
        deadline = time.monotonic() + timeout
        while len(self.video) < n:
            if time.monotonic() > deadline:
                raise TimeoutError(f"only {len(self.video)} frames in {timeout} s")
            await asyncio.sleep(0.005)

    async def _pull(self, track: Any) -> None:
        while True:
            try:
                frame = await track.recv()
            except MediaStreamError:
                return
            now = time.monotonic()
            if track.kind == "video":
                sample = VideoSample(now, int(frame.pts))
                if self.video_pts0 is None:
                    self.video_pts0 = sample.pts
                if self.region is not None:
                    x0, y0, x1, y1 = self.region
                    plane = frame.planes[0]
                    y = np.frombuffer(plane, np.uint8).reshape(plane.height, plane.line_size)
                    sample.luma = float(y[y0:y1, x0:x1].mean())
                if self.keep_frames:
                    rgb = frame.to_ndarray(format="rgb24")
                    if self.crop is not None:
                        rgb = np.ascontiguousarray(rgb[self.crop[1]:self.crop[3], self.crop[0]:self.crop[2]])
                    sample.rgb = rgb
                self.video.append(sample)
            else:
                pcm = frame.to_ndarray().reshape(-1, len(frame.layout.channels))[:, 0]
                rms = float(np.sqrt(np.mean((pcm.astype(np.float64) / 32768) ** 2)))
                if self.audio_pts0 is None:
                    self.audio_pts0 = int(frame.pts)
                self.audio.append(AudioSample(now, int(frame.pts), rms, pcm.copy() if self.keep_audio else None))

    def media_time(self, sample: VideoSample | AudioSample) -> float:
        """Seconds since the stream's start on the server's media clock, from the RTP timestamp."""
        if isinstance(sample, VideoSample):
            return ((sample.pts - (self.video_pts0 or 0)) % 2**32) / 90000
        return ((sample.pts - (self.audio_pts0 or 0)) % 2**32) / 48000

    def dropped_frames(self, fps: float = 25.0) -> tuple[int, int]:
        """(frames received, frames missing) between the first and last received, from the RTP timestamps."""
        if len(self.video) < 2:
            return len(self.video), 0
        step = 90000 / fps
        span = (self.video[-1].pts - self.video[0].pts) % 2**32
        expected = round(span / step) + 1
        return len(self.video), max(0, expected - len(self.video))

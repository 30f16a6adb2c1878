"""A WebRTC client for the streaming API (aiortc on loopback): answers the server's offer and records every video
frame and audio packet it receives, with its arrival time."""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from aiortc import RTCPeerConnection, RTCSessionDescription
from aiortc.mediastreams import MediaStreamError


@dataclass
class Received:
    """Frames as (arrival monotonic time, rgb), audio as (arrival time, mono int16 samples at 48 kHz)."""

    frames: list[tuple[float, np.ndarray]] = field(default_factory=list)
    audio: list[tuple[float, np.ndarray]] = field(default_factory=list)
    keep_frames: bool = True
    frame_count: int = 0
    rtp_video: list[int] = field(default_factory=list)


class Peer:
    def __init__(self, keep_frames: bool = True) -> None:
        self.pc = RTCPeerConnection()
        self.got = Received(keep_frames=keep_frames)
        self._pulls: list[asyncio.Task] = []

        @self.pc.on("track")
        def _track(track: Any) -> None:
            self._pulls.append(asyncio.ensure_future(self._pull(track)))

    async def _pull(self, track: Any) -> None:
        while True:
            try:
                frame = await track.recv()
            except MediaStreamError:
                return
            now = time.monotonic()
            if track.kind == "video":
                self.got.frame_count += 1
                self.got.rtp_video.append(frame.pts)
                if self.got.keep_frames:
                    self.got.frames.append((now, frame.to_ndarray(format="rgb24")))
            else:
                pcm = frame.to_ndarray().reshape(-1, len(frame.layout.channels))[:, 0]
                self.got.audio.append((now, pcm.copy()))

    async def answer(self, offer: dict[str, str]) -> dict[str, str]:
        await self.pc.setRemoteDescription(RTCSessionDescription(sdp=offer["sdp"], type=offer["type"]))
        await self.pc.setLocalDescription(await self.pc.createAnswer())
        return {"type": self.pc.localDescription.type, "sdp": self.pc.localDescription.sdp}

    async def wait_frames(self, n: int, timeout: float = 10.0) -> None:
        deadline = time.monotonic() + timeout
        while self.got.frame_count < n:
            assert time.monotonic() < deadline, f"only {self.got.frame_count} frames in {timeout} s"
            await asyncio.sleep(0.01)

    async def close(self) -> None:
        await self.pc.close()
        for p in self._pulls:
            p.cancel()


def loudness(audio: list[tuple[float, np.ndarray]]) -> list[tuple[float, float]]:
    """(arrival time, RMS in [0, 1]) of each received audio packet."""
    return [(t, float(np.sqrt(np.mean((a.astype(np.float64) / 32768) ** 2)))) for t, a in audio]

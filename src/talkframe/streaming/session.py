"""One live session: a photo, a voice and an RTCPeerConnection that carries the presenter's audio and video.

Flow (HeyGen's legacy raw-WebRTC flow): `prepare` builds the rig and the server's SDP offer; `start` takes the
client's answer; `add_ice` takes a trickled client candidate; `task` queues text to speak (tasks play in order,
each spoken chunk by chunk as soon as its first chunk is synthesised); `interrupt` stops speech at once; `close`
frees the connection, the tracks and the threads.
"""

from __future__ import annotations

import asyncio
import logging
import time
import uuid
from concurrent.futures import Executor, ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from aiortc import RTCConfiguration, RTCIceServer, RTCPeerConnection, RTCRtpSender, RTCSessionDescription
from aiortc.sdp import candidate_from_sdp

from talkframe.avatar.talking_photo import photo_seed, rig_for
from talkframe.streaming.performer import Performer
from talkframe.streaming.speech import AUDIO_RATE, SpeechChunk, VoiceChoice, speak_chunk
from talkframe.streaming.text import chunks
from talkframe.streaming.tracks import AvatarVideoTrack, FrameRenderer, MediaClock, SpeechAudioTrack

log = logging.getLogger(__name__)
for _noisy in ("aioice", "aiortc"):  # every ICE check at INFO would flood the server's log
    if logging.getLogger(_noisy).level == logging.NOTSET:
        logging.getLogger(_noisy).setLevel(logging.WARNING)

# HeyGen's quality levels -> the longest side of the stream and its target bitrate
QUALITY = {"low": (360, 400_000), "medium": (512, 1_000_000), "high": (720, 2_000_000)}
CODECS = {"VP8": "video/VP8", "H264": "video/H264"}
CHARS_PER_SECOND = 15.0  # an async task's duration before it is synthesised (the pipeline's estimate)
MAX_QUEUED_TASKS = 50  # tasks waiting or speaking in one session


class SessionStateError(Exception):
    """The call does not fit the session's state (a task before start, a second start...)."""


class TaskQueueFull(Exception):
    """MAX_QUEUED_TASKS are already waiting: speak or interrupt them first."""


@dataclass(frozen=True)
class SessionOptions:
    avatar_id: str
    quality: str = "medium"
    video_encoding: str = "VP8"
    voice: VoiceChoice = field(default_factory=VoiceChoice)
    idle_timeout: float = 120.0
    fps: float = 25.0
    talking_style: str = "stable"
    ice_servers: tuple[dict[str, Any], ...] = ()  # {urls, username?, credential?}: STUN/TURN for both ends


@dataclass
class LiveTask:
    task_id: str
    text: str
    queued_at: float  # monotonic
    done: asyncio.Event = field(default_factory=asyncio.Event)
    end_sample: int = 0
    first_sample: int | None = None  # where its first chunk starts on the media clock
    spoken_ms: int = 0
    cancelled: bool = False


def stream_size(image_size: tuple[int, int], quality: str) -> tuple[int, int]:
    """The photo's aspect at the quality's longest side, in even pixels (yuv420p)."""
    w, h = image_size
    side = QUALITY.get(quality, QUALITY["medium"])[0]
    s = side / max(w, h)
    return max(2, round(w * s / 2) * 2), max(2, round(h * s / 2) * 2)


class LiveSession:
    def __init__(self, session_id: str, account_id: str, options: SessionOptions, rgb: np.ndarray,
                 work: Executor) -> None:
        self.session_id, self.account_id, self.options = session_id, account_id, options
        self.rgb = rgb
        self.work = work  # shared: synthesis and rig building
        self.render_pool = ThreadPoolExecutor(1, thread_name_prefix=f"live-{session_id[:8]}")
        self.created_at = time.time()
        self.last_activity = time.monotonic()
        self.started_at: float | None = None  # monotonic, when the answer came
        self.status = "new"  # new -> connecting -> connected -> closed
        self.close_reason: str | None = None
        self.seed = photo_seed(rgb)
        self.performer = Performer(options.fps, self.seed, options.talking_style)
        self.clock = MediaClock()
        self.pc: RTCPeerConnection | None = None
        self.video: AvatarVideoTrack | None = None
        self.audio: SpeechAudioTrack | None = None
        self.tasks: list[LiveTask] = []
        self._queue: asyncio.Queue[LiveTask] = asyncio.Queue()
        self._generation = 0
        self._worker: asyncio.Task | None = None
        self._closed = asyncio.Event()
        self._watchers: set[asyncio.Task] = set()  # one per task being spoken (held: asyncio keeps weak refs)
        self.size: tuple[int, int] = (0, 0)  # the stream's video size, once prepared
        self.on_closed: list[Any] = []

    # --- lifecycle -----------------------------------------------------------------------------------------------

    async def prepare(self) -> dict[str, str]:
        """Build the rig, the tracks and the server's SDP offer (ICE candidates included)."""
        loop = asyncio.get_running_loop()
        rig = await loop.run_in_executor(self.work, rig_for, self.rgb)
        size = stream_size(rig.size, self.options.quality)
        self.video = AvatarVideoTrack(FrameRenderer(rig, self.performer, size), self.clock, self.options.fps,
                                      self.render_pool)
        self.audio = SpeechAudioTrack(self.performer, self.clock)
        self.size = size
        servers = [RTCIceServer(**server) for server in self.options.ice_servers]
        pc = self.pc = RTCPeerConnection(RTCConfiguration(iceServers=servers) if servers else None)

        @pc.on("connectionstatechange")
        async def _state() -> None:
            state = pc.connectionState
            if state == "connected" and self.status == "connecting":
                self.status = "connected"
            elif state in ("failed", "closed") and self.status != "closed":
                await self.close(f"connection {state}")

        pc.addTransceiver(self.audio, direction="sendonly")
        video = pc.addTransceiver(self.video, direction="sendonly")
        wanted = CODECS.get(self.options.video_encoding.upper(), "video/VP8")
        caps = RTCRtpSender.getCapabilities("video").codecs
        video.setCodecPreferences([c for c in caps if c.mimeType == wanted] +
                                  [c for c in caps if c.mimeType == "video/rtx"])
        await pc.setLocalDescription(await pc.createOffer())
        self._worker = asyncio.create_task(self._speak_tasks())
        loop.run_in_executor(self.work, _warm_voice, self.options.voice)  # the first task pays no model load
        return {"type": pc.localDescription.type, "sdp": pc.localDescription.sdp}

    async def start(self, answer: dict[str, Any]) -> None:
        if self.status != "new" or self.pc is None:
            raise SessionStateError(f"Session {self.session_id} is already started")
        self.touch()
        await self.pc.setRemoteDescription(RTCSessionDescription(sdp=answer["sdp"], type=answer.get("type", "answer")))
        self.status = "connecting"
        self.started_at = time.monotonic()

    async def add_ice(self, candidate: dict[str, Any]) -> None:
        """A trickled client candidate (the browser's `RTCIceCandidate` as JSON); end-of-candidates is ignored."""
        self.touch()
        line = (candidate.get("candidate") or "").strip()
        if not line or self.pc is None:
            return
        cand = candidate_from_sdp(line.removeprefix("candidate:"))
        cand.sdpMid = candidate.get("sdpMid")
        cand.sdpMLineIndex = candidate.get("sdpMLineIndex")
        await self.pc.addIceCandidate(cand)

    async def close(self, reason: str = "stopped") -> None:
        if self.status == "closed":
            return
        self.status, self.close_reason = "closed", reason
        self._generation += 1
        for t in self.tasks:
            t.cancelled = True
            t.done.set()
        if self._worker is not None:
            self._worker.cancel()
        for track in (self.video, self.audio):
            if track is not None:
                track.stop()
        if self.pc is not None:
            try:
                await self.pc.close()
            except Exception:  # noqa: BLE001 - a half-open connection must still be freed
                log.exception("closing the peer connection of %s", self.session_id)
        self.render_pool.shutdown(wait=False, cancel_futures=True)
        self._closed.set()
        for callback in self.on_closed:
            callback(self)
        log.info("streaming session %s closed: %s", self.session_id, reason)

    def touch(self) -> None:
        self.last_activity = time.monotonic()

    def idle_for(self) -> float:
        return time.monotonic() - self.last_activity

    # --- speech --------------------------------------------------------------------------------------------------

    def submit(self, text: str) -> LiveTask:
        """Queue `text`; it plays after every task queued before it."""
        if self.status not in ("connecting", "connected"):
            raise SessionStateError(f"Session {self.session_id} is not started: call streaming.start first")
        self.touch()
        waiting = [t for t in self.tasks if not t.done.is_set()]
        if len(waiting) >= MAX_QUEUED_TASKS:
            raise TaskQueueFull(f"{len(waiting)} tasks are already queued in session {self.session_id}")
        task = LiveTask(uuid.uuid4().hex, text, time.monotonic())
        self.tasks = [*waiting, task]
        self._queue.put_nowait(task)
        return task

    @staticmethod
    def estimated_ms(text: str) -> int:
        return round(1000 * len(text) / CHARS_PER_SECOND)

    def interrupt(self) -> float:
        """Stop speaking now and drop every queued task; returns the media time of the cut."""
        self.touch()
        self._generation += 1
        while not self._queue.empty():
            self._queue.get_nowait()
        cut = self.performer.interrupt()
        for t in self.tasks:  # what each task got to say before the cut
            played = 0 if t.first_sample is None else min(t.end_sample, round(cut * AUDIO_RATE)) - t.first_sample
            t.spoken_ms = max(0, round(1000 * played / AUDIO_RATE))
            t.cancelled = True
            t.done.set()
        self.tasks = []
        return cut

    async def _speak_tasks(self) -> None:
        loop = asyncio.get_running_loop()
        while True:
            task = await self._queue.get()
            generation = self._generation
            for text in chunks(task.text):
                try:
                    chunk: SpeechChunk = await loop.run_in_executor(
                        self.work, speak_chunk, text, self.options.voice, self.options.fps, self.seed,
                        self.options.talking_style)
                except Exception:  # noqa: BLE001 - one failed sentence must not end the session
                    log.exception("streaming session %s: could not speak %r", self.session_id, text)
                    continue
                if generation != self._generation or task.cancelled:
                    break
                placed = self.performer.schedule(chunk, task.task_id)
                if task.first_sample is None:
                    task.first_sample = placed.start
                task.end_sample = placed.end
                task.spoken_ms += round(1000 * chunk.duration)
            if not task.cancelled:
                watcher = asyncio.create_task(self._finish(task))
                self._watchers.add(watcher)
                watcher.add_done_callback(self._watchers.discard)

    async def _finish(self, task: LiveTask) -> None:
        while not task.done.is_set() and self.performer.cursor < task.end_sample:
            await asyncio.sleep(0.02)
        task.done.set()

    # --- numbers for benchmarks and tests ------------------------------------------------------------------------

    def media_time_to_monotonic(self, sample: int) -> float | None:
        return None if self.clock.t0 is None else self.clock.t0 + sample / AUDIO_RATE

    def stats(self) -> dict[str, Any]:
        v = self.video
        return {"frames_sent": v.sent if v else 0, "frames_dropped": v.dropped if v else 0,
                "first_frame_after_start": (v.first_frame_at - self.started_at)
                if v and v.first_frame_at and self.started_at else None,
                "audio_seconds": self.performer.cursor / AUDIO_RATE}


def _warm_voice(choice: VoiceChoice) -> None:
    try:
        speak_chunk("Hello.", choice, 25.0)
    except Exception:  # noqa: BLE001 - a bad voice fails the first task with its own error instead
        log.warning("could not warm the voice %s", choice.voice_id, exc_info=True)

"""The session's timeline: speech chunks scheduled on one media clock, read by both tracks.

The audio track takes 20 ms packets from the cursor (`audio`), the video track asks for the pose at a frame's
media time (`pose`); both follow the same clock, so lips and sound agree by construction. A chunk is scheduled to
start on the first frame boundary after the next packet (or after the one before it ends), so each video frame
shows exactly one of the chunk's lip frames, as a rendered file does: a one-frame closure (a short /m/) is shown
whole, not averaged with its neighbours. `interrupt` cuts at the cursor: the sound fades out
within 10 ms, the lips ease back to rest over RELEASE seconds from wherever they were, and the head never jumps
(it is a function of time alone, scaled by a smoothed talking activity).
"""

from __future__ import annotations

import math
import threading
from collections import deque
from dataclasses import dataclass

import numpy as np

from talkframe.motion import Pose
from talkframe.streaming.idle import IdleMotion
from talkframe.streaming.speech import AUDIO_RATE, SpeechChunk

RELEASE = 0.15  # s for the lips to return to rest after an interrupt
FADE = 480  # samples (10 ms) of fade-out at an interrupt
ACTIVITY_TAU = 0.2  # s, smoothing of the talking activity that calms the head in pauses
KEEP_PAST = AUDIO_RATE  # samples a finished chunk is kept for late video frames


@dataclass
class Scheduled:
    chunk: SpeechChunk
    task_id: str
    start: int  # first sample on the media clock
    end: int  # one past the last sample (earlier than start + len when cut)
    cut: int | None = None  # the sample an interrupt cut it at


class Performer:
    def __init__(self, fps: float, seed: int, talking_style: str = "stable") -> None:
        self.fps = fps
        self.idle = IdleMotion(seed, talking_style, fps)
        self.cursor = 0  # next audio sample to be sent
        self.chunks: list[Scheduled] = []
        self._lock = threading.Lock()
        self._release: tuple[float, np.ndarray] | None = None  # (cut time, lips at the cut)
        self._activity, self._activity_t = 0.0, 0.0
        self.recent: deque[tuple[float, Pose]] = deque(maxlen=250)  # the last 10 s of poses shown (for checks)

    # --- scheduling (event loop) ---------------------------------------------------------------------------------

    def schedule(self, chunk: SpeechChunk, task_id: str, lead: int = 960) -> Scheduled:
        """Play `chunk` after everything already scheduled, or `lead` samples from now when nothing is; either way
        from the next frame boundary."""
        with self._lock:
            start = max(self.cursor + lead, self.chunks[-1].end if self.chunks else 0)
            frame = AUDIO_RATE / self.fps
            start = int(math.ceil(round(start / frame, 6)) * frame)  # on the frame grid (at most one frame later)
            item = Scheduled(chunk, task_id, start, start + chunk.samples)
            self.chunks.append(item)
            return item

    def interrupt(self) -> float:
        """Stop all speech at the cursor; returns the media time of the cut."""
        with self._lock:
            cut = self.cursor
            t = cut / AUDIO_RATE
            lips = self._lips_at(t)
            kept = []
            for s in self.chunks:
                if s.start >= cut:
                    continue
                if s.end > cut:
                    s.end, s.cut = min(s.end, cut + FADE), cut
                kept.append(s)
            self.chunks = kept
            if lips is not None and np.any(np.abs(lips) > 1e-4):
                self._release = (t, lips)
            return t

    def speaking_until(self) -> int:
        with self._lock:
            return max((s.end for s in self.chunks), default=0)

    def is_speaking(self) -> bool:
        with self._lock:
            return any(s.start <= self.cursor < s.end for s in self.chunks)

    # --- the tracks ----------------------------------------------------------------------------------------------

    def audio(self, n: int) -> np.ndarray:
        """The next `n` samples (float32) from the cursor, and advance it."""
        out = np.zeros(n, np.float32)
        with self._lock:
            a, b = self.cursor, self.cursor + n
            for s in self.chunks:
                lo, hi = max(a, s.start), min(b, s.end)
                if lo >= hi:
                    continue
                piece = s.chunk.audio[lo - s.start: hi - s.start]
                if s.cut is not None:  # cut: fade out over the kept tail
                    gain = np.clip((s.end - np.arange(lo, hi)) / FADE, 0, 1).astype(np.float32)
                    piece = piece * gain
                out[lo - a: hi - a] += piece
            self.cursor = b
            self.chunks = [s for s in self.chunks if s.end > b - KEEP_PAST]
        return out

    def pose(self, t: float) -> Pose:
        """The presenter at media time t (call in frame order: the talking activity is smoothed causally)."""
        with self._lock:
            lips, activity = np.zeros(4, np.float32), 0.0
            for s in self.chunks:
                t0, t1 = s.start / AUDIO_RATE, s.end / AUDIO_RATE
                if t0 <= t < t1:
                    lips, activity = _at(s.chunk, (t - t0) * self.fps)
                    if s.cut is not None and t * AUDIO_RATE >= s.cut:  # fading out: the release below takes over
                        lips[:] = 0
                    break
            if self._release is not None:
                tc, held = self._release
                u = (t - tc) / RELEASE
                if u >= 1:
                    self._release = None
                elif u >= 0:
                    lips = lips + held * (1 - u * u * (3 - 2 * u))
        dt = max(0.0, t - self._activity_t)
        self._activity += (1 - math.exp(-dt / ACTIVITY_TAU)) * (activity - self._activity)
        self._activity_t = t
        act = self._activity
        yaw, pitch, roll, tx, ty = self.idle.head(t, act)
        pose = Pose(float(lips[0]), float(lips[1]), float(lips[2]), float(lips[3]), self.idle.blink(t),
                    0.35 - 0.3 * act, yaw, pitch, roll, tx, ty)
        self.recent.append((t, pose))
        return pose

    def _lips_at(self, t: float) -> np.ndarray | None:
        for s in self.chunks:
            t0 = s.start / AUDIO_RATE
            if t0 <= t < s.end / AUDIO_RATE:
                return _at(s.chunk, (t - t0) * self.fps)[0]
        return None


def _at(chunk: SpeechChunk, index: float) -> tuple[np.ndarray, float]:
    """Lips and activity at a fractional frame index of the chunk (value i belongs to time i/fps, as in a clip).
    The lips are the nearest frame's, never a blend: blending halves a one-frame closure."""
    last = len(chunk.lips) - 1
    i = min(int(index), last)
    j, f = min(i + 1, last), index - int(index)
    lips = chunk.lips[min(int(round(index)), last)]
    return lips.astype(np.float32), float((1 - f) * chunk.activity[i] + f * chunk.activity[j])

"""Motion a piece of speech at a time: feed sentences as they are synthesised, get the frames that are final.

`build_tracks` needs the whole scene's speech (loudness references, blink count, head-motion normalisation over
the whole clip). A streaming render and a live session have one sentence at a time, so `MotionStream` computes
the same kinds of tracks from what it has been fed so far, with continuity across sentence joins:

- the timeline is one timeline: each piece's phones are shifted to where it starts and a silence that ends one
  piece merges with a silence that starts the next (as `voice.timeline.concat` joins them);
- a frame is handed out only once everything that can move it is known: the coarticulation blend reaches 0.6 s
  before a segment, the speech-activity smoothing 2 s ahead, blinks snap to pauses up to 1.2 s ahead; so frames
  lag the known timeline by `LOOKAHEAD` seconds until `finish`, which hands out the rest;
- the loudness reference (95th percentile of frame RMS) is taken over everything heard so far, so the first
  sentence is judged by itself and later ones against the whole;
- blinks and head motion come from two generators seeded by the avatar, and the head-motion sinusoids are
  normalised by their analytic RMS instead of the clip's, so no value depends on how long the scene will be.

The result depends only on the pieces fed, in order, never on when they arrive: a render that feeds every
sentence before drawing gets the very frames a streaming one gets. Memory is bounded: only the last seconds of
phones and audio are kept.
"""

from __future__ import annotations

import math
from dataclasses import replace

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view

from talkframe.core.types import Phone, Speech
from talkframe.motion import idle
from talkframe.motion.coarticulation import (
    VISUAL_LEAD,
    Segment,
    enforce_contacts,
    enforce_min_hold,
    release_frames,
    sample_frames,
    segments_from_phones,
    voice_opening,
)
from talkframe.motion.tracks import STYLE, MotionTracks
from talkframe.motion.visemes import VOWELS, Viseme, frame_visemes

LOOKAHEAD = 2.2  # s of timeline that must be known after a frame before it is final
ACTIVITY_TAU = 0.25  # s, as `idle.speech_activity`
ACTIVITY_REACH = 2.0  # s of look-ahead of the anti-causal smoothing (its weight beyond: e^-8)
NOD_WIDTH = 0.22
KEEP = 1.5  # s of timeline kept behind the frames handed out
BLINK_SNAP = (0.4, 1.2)  # a blink due at t moves onto a pause in [t - 0.4, t + 1.2]
NOISE_BANDS = {"yaw": (0.15, 0.8), "pitch": (0.2, 0.9), "roll": (0.1, 0.5), "tx": (0.1, 0.4), "ty": (0.1, 0.4)}


class MotionStream:
    """Feed `Speech` pieces in order with `feed`; each call returns the `MotionTracks` of the frames that became
    final (often none for the first piece, which is still within `LOOKAHEAD`); `finish` returns the rest. Frame
    numbers continue across calls: the first frame of a result is the one after the last frame handed out."""

    def __init__(self, fps: float, talking_style: str = "stable", expression: str = "default", seed: int = 0,
                 head_gain: float = 1.0) -> None:
        self.fps = float(fps)
        self.expression = expression
        self.sample_rate: int | None = None
        self.duration = 0.0  # seconds fed
        self.frames_done = 0
        self.finished = False
        # the kept window of the timeline and its audio (absolute times; audio from sample `_audio_base`)
        self._phones: list[Phone] = []
        self._audio = np.zeros(0, np.float32)
        self._audio_base = 0
        self._samples = 0
        # loudness: frame RMS and the 95th percentile each frame uses
        self._frame_rms = np.zeros(0)
        self._frame_ref = np.zeros(0)
        # speech activity (causal pass state), blinks, nods
        self._act_level = 0.0
        self._act_frames = 0  # frames the causal pass has covered
        self._act_fwd = np.zeros(0)  # causal values from frame `_act_base`
        self._act_base = 0
        self._blink_rng = np.random.default_rng([seed, 1])
        self._blink_next: float | None = float(self._blink_rng.uniform(0.4, 2.2))
        self._blinks: list[float] = []
        self._pauses: list[float] = []
        self._nods: list[float] = []
        # head motion: the same sinusoid sums as `idle.smooth_noise`, parameters drawn once
        style = STYLE.get(talking_style, STYLE["stable"])
        self.style, self.head_gain = style, head_gain
        rng = np.random.default_rng(seed)
        self._noise = {name: _noise_params(rng, band) for name, band in NOISE_BANDS.items()}

    # --- input -------------------------------------------------------------------------------------------------

    def feed(self, speech: Speech) -> MotionTracks:
        """Add the next piece of speech (timeline from 0); returns the frames that are now final."""
        if self.finished:
            raise RuntimeError("feed after finish")
        if self.sample_rate is None:
            self.sample_rate = speech.sample_rate
        elif speech.sample_rate != self.sample_rate:
            raise ValueError("every piece needs the same sample rate")
        offset = self._samples / self.sample_rate
        for p in speech.phones:
            if p.end <= p.start:
                continue
            start, end = p.start + offset, p.end + offset
            if self._phones and self._phones[-1].symbol == "" and p.symbol == "":
                self._phones[-1] = Phone("", self._phones[-1].start, end)
            else:
                self._phones.append(Phone(p.symbol, start, end))
        self._audio = np.concatenate([self._audio, np.asarray(speech.audio, np.float32).reshape(-1)])
        self._samples += len(speech.audio)
        self.duration = self._samples / self.sample_rate
        segs = segments_from_phones(self._phones)
        self._add_frame_rms(final=False)
        self._add_pauses(segs[:-1])
        self._add_nods(segs, offset)
        self._advance_blinks(segs[-1].start if segs else self.duration)
        open_start = segs[-1].start if segs else self.duration
        last = max(self.frames_done, math.floor((min(open_start, self.duration) - LOOKAHEAD) * self.fps))
        return self._emit(last)

    def finish(self) -> MotionTracks:
        """No more speech: the remaining frames, up to ceil(duration x fps) (at least one)."""
        if self.finished:
            raise RuntimeError("finish twice")
        self.finished = True
        if self.sample_rate is None:
            self.sample_rate = 22050
        self._add_frame_rms(final=True)
        segs = segments_from_phones(self._phones)
        self._add_pauses(segs)
        self._advance_blinks(math.inf)
        return self._emit(self.n_frames_total())

    def n_frames_total(self) -> int:
        """The scene's frame count once finished (as `build_tracks`: ceil(duration x fps), at least 1)."""
        return max(1, int(np.ceil(self.duration * self.fps - 1e-6)))

    # --- references and events, as pieces arrive ----------------------------------------------------------------

    def _add_frame_rms(self, final: bool) -> None:
        """RMS of every frame whose samples are all known (all frames when `final`), and its reference."""
        sr, fps = self.sample_rate or 22050, self.fps
        first = len(self._frame_rms)
        if final:
            last = self.n_frames_total()
        else:
            last = first
            while round((last + 1) * sr / fps) <= self._samples:
                last += 1
        if last <= first:
            return
        edges = np.round(np.arange(first, last + 1) * sr / fps).astype(np.int64)
        edges = np.clip(edges, 0, self._samples) - self._audio_base
        a = self._audio
        sq = np.concatenate([[0.0], np.cumsum(np.square(a, dtype=np.float64))])
        lo, hi = np.clip(edges[:-1], 0, len(a)), np.clip(edges[1:], 0, len(a))
        cnt = np.maximum(edges[1:] - edges[:-1], 1)
        rms = np.sqrt(np.maximum(sq[hi] - sq[lo], 0) / cnt)
        self._frame_rms = np.concatenate([self._frame_rms, rms])
        ref = float(np.percentile(self._frame_rms, 95))
        self._frame_ref = np.concatenate([self._frame_ref, np.full(len(rms), ref)])

    def _add_pauses(self, closed: list[Segment]) -> None:
        """Pauses blinks may snap to (as `idle.blink_times`): silences of 0.2 s or more after the first 0.3 s."""
        for s in closed:
            if s.viseme == Viseme.SIL and s.duration >= 0.2 and s.start > 0.3 and (
                    not self._pauses or s.start > self._pauses[-1] + 1e-9):
                self._pauses.append(s.start)

    def _add_nods(self, segs: list[Segment], piece_start: float) -> None:
        """Nods on this piece's stressed vowels (else its loudest long vowels), at least 0.7 s apart."""
        vowels = [s for s in segs if s.start >= piece_start]
        if not any(s.viseme in VOWELS for s in vowels):
            return
        base = self._audio_base / (self.sample_rate or 22050)
        shifted = [replace(s, start=s.start - base, end=s.end - base) for s in vowels]
        for t in idle.emphasis_times(shifted, self._audio, self.sample_rate or 22050):
            t += base
            if not self._nods or t - self._nods[-1] >= 0.7:
                self._nods.append(t)

    def _advance_blinks(self, known_until: float) -> None:
        """Decide every blink whose snapping window lies in the known, closed timeline (`idle.blink_times`)."""
        lo, hi = BLINK_SNAP
        while self._blink_next is not None and self._blink_next + hi < known_until:
            t = self._blink_next
            if self.finished and t >= self.duration - 0.2:
                self._blink_next = None
                break
            snap = [p for p in self._pauses
                    if t - lo <= p <= t + hi and (not self._blinks or p - self._blinks[-1] > hi)]
            if snap:
                t = snap[0] + 0.05
            self._blinks.append(t)
            self._blink_next = t + float(np.clip(self._blink_rng.gamma(3.0, 3.6 / 3.0), 1.5, 8.0))
        if self.finished:
            self._blink_next = None

    # --- output ------------------------------------------------------------------------------------------------

    def _emit(self, last: int) -> MotionTracks:
        a, b = self.frames_done, max(self.frames_done, last)
        n, fps = b - a, self.fps
        t0 = a / fps
        segs = enforce_min_hold(segments_from_phones(self._phones))
        shifted = [replace(s, start=s.start - t0, end=s.end - t0) for s in segs]
        curves = sample_frames(shifted, n, fps)
        if self._samples:
            k = max(0, a - release_frames(fps))
            rms, ref = self._frame_rms[k:b], self._frame_ref[k:b]
            loud = np.where(ref > 1e-6, np.clip(rms / np.maximum(ref, 1e-12), 0.0, 1.5), 0.0)
            curves = voice_opening(curves, shifted, loud[-n:] if n else loud[:0], fps, loud[:len(loud) - n])
        curves = enforce_contacts(curves, shifted, fps, VISUAL_LEAD)
        jaw = np.clip(curves["jaw"], 0.0, 0.4)
        closure = np.clip(curves["closure"], 0.0, 1.0)
        lip_teeth = np.clip(curves["lip_teeth"], 0.0, 1.0)
        act = self._activity(segs, a, b) if n else np.zeros(0)  # (no frames: the causal pass must not run ahead)
        blink = idle.blink_curve([t - t0 for t in self._blinks if t0 - 1.0 <= t <= b / fps + 1.0], n, fps)
        nods = idle.nod_curve([t - t0 for t in self._nods if t0 - 2.0 <= t <= b / fps + 2.0], n, fps, NOD_WIDTH)
        t = np.arange(a, b) / fps
        st, g = self.style, self.head_gain
        calm = 0.45 + 0.55 * act
        yaw = g * st["yaw"] * self._head("yaw", t) * calm
        pitch = g * (st["pitch"] * self._head("pitch", t) * calm + st["nod"] * nods)
        roll = g * st["roll"] * self._head("roll", t) * calm
        tx = g * st["shift"] * self._head("tx", t) * calm
        ty = g * (0.5 * st["shift"] * self._head("ty", t) * calm + 0.01 * nods)
        smile = 0.75 + 0.1 * act if self.expression == "happy" else 0.35 - 0.3 * act
        phones = [Phone(p.symbol, p.start - t0, p.end - t0) for p in self._phones]
        visemes = frame_visemes(phones, n, fps)
        self.frames_done = b
        self._prune()
        return MotionTracks(fps, jaw, curves["width"], closure, lip_teeth, blink, np.asarray(smile, float), yaw,
                            pitch, roll, tx, ty, act, visemes)

    def _activity(self, segs: list[Segment], a: int, b: int) -> np.ndarray:
        """`idle.speech_activity`'s zero-phase smoothing, the anti-causal pass looking `ACTIVITY_REACH` ahead."""
        fps = self.fps
        alpha = 1 - np.exp(-1 / (fps * ACTIVITY_TAU))
        reach = max(1, round(ACTIVITY_REACH * fps))
        end = self.n_frames_total() if self.finished else b + reach
        end = max(end, b)
        if end > self._act_frames:  # extend the causal pass
            start = self._act_frames
            t = np.arange(start, end) / fps
            raw = np.zeros(len(t))
            for s in segs:
                if s.viseme != Viseme.SIL:
                    raw[(t >= s.start) & (t < s.end)] = 1.0
            fwd = np.empty(len(t))
            level = self._act_level
            for i, r in enumerate(raw):
                level += alpha * (r - level)
                fwd[i] = level
            self._act_level, self._act_frames = level, end
            self._act_fwd = np.concatenate([self._act_fwd, fwd])
        fwd = self._act_fwd[a - self._act_base:]
        n = b - a
        # frame i's anti-causal value: the recursion run back from frame i + reach, started at its causal value
        full = n if not self.finished else int(np.clip(self.n_frames_total() - reach - a, 0, n))
        weights = np.append(alpha * (1 - alpha) ** np.arange(reach), (1 - alpha) ** reach)
        out = np.empty(n)
        if full:
            out[:full] = sliding_window_view(fwd[: full + reach], reach + 1) @ weights
        if full < n:  # the last frames of the scene: run back from its last frame, as `idle.speech_activity`
            level = fwd[n - 1]
            for j in range(n - 1, full - 1, -1):
                level += alpha * (fwd[j] - level)
                out[j] = level
        return np.clip(out, 0.0, 1.0)

    def _head(self, name: str, t: np.ndarray) -> np.ndarray:
        freqs, amps, phases, rms = self._noise[name]
        out = np.zeros(len(t))
        for f, amp, ph in zip(freqs, amps, phases, strict=True):
            out += amp * np.sin(2 * np.pi * f * t + ph)
        return out / rms

    def _prune(self) -> None:
        """Forget the timeline and audio more than `KEEP` seconds behind the frames handed out."""
        horizon = self.frames_done / self.fps - KEEP
        keep = 0
        for i, p in enumerate(self._phones):
            if p.start >= horizon:
                break
            if p.symbol not in ("", " "):
                keep = i  # segmentation restarts cleanly at a sounding phone
        if keep:
            del self._phones[:keep]
        sr = self.sample_rate or 22050
        cut = min(int(self._phones[0].start * sr) if self._phones else self._samples,
                  round(len(self._frame_rms) * sr / self.fps)) - self._audio_base
        if cut > 0:
            self._audio = self._audio[cut:]
            self._audio_base += cut
        drop = min(self.frames_done, self._act_frames) - self._act_base
        if drop > 0:
            self._act_fwd = self._act_fwd[drop:]
            self._act_base += drop
        self._blinks = [t for t in self._blinks if t >= horizon - 1.0]
        self._nods = [t for t in self._nods if t >= horizon - 2.0] or self._nods[-1:]


def _noise_params(rng: np.random.Generator, band: tuple[float, float],
                  components: int = 4) -> tuple[list[float], list[float], list[float], float]:
    """The sinusoids `idle.smooth_noise` draws (frequency, amplitude, phase), and their sum's analytic RMS."""
    freqs, amps, phases = [], [], []
    for _ in range(components):
        f = float(rng.uniform(*band))
        amps.append(float(rng.uniform(0.5, 1.0)) / math.sqrt(f / band[0]))
        phases.append(float(rng.uniform(0, 2 * np.pi)))
        freqs.append(f)
    return freqs, amps, phases, max(1e-6, math.sqrt(sum(a * a for a in amps) / 2))


def stream_tracks(pieces: list[Speech], fps: float, talking_style: str = "stable", expression: str = "default",
                  seed: int = 0, head_gain: float = 1.0) -> MotionTracks:
    """All the frames of `pieces` fed to one `MotionStream` (what a render that does not stream uses)."""
    stream = MotionStream(fps, talking_style, expression, seed, head_gain)
    parts = [stream.feed(p) for p in pieces]
    parts.append(stream.finish())
    return concat_tracks(parts)


def concat_tracks(parts: list[MotionTracks]) -> MotionTracks:
    """Consecutive runs of frames of one stream as one `MotionTracks`."""
    fps = parts[0].fps
    names = ["jaw", "width", "closure", "lip_teeth", "blink", "smile", "head_yaw", "head_pitch", "head_roll",
             "head_tx", "head_ty", "activity"]
    arrays = {n: np.concatenate([np.broadcast_to(getattr(p, n), (p.n_frames,)) for p in parts]) for n in names}
    return MotionTracks(fps, **arrays, visemes=[v for p in parts for v in p.visemes])

"""Blinks, head motion and expression: the non-lip motion that makes a face look alive.

All deterministic for a given seed, all in image-free units (degrees, IPD) so any rig can use them.
"""

from __future__ import annotations

import numpy as np

from talkframe.motion.coarticulation import Segment
from talkframe.motion.visemes import VOWELS, Viseme

BLINK_CLOSE, BLINK_HOLD, BLINK_OPEN = 0.06, 0.03, 0.09  # s


def speech_activity(segments: list[Segment], n_frames: int, fps: float, tau: float = 0.25) -> np.ndarray:
    """0 in pauses, 1 while talking, eased in and out with time constant `tau` (both directions)."""
    t = np.arange(n_frames) / fps
    raw = np.zeros(n_frames)
    for s in segments:
        if s.viseme != Viseme.SIL:
            raw[(t >= s.start) & (t < s.end)] = 1.0
    out = np.zeros(n_frames)
    a = 1 - np.exp(-1 / (fps * tau))
    level = 0.0
    for i in range(n_frames):  # causal then anti-causal pass = zero-phase smoothing
        level += a * (raw[i] - level)
        out[i] = level
    level = out[-1] if n_frames else 0.0
    for i in range(n_frames - 1, -1, -1):
        level += a * (out[i] - level)
        out[i] = level
    return np.clip(out / max(1e-6, out.max(initial=0.0)) if out.max(initial=0.0) > 0.5 else out, 0, 1)


def blink_times(duration: float, segments: list[Segment], rng: np.random.Generator,
                mean_interval: float = 3.6) -> list[float]:
    """Irregular blink onsets every 1.5-8 s; a blink due soon is pulled onto the next phrase end (pause)."""
    pauses = [s.start for s in segments if s.viseme == Viseme.SIL and s.duration >= 0.2 and s.start > 0.3]
    times: list[float] = []
    t = rng.uniform(0.4, 2.2)
    while t < duration - 0.2:
        snap = [p for p in pauses if t - 0.4 <= p <= t + 1.2 and (not times or p - times[-1] > 1.2)]
        if snap:
            t = snap[0] + 0.05
        times.append(t)
        t += float(np.clip(rng.gamma(3.0, mean_interval / 3.0), 1.5, 8.0))
    return times


def blink_curve(onsets: list[float], n_frames: int, fps: float) -> np.ndarray:
    """0 open .. 1 closed; fast close, short hold, slower open (smoothstep ramps), averaged over each frame."""
    t = (np.arange(n_frames)[:, None] + np.linspace(-0.4, 0.4, 5)[None, :]) / fps
    out = np.zeros_like(t)
    for t0 in onsets:
        u = t - t0
        close = np.clip(u / BLINK_CLOSE, 0, 1)
        opening = np.clip((u - BLINK_CLOSE - BLINK_HOLD) / BLINK_OPEN, 0, 1)
        v = np.where(u < BLINK_CLOSE + BLINK_HOLD, close, 1 - opening)
        v = v * v * (3 - 2 * v)
        v[u < 0] = 0
        out = np.maximum(out, v)
    return out.mean(axis=1)


def emphasis_times(segments: list[Segment], audio: np.ndarray | None, sample_rate: int,
                   min_gap: float = 0.7) -> list[float]:
    """Where nods go: stressed vowels when the phones carry stress, else the loudest long vowels."""
    vowels = [s for s in segments if s.viseme in VOWELS and s.duration >= 0.06]
    if not vowels:
        return []
    if any(s.stressed for s in vowels):
        cands = [(1.0, s.centre) for s in vowels if s.stressed]
    else:
        if audio is None or len(audio) == 0:
            return []
        loud = []
        for s in vowels:
            a = audio[int(s.start * sample_rate): int(s.end * sample_rate) + 1]
            loud.append(float(np.sqrt(np.mean(np.square(a, dtype=np.float64)))) * np.sqrt(s.duration))
        thr = float(np.percentile(loud, 65))
        cands = [(v, s.centre) for v, s in zip(loud, vowels, strict=True) if v >= thr]
    chosen: list[float] = []
    for _, t in sorted(cands, key=lambda c: -c[0]):
        if all(abs(t - c) >= min_gap for c in chosen):
            chosen.append(t)
    return sorted(chosen)


def smooth_noise(n_frames: int, fps: float, rng: np.random.Generator, freqs: tuple[float, float] = (0.15, 0.8),
                 components: int = 4) -> np.ndarray:
    """A sum of a few random low-frequency sinusoids, unit RMS: smooth, never jumpy, deterministic per seed."""
    t = np.arange(n_frames) / fps
    out = np.zeros(n_frames)
    for _ in range(components):
        f = rng.uniform(*freqs)
        out += rng.uniform(0.5, 1.0) / np.sqrt(f / freqs[0]) * np.sin(2 * np.pi * f * t + rng.uniform(0, 2 * np.pi))
    rms = np.sqrt(np.mean(out ** 2)) if n_frames > 1 else 1.0
    return out / max(rms, 1e-6)


def nod_curve(times: list[float], n_frames: int, fps: float, width: float = 0.22) -> np.ndarray:
    """A down-and-back nod (positive pitch = chin down) peaking a little after each emphasis."""
    t = np.arange(n_frames) / fps
    out = np.zeros(n_frames)
    for t0 in times:
        u = (t - t0 - 0.05) / width
        out += np.exp(-0.5 * u * u) * (1 - 0.35 * u)  # slight overshoot on the way back
    return out

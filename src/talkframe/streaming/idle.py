"""The presenter's life between and under words, as functions of the session's media time (no end, no loop seam):
head sway in the talking style's amplitudes, breathing, and irregular blinks.

`motion.idle` makes the same motion for a clip of known length (normalised over the clip); a live stream has no
length, so the same kind of signal, a few seeded low-frequency sinusoids, is normalised analytically instead.
"""

from __future__ import annotations

import math

import numpy as np

from talkframe.motion import idle
from talkframe.motion.tracks import STYLE

BREATH_HZ = 0.23  # about 14 breaths a minute
BREATH_TY = 0.006  # IPD of head rise per breath
BREATH_PITCH = 0.25  # degrees


class Sway:
    """A unit-RMS sum of `components` sinusoids in `freqs` (Hz), seeded: smooth for ever, never jumping."""

    def __init__(self, rng: np.random.Generator, freqs: tuple[float, float] = (0.15, 0.8), components: int = 4):
        f = rng.uniform(*freqs, components)
        a = rng.uniform(0.5, 1.0, components) / np.sqrt(f / freqs[0])
        self.f, self.phase = 2 * np.pi * f, rng.uniform(0, 2 * np.pi, components)
        self.a = a / math.sqrt(float(np.sum(a * a)) / 2)

    def __call__(self, t: float) -> float:
        return float(np.sum(self.a * np.sin(self.f * t + self.phase)))


class IdleMotion:
    """Head (yaw, pitch, roll in degrees; tx, ty in IPD) and blink (0 open..1 closed) at media time t."""

    def __init__(self, seed: int, talking_style: str = "stable", fps: float = 25.0) -> None:
        self.rng = np.random.default_rng(seed)
        self.style = STYLE.get(talking_style, STYLE["stable"])
        self.fps = fps
        self.yaw, self.pitch = Sway(self.rng), Sway(self.rng, (0.2, 0.9))
        self.roll, self.tx, self.ty = Sway(self.rng, (0.1, 0.5)), Sway(self.rng, (0.1, 0.4)), Sway(self.rng, (0.1, 0.4))
        self.blinks: list[float] = [float(self.rng.uniform(0.8, 2.2))]

    def head(self, t: float, activity: float) -> tuple[float, float, float, float, float]:
        s, calm = self.style, 0.45 + 0.55 * activity  # quieter in pauses, as in clips
        breath = math.sin(2 * math.pi * BREATH_HZ * t)
        return (s["yaw"] * self.yaw(t) * calm,
                s["pitch"] * self.pitch(t) * calm + BREATH_PITCH * breath,
                s["roll"] * self.roll(t) * calm,
                s["shift"] * self.tx(t) * calm,
                0.5 * s["shift"] * self.ty(t) * calm - BREATH_TY * breath)

    def blink(self, t: float) -> float:
        while self.blinks[-1] < t + 1.0:  # schedule ahead; intervals as `motion.idle.blink_times` draws them
            self.blinks.append(self.blinks[-1] + float(np.clip(self.rng.gamma(3.0, 1.2), 1.5, 8.0)))
        while len(self.blinks) > 2 and self.blinks[1] < t - 1.0:
            self.blinks.pop(0)
        near = [b - t for b in self.blinks if -0.5 < t - b < 0.5]
        return float(idle.blink_curve(near, 1, self.fps)[0]) if near else 0.0

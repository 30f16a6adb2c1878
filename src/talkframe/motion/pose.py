"""One frame of motion: the values of every `MotionTracks` channel at one frame, in the tracks' units.

The one pose type every avatar engine reads (the photo rig, the illustrated presenters, the video avatar's
fallback mouths), so a track is never translated from one engine's pose to another's.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Pose:
    """Lips in IPD units / fractions, blink 0 open..1 closed, smile absolute 0..1 (0.35 is the tracks' friendly
    rest; the photo rig compares it with the photo's own smile), head in degrees (pitch + = chin down) and IPD."""

    jaw: float = 0.0
    width: float = 0.0
    closure: float = 0.0
    lip_teeth: float = 0.0
    blink: float = 0.0
    smile: float = 0.35
    head_yaw: float = 0.0
    head_pitch: float = 0.0
    head_roll: float = 0.0
    head_tx: float = 0.0
    head_ty: float = 0.0

"""One frame's articulation and head pose, and the head's rigid motion as an affine map in design units."""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

IPD = 116.0  # design units between the pupils: the unit of the motion tracks
PIVOT = (375.0, 600.0)  # the head turns about the top of the spine (design units)
YAW_REACH = 90.0  # design units the head slides sideways per radian of yaw
PITCH_REACH = 60.0


@dataclass(frozen=True)
class Pose:
    """Channels of `MotionTracks` for one frame (same units); a neutral pose by default."""

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

    @classmethod
    def from_tracks(cls, values: dict[str, float]) -> Pose:
        names = cls.__dataclass_fields__
        return cls(**{k: v for k, v in values.items() if k in names})

    def head_affine(self) -> np.ndarray:
        """2x3 map of design points on the head: roll about the neck pivot, then slides for yaw, pitch, shift."""
        r = math.radians(self.head_roll)
        c, s = math.cos(r), math.sin(r)
        px, py = PIVOT
        dx = YAW_REACH * math.sin(math.radians(self.head_yaw)) + self.head_tx * IPD
        dy = PITCH_REACH * math.sin(math.radians(self.head_pitch)) * 0.5 + self.head_ty * IPD
        return np.array([[c, -s, px - c * px + s * py + dx],
                         [s, c, py - s * px - c * py + dy]], np.float64)

    def parallax(self, depth: float) -> tuple[float, float]:
        """How far a feature `depth` design units in front of the pivot axis slides as the head turns."""
        return (depth * math.sin(math.radians(self.head_yaw)), depth * math.sin(math.radians(self.head_pitch)))


def apply(m: np.ndarray, pts: np.ndarray) -> np.ndarray:
    """Apply a 2x3 affine map to Nx2 points."""
    return pts @ m[:, :2].T + m[:, 2]

"""The presenters' reading of a `motion.Pose`: the head's rigid motion as an affine map in design units."""

from __future__ import annotations

import math

import numpy as np

from talkframe.motion.pose import Pose

IPD = 116.0  # design units between the pupils: the unit of the motion tracks
PIVOT = (375.0, 600.0)  # the head turns about the top of the spine (design units)
YAW_REACH = 90.0  # design units the head slides sideways per radian of yaw
PITCH_REACH = 60.0


def head_affine(pose: Pose) -> np.ndarray:
    """2x3 map of design points on the head: roll about the neck pivot, then slides for yaw, pitch, shift."""
    r = math.radians(pose.head_roll)
    c, s = math.cos(r), math.sin(r)
    px, py = PIVOT
    dx = YAW_REACH * math.sin(math.radians(pose.head_yaw)) + pose.head_tx * IPD
    dy = PITCH_REACH * math.sin(math.radians(pose.head_pitch)) * 0.5 + pose.head_ty * IPD
    return np.array([[c, -s, px - c * px + s * py + dx],
                     [s, c, py - s * px - c * py + dy]], np.float64)


def parallax(pose: Pose, depth: float) -> tuple[float, float]:
    """How far a feature `depth` design units in front of the pivot axis slides as the head turns."""
    return (depth * math.sin(math.radians(pose.head_yaw)), depth * math.sin(math.radians(pose.head_pitch)))


def apply(m: np.ndarray, pts: np.ndarray) -> np.ndarray:
    """Apply a 2x3 affine map to Nx2 points."""
    return pts @ m[:, :2].T + m[:, 2]

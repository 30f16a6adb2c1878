"""The motion stage: speech + style -> per-frame motion tracks, independent of any image.

One `MotionTracks` drives whichever engine renders the scene: the photo rig and the presenters read one `Pose` per
frame, the video avatar reads the articulation curves and the per-frame visemes.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from talkframe.core.types import Speech
from talkframe.motion import idle
from talkframe.motion.coarticulation import articulation
from talkframe.motion.pose import Pose
from talkframe.motion.visemes import Viseme, frame_visemes

# `use_avatar_iv_model`: our stand-in for HeyGen's "Avatar IV" is livelier motion: larger head movement and nods.
IV_HEAD_GAIN = 1.6
# Head motion amplitudes (RMS degrees / IPD) per talking style.
STYLE = {
    "stable": {"yaw": 1.1, "pitch": 0.8, "roll": 0.6, "nod": 1.2, "shift": 0.025},
    "expressive": {"yaw": 2.6, "pitch": 1.6, "roll": 1.4, "nod": 3.0, "shift": 0.06},
}


@dataclass
class MotionTracks:
    """Per-frame arrays (length n_frames). Lips in IPD units / fractions; head in degrees and IPD.

    jaw: inner-lip opening (IPD); width: relative mouth width (+spread, -round); closure: 1 = lips pressed shut;
    lip_teeth: lower lip to upper teeth; blink: 0 open..1 closed; smile: 0 neutral..1 broad smile (absolute,
    the rig compares it with the photo's own smile); head_yaw/pitch/roll in degrees (pitch + = chin down);
    head_tx/ty in IPD; activity: 0 pause..1 talking; visemes: the viseme sounding at each frame's middle.
    """

    fps: float
    jaw: np.ndarray
    width: np.ndarray
    closure: np.ndarray
    lip_teeth: np.ndarray
    blink: np.ndarray
    smile: np.ndarray
    head_yaw: np.ndarray
    head_pitch: np.ndarray
    head_roll: np.ndarray
    head_tx: np.ndarray
    head_ty: np.ndarray
    activity: np.ndarray
    visemes: list[Viseme]

    @property
    def n_frames(self) -> int:
        return len(self.jaw)

    def poses(self) -> list[Pose]:
        """One `Pose` per frame, built once (engines index it per frame instead of re-reading every array)."""
        channels = [self.jaw, self.width, self.closure, self.lip_teeth, self.blink, self.smile, self.head_yaw,
                    self.head_pitch, self.head_roll, self.head_tx, self.head_ty]
        return [Pose(*map(float, values)) for values in zip(*channels, strict=True)]

    def articulation(self) -> dict[str, np.ndarray]:
        """The lip channels as `motion.coarticulation.articulation` gives them (what the video avatar matches)."""
        return {"jaw": self.jaw, "width": self.width, "closure": self.closure, "lip_teeth": self.lip_teeth}


def build_tracks(speech: Speech, fps: float, talking_style: str = "stable", expression: str = "default",
                 seed: int = 0, head_gain: float = 1.0) -> MotionTracks:
    """Lips from the phone timeline, blinks and head motion from a seeded generator modulated by speech."""
    n = max(1, int(np.ceil(speech.duration * fps - 1e-6)))
    rng = np.random.default_rng(seed)
    curves, segs = articulation(speech.phones, n, fps, speech.audio, speech.sample_rate)
    act = idle.speech_activity(segs, n, fps)

    blink = idle.blink_curve(idle.blink_times(speech.duration, segs, rng), n, fps)

    style = STYLE.get(talking_style, STYLE["stable"])
    g = head_gain
    calm = 0.45 + 0.55 * act  # quieter in pauses
    nods = idle.nod_curve(idle.emphasis_times(segs, speech.audio, speech.sample_rate), n, fps)
    yaw = g * style["yaw"] * idle.smooth_noise(n, fps, rng) * calm
    pitch = g * (style["pitch"] * idle.smooth_noise(n, fps, rng, (0.2, 0.9)) * calm + style["nod"] * nods)
    roll = g * style["roll"] * idle.smooth_noise(n, fps, rng, (0.1, 0.5)) * calm
    tx = g * style["shift"] * idle.smooth_noise(n, fps, rng, (0.1, 0.4)) * calm
    ty = g * (0.5 * style["shift"] * idle.smooth_noise(n, fps, rng, (0.1, 0.4)) * calm + 0.01 * nods)

    # happy: a held smile; default: a friendly rest that relaxes to neutral while talking
    smile = 0.75 + 0.1 * act if expression == "happy" else 0.35 - 0.3 * act
    return MotionTracks(fps, curves["jaw"], curves["width"], curves["closure"], curves["lip_teeth"], blink,
                        np.asarray(smile, float), yaw, pitch, roll, tx, ty, act, frame_visemes(speech.phones, n, fps))

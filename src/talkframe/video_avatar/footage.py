"""Synthetic training footage: a photo made to talk by the photo rig, written as an MP4 with its speech.

No video of a real person talking ships in any package we can install, so tests and benchmarks make their own
footage with our photo engine; this module also makes the malformed clips the error paths are tested on.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import numpy as np

from talkframe.core.types import Speech
from talkframe.media.mp4 import Mp4Writer

SCRIPT = (
    "Hello, my name is Ava and I will be your guide today. Bob bought a map of the moon, "
    "and we will walk through five simple steps together. Please pass me the purple paper, papa. "
    "Why would anyone go all the way out there? Because, at the top, the view is wonderful. "
    "Thank you so much for watching, and see you soon."
)


def speak(text: str = SCRIPT) -> Speech:
    """Piper speech of `text` (the bundled voice), with its exact phone timeline."""
    from talkframe.voice import piper_engine

    return piper_engine.speak(text)


def write_clip(path: Path, frames: Callable[[int], np.ndarray], n_frames: int, fps: float,
               audio: np.ndarray | None, sample_rate: int = 22050) -> Path:
    """Encode `frames(i)` (RGB or RGBA uint8) for i < n_frames, with mono `audio` when given (None: no audio)."""
    first = frames(0)
    size = (first.shape[1] // 2 * 2, first.shape[0] // 2 * 2)
    writer = Mp4Writer(path, size, fps, crf=16, with_audio=audio is not None)
    if audio is not None:
        writer.add_audio(audio.astype(np.float32), sample_rate)
    for i in range(n_frames):
        writer.write_frame(np.ascontiguousarray(frames(i)[: size[1], : size[0], :3]))
    writer.close()
    return path


def talking_footage(path: Path, rgb: np.ndarray, speech: Speech, fps: float = 25.0,
                    talking_style: str = "stable") -> Path:
    """The photo speaking `speech` with the rig's head motion and blinks: a stand-in for an uploaded clip."""
    from talkframe.avatar.talking_photo import photo_seed, talking_photo_clip
    from talkframe.motion import build_tracks

    clip = talking_photo_clip(rgb, build_tracks(speech, fps, talking_style, seed=photo_seed(rgb)))
    return write_clip(path, clip.frame, clip.n_frames, fps, speech.audio, speech.sample_rate)

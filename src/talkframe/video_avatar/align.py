"""The clip's own audio -> phones -> one viseme label per video frame.

With a transcript the words are force-aligned (pocketsphinx, exact phones); without one, phones are recognised
with pocketsphinx's phone loop (noisier: the library keeps each image's measured lip shape too, so a wrong label
costs little when rendering).
"""

from __future__ import annotations

import numpy as np

from talkframe.core.types import Phone
from talkframe.motion.visemes import Viseme, to_viseme


def clip_phones(audio: np.ndarray, sample_rate: int, transcript: str | None = None) -> list[Phone]:
    """Phones of the clip's speech (ARPAbet, `""` silence)."""
    from talkframe.voice import align

    if transcript:
        aligned = align.align_words(audio, sample_rate, transcript)
        if aligned is not None:
            return aligned[0]
    return align.recognize_phones(audio, sample_rate)


def frame_visemes(phones: list[Phone], n_frames: int, fps: float) -> list[Viseme]:
    """The viseme sounding at the middle of each frame's display interval (silence where no phone covers it)."""
    mids = (np.arange(n_frames) + 0.5) / fps
    out = [Viseme.SIL] * n_frames
    if not phones:
        return out
    starts = np.array([p.start for p in phones])
    idx = np.searchsorted(starts, mids, side="right") - 1
    for i, j in enumerate(idx):
        if j >= 0 and phones[j].start <= mids[i] < phones[j].end:
            out[i] = to_viseme(phones[j].symbol)
    return out

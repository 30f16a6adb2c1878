"""The clip's own audio -> phones (labelled per frame by `motion.visemes.frame_visemes`).

With a transcript the words are force-aligned (pocketsphinx, exact phones); without one, phones are recognised
with pocketsphinx's phone loop (noisier: the library keeps each image's measured lip shape too, so a wrong label
costs little when rendering).
"""

from __future__ import annotations

import numpy as np

from talkframe.core.types import Phone


def clip_phones(audio: np.ndarray, sample_rate: int, transcript: str | None = None) -> list[Phone]:
    """Phones of the clip's speech (ARPAbet, `""` silence)."""
    from talkframe.voice import align

    if transcript:
        aligned = align.align_words(audio, sample_rate, transcript)
        if aligned is not None:
            return aligned[0]
    return align.recognize_phones(audio, sample_rate)

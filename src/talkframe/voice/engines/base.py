"""What every TTS engine returns: audio plus a phone and word timeline that spans it exactly."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from talkframe.core.types import Phone, Word


@dataclass
class RawSpeech:
    """Mono float32 audio at the engine's own rate, with phones (IPA) and words in seconds."""

    audio: np.ndarray
    sample_rate: int
    phones: list[Phone] = field(default_factory=list)
    words: list[Word] = field(default_factory=list)

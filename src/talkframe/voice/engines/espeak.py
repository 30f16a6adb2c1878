"""espeak-ng through ctypes (the library and data ship in the `espeakng-loader` wheel): 100+ languages.

Why ctypes rather than a subprocess: the C API reports WORD and PHONEME events with their audio positions, which
gives the lips and the captions exact timings. Phoneme events are requested in IPA, like Piper's.
"""

from __future__ import annotations

import ctypes
import functools
import threading
from dataclasses import dataclass

import numpy as np

from talkframe.core.types import Phone, Word
from talkframe.voice.engines.base import RawSpeech

_AUDIO_OUTPUT_SYNCHRONOUS = 2
_INIT_PHONEME_EVENTS = 0x0001
_INIT_PHONEME_IPA = 0x0002
_INIT_DONT_EXIT = 0x8000
_CHARS_UTF8 = 1
_POS_CHARACTER = 1
_EV_WORD, _EV_SENTENCE, _EV_END, _EV_MSG_TERMINATED, _EV_PHONEME = 1, 2, 5, 6, 7
_PARAM_RATE, _PARAM_VOLUME, _PARAM_PITCH, _PARAM_RANGE = 1, 2, 3, 4
DEFAULT_RATE = 175  # words per minute: espeak's own default

_lock = threading.RLock()


class _EventId(ctypes.Union):
    _fields_ = [("number", ctypes.c_int), ("name", ctypes.c_char_p), ("string", ctypes.c_char * 8)]


class _Event(ctypes.Structure):
    _fields_ = [
        ("type", ctypes.c_int),
        ("unique_identifier", ctypes.c_uint),
        ("text_position", ctypes.c_int),
        ("length", ctypes.c_int),
        ("audio_position", ctypes.c_int),
        ("sample", ctypes.c_int),
        ("user_data", ctypes.c_void_p),
        ("id", _EventId),
    ]


class _VoiceStruct(ctypes.Structure):
    _fields_ = [
        ("name", ctypes.c_char_p),
        ("languages", ctypes.c_char_p),
        ("identifier", ctypes.c_char_p),
        ("gender", ctypes.c_ubyte),
        ("age", ctypes.c_ubyte),
        ("variant", ctypes.c_ubyte),
        ("xx1", ctypes.c_ubyte),
        ("score", ctypes.c_int),
        ("spare", ctypes.c_void_p),
    ]


_CALLBACK = ctypes.CFUNCTYPE(ctypes.c_int, ctypes.POINTER(ctypes.c_short), ctypes.c_int, ctypes.POINTER(_Event))


@dataclass(frozen=True)
class EspeakLanguage:
    """One language voice espeak-ng offers: `code` like "en-us", `name` like "English (America)"."""

    code: str
    name: str
    identifier: str


class _Lib:
    """The loaded library, its sample rate and the callback's collecting buffers (guarded by `_lock`)."""

    def __init__(self) -> None:
        import espeakng_loader

        self.lib = ctypes.CDLL(espeakng_loader.get_library_path())
        self.lib.espeak_Initialize.restype = ctypes.c_int
        self.lib.espeak_ListVoices.restype = ctypes.POINTER(ctypes.POINTER(_VoiceStruct))
        self.lib.espeak_ListVoices.argtypes = [ctypes.c_void_p]
        self.lib.espeak_SetVoiceByName.argtypes = [ctypes.c_char_p]
        self.lib.espeak_Synth.argtypes = [
            ctypes.c_void_p, ctypes.c_size_t, ctypes.c_uint, ctypes.c_int, ctypes.c_uint, ctypes.c_uint,
            ctypes.c_void_p, ctypes.c_void_p,
        ]
        options = _INIT_PHONEME_EVENTS | _INIT_PHONEME_IPA | _INIT_DONT_EXIT
        rate = self.lib.espeak_Initialize(
            _AUDIO_OUTPUT_SYNCHRONOUS, 0, espeakng_loader.get_data_path().encode(), options
        )
        if rate <= 0:
            raise RuntimeError("espeak-ng failed to initialise")
        self.sample_rate = int(rate)
        self.chunks: list[np.ndarray] = []
        self.events: list[tuple[int, int, int, int, str]] = []
        self._cb = _CALLBACK(self._collect)  # keep a reference: ctypes callbacks must outlive their use
        self.lib.espeak_SetSynthCallback(self._cb)

    def _collect(self, wav, n, events) -> int:  # type: ignore[no-untyped-def]
        if n > 0 and wav:
            self.chunks.append(np.ctypeslib.as_array(wav, shape=(n,)).copy())
        i = 0
        while events[i].type != 0:
            ev = events[i]
            text = ev.id.string.decode("utf-8", "replace") if ev.type == _EV_PHONEME else ""
            self.events.append((ev.type, ev.text_position, ev.length, ev.sample, text))
            i += 1
        return 0


@functools.lru_cache(maxsize=1)
def _lib() -> _Lib:
    return _Lib()


def _has_dictionary(code: str) -> bool:
    """A few voices in the wheel lack their dictionary file and would speak nothing: leave them out."""
    from pathlib import Path

    import espeakng_loader

    return (Path(espeakng_loader.get_data_path()) / f"{code.split('-')[0]}_dict").is_file()


def _identifier(code: str) -> str:
    """Voice file identifier for a language code ("fr-fr" -> "roa/fr"); unknown codes pass through."""
    for lang in languages():
        if lang.code == code:
            return lang.identifier
    return code


def sample_rate() -> int:
    return _lib().sample_rate


@functools.lru_cache(maxsize=1)
def languages() -> tuple[EspeakLanguage, ...]:
    """All language voices in the bundled data (variants are applied on top with `+variant`)."""
    with _lock:
        ptr = _lib().lib.espeak_ListVoices(None)
        out: list[EspeakLanguage] = []
        i = 0
        while ptr[i]:
            v = ptr[i].contents
            # `languages` is a sequence of (priority byte, NUL-terminated name); the first is the main one.
            raw = v.languages[1:] if v.languages else b""
            code = raw.decode("utf-8", "replace")
            name = (v.name or b"").decode("utf-8", "replace").replace("_", " ")
            ident = (v.identifier or b"").decode()
            if any(lang.code == code for lang in out):  # two voices of one language: name the second by file
                code = ident.rsplit("/", 1)[-1].lower()
            if code and not code.startswith("mb-") and _has_dictionary(code):
                out.append(EspeakLanguage(code, name, ident))
            i += 1
    return tuple(sorted(out, key=lambda lang: lang.code))


def synthesize(text: str, language: str, variant: str | None = None, speed: float = 1.0,
               pitch: int = 50, pitch_range: int = 50) -> RawSpeech:
    """Speak `text` in `language` ("en-us"); `variant` like "f3" picks a timbre; speed scales the word rate."""
    lib = _lib()
    data = text.encode("utf-8")
    buf = ctypes.create_string_buffer(data)
    ident = _identifier(language)  # outside the lock: the first call lists the voices under it
    name = f"{ident}+{variant}" if variant else ident
    with _lock:
        lib.chunks, lib.events = [], []
        if lib.lib.espeak_SetVoiceByName(name.encode()) != 0:
            raise ValueError(f"espeak-ng has no voice {name}")
        lib.lib.espeak_SetParameter(_PARAM_RATE, int(round(DEFAULT_RATE * speed)), 0)
        lib.lib.espeak_SetParameter(_PARAM_PITCH, int(pitch), 0)
        lib.lib.espeak_SetParameter(_PARAM_RANGE, int(pitch_range), 0)
        status = lib.lib.espeak_Synth(buf, len(data) + 1, 0, _POS_CHARACTER, 0, _CHARS_UTF8, None, None)
        if status != 0:
            raise RuntimeError(f"espeak-ng synthesis failed ({status})")
        chunks, events = lib.chunks, lib.events
    sr = lib.sample_rate
    audio = (np.concatenate(chunks).astype(np.float32) / 32768.0) if chunks else np.zeros(1, np.float32)
    return _timeline(audio, sr, events, text)


def _timeline(audio: np.ndarray, sr: int, events: list[tuple[int, int, int, int, str]], text: str) -> RawSpeech:
    """Turn espeak's event stream into phones and words that tile the audio exactly."""
    total = len(audio) / sr
    phones: list[Phone] = []
    words: list[Word] = []
    marks = [(s / sr, sym) for t, _p, _l, s, sym in events if t == _EV_PHONEME]
    for k, (start, sym) in enumerate(marks):
        end = marks[k + 1][0] if k + 1 < len(marks) else total
        if end <= start:
            continue
        phones.append(Phone(sym if sym.strip() else "", start, min(end, total)))
    phones = _tile(phones, total)
    word_events = _merge_split_words([(s / sr, pos, length) for t, pos, length, s, _ in events if t == _EV_WORD])
    for k, (start, pos, length) in enumerate(word_events):
        # Positions count characters (1-based), not UTF-8 bytes. A word's text runs to the next word event, so
        # it keeps its punctuation ("there.") and CJK characters espeak reads as one word ("你好").
        stop = word_events[k + 1][1] - 1 if k + 1 < len(word_events) else len(text)
        word = text[max(0, pos - 1): max(pos - 1 + length, stop)].strip()
        nxt = word_events[k + 1][0] if k + 1 < len(word_events) else total
        start = _snap(phones, start)
        end = _last_voiced_end(phones, start, nxt)
        if word:
            words.append(Word(word, start, max(end, start + 0.01)))
    return RawSpeech(audio, sr, phones, words)


def _merge_split_words(events: list[tuple[float, int, int]]) -> list[tuple[float, int, int]]:
    """espeak reports "42" as two words ("42", "2"): drop events whose text lies inside the previous word."""
    out: list[tuple[float, int, int]] = []
    for ev in events:
        if out and ev[1] < out[-1][1] + out[-1][2]:
            continue
        out.append(ev)
    return out


def _snap(phones: list[Phone], t: float) -> float:
    """Word events come a few ms before their first phone: start the word on the nearest phone boundary."""
    return min((p.start for p in phones if p.symbol), key=lambda s: abs(s - t), default=t)


def _tile(phones: list[Phone], total: float) -> list[Phone]:
    """Fill the gaps before, between and after phones with silence so the timeline spans [0, total]."""
    out: list[Phone] = []
    t = 0.0
    for p in phones:
        if p.start > t + 1e-6:
            out.append(Phone("", t, p.start))
        out.append(Phone(p.symbol, max(p.start, t), p.end))
        t = p.end
    if total > t + 1e-6 or not out:
        out.append(Phone("", t, total))
    return out


def _last_voiced_end(phones: list[Phone], start: float, stop: float) -> float:
    end = start
    for p in phones:
        if p.symbol and p.start >= start - 1e-6 and p.start < stop - 1e-6:
            end = p.end
    return end

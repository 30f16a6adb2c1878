"""CMU flite voices (Debian `flite`), offered only when the `flite` binary is on the machine.

flite prints each phone's end time (`-psdur`, ARPAbet) and the normalised words (`-pw`, "42" -> "forty two");
words get their phones by counting each word's pronunciation in the CMU dictionary that ships inside pocketsphinx
(flite's lexicon is built from the same dictionary), with an even share as the fallback.
"""

from __future__ import annotations

import functools
import shutil
import subprocess
import tempfile
import wave
from pathlib import Path

import numpy as np

from talkframe.core.types import Phone, Word
from talkframe.voice.engines.base import RawSpeech

VOICES = {"slt": "female", "awb": "male", "rms": "male", "kal16": "male"}


@functools.lru_cache(maxsize=1)
def binary() -> str | None:
    return shutil.which("flite")


@functools.lru_cache(maxsize=1)
def available_voices() -> tuple[str, ...]:
    """The voices of `VOICES` this flite build lists (`flite -lv`); empty when flite is absent."""
    exe = binary()
    if exe is None:
        return ()
    try:
        out = subprocess.run([exe, "-lv"], capture_output=True, text=True, timeout=10).stdout
    except (OSError, subprocess.SubprocessError):
        return ()
    listed = set(out.split(":")[-1].split())
    return tuple(v for v in VOICES if v in listed)


def synthesize(text: str, voice: str = "slt", speed: float = 1.0) -> RawSpeech:
    """Speak `text` with a flite voice; speed maps to flite's `duration_stretch` = 1 / speed."""
    exe = binary()
    if exe is None:
        raise RuntimeError("flite is not installed")
    with tempfile.TemporaryDirectory() as tmp:
        wav = Path(tmp) / "out.wav"
        args = [exe, "-voice", voice, "--setf", f"duration_stretch={1.0 / max(0.25, speed):.4f}"]
        proc = subprocess.run([*args, "-psdur", "-t", text, "-o", str(wav)], capture_output=True,
                              text=True, timeout=120)
        if proc.returncode != 0 or not wav.is_file():
            raise RuntimeError(f"flite failed: {proc.stderr.strip()[:200]}")
        # flite prints one relation per run: the words come from a second run that discards its audio.
        word_line = subprocess.run([*args, "-pw", "-t", text, "-o", "none"], capture_output=True, text=True,
                                   timeout=120).stdout
        with wave.open(str(wav)) as w:
            sr = w.getframerate()
            audio = np.frombuffer(w.readframes(w.getnframes()), np.int16).astype(np.float32) / 32768.0
    phones = _phones(proc.stdout, len(audio) / sr)
    return RawSpeech(audio, sr, phones, _words(phones, word_line.split()))


def _phones(line: str, total: float) -> list[Phone]:
    out: list[Phone] = []
    t = 0.0
    for item in line.split():
        sym, _, end_s = item.rpartition(":")
        end = min(float(end_s), total)
        if end > t:
            out.append(Phone("" if sym == "pau" else sym.upper(), t, end))
            t = end
    if total > t:
        out.append(Phone("", t, total))
    return out


@functools.lru_cache(maxsize=1)
def _cmudict() -> dict[str, int]:
    from pocketsphinx import get_model_path

    counts: dict[str, int] = {}
    with open(Path(get_model_path()) / "en-us" / "cmudict-en-us.dict", encoding="utf-8") as f:
        for line in f:
            parts = line.split()
            if parts and "(" not in parts[0]:
                counts[parts[0]] = len(parts) - 1
    return counts


def _words(phones: list[Phone], words: list[str]) -> list[Word]:
    voiced = [p for p in phones if p.symbol]
    if not words or not voiced:
        return []
    counts = [_cmudict().get(w.lower(), 0) for w in words]
    if sum(counts) != len(voiced) or 0 in counts:
        share = len(voiced) / len(words)
        bounds = [round(share * i) for i in range(len(words) + 1)]
    else:
        bounds = [0]
        for c in counts:
            bounds.append(bounds[-1] + c)
    out = []
    for w, a, b in zip(words, bounds[:-1], bounds[1:], strict=True):
        if b > a:
            out.append(Word(w, voiced[a].start, voiced[b - 1].end))
    return out

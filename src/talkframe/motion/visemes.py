"""Phonemes -> visemes -> articulation targets.

Both espeak IPA (Piper, espeak-ng) and ARPAbet (pocketsphinx) map onto the Oculus-15 viseme set. Each viseme has
targets for the articulation channels the rigs understand, in face-normalised units (inter-pupil distance, IPD),
so the same timeline drives a photo rig or an illustrated presenter.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from enum import StrEnum

import numpy as np

from talkframe.core.types import Phone


class Viseme(StrEnum):
    SIL = "sil"
    PP = "PP"  # p b m: lips closed
    FF = "FF"  # f v: lower lip to upper teeth
    TH = "TH"  # th: tongue tip between teeth
    DD = "DD"  # t d: tongue on ridge, small opening
    KK = "kk"  # k g ng
    CH = "CH"  # ch j sh zh: lips pushed forward
    SS = "SS"  # s z: teeth nearly together, spread
    NN = "nn"  # n l
    RR = "RR"  # r: slightly rounded
    AA = "aa"  # open vowels
    E = "E"  # mid front vowels
    IH = "ih"  # close front vowels, spread
    OH = "oh"  # mid back rounded
    OU = "ou"  # close rounded (u, w)


@dataclass(frozen=True)
class Target:
    """Articulation targets. `jaw`: inner-lip opening in IPD; `width`: relative mouth-width change (+spread,
    -round); `closure`: 1 forces the lips shut; `lip_teeth`: lower lip to upper teeth (f/v); `dominance`: how
    strongly the segment holds its shape against neighbours (Cohen-Massaro alpha)."""

    jaw: float
    width: float
    closure: float = 0.0
    lip_teeth: float = 0.0
    dominance: float = 0.6


TARGETS: dict[Viseme, Target] = {
    Viseme.SIL: Target(0.0, 0.0, 0.0, 0.0, 0.35),
    Viseme.PP: Target(0.0, 0.0, 1.0, 0.0, 1.0),
    Viseme.FF: Target(0.05, 0.02, 0.0, 1.0, 0.95),
    Viseme.TH: Target(0.07, 0.02, 0.0, 0.0, 0.6),
    Viseme.DD: Target(0.07, 0.03, 0.0, 0.0, 0.45),
    Viseme.KK: Target(0.09, 0.0, 0.0, 0.0, 0.4),
    Viseme.CH: Target(0.07, -0.16, 0.0, 0.0, 0.75),
    Viseme.SS: Target(0.035, 0.07, 0.0, 0.0, 0.6),
    Viseme.NN: Target(0.07, 0.02, 0.0, 0.0, 0.4),
    Viseme.RR: Target(0.08, -0.12, 0.0, 0.0, 0.55),
    Viseme.AA: Target(0.30, 0.04, 0.0, 0.0, 0.8),
    Viseme.E: Target(0.17, 0.07, 0.0, 0.0, 0.7),
    Viseme.IH: Target(0.10, 0.09, 0.0, 0.0, 0.65),
    Viseme.OH: Target(0.19, -0.22, 0.0, 0.0, 0.8),
    Viseme.OU: Target(0.09, -0.28, 0.0, 0.0, 0.85),
}

# espeak IPA as Piper emits it (length marks and stress stripped before lookup). Diphthongs map to their onset;
# `diphthong_glide` gives the offset for the second half.
_IPA: dict[str, Viseme] = {
    "p": Viseme.PP, "b": Viseme.PP, "m": Viseme.PP,
    "f": Viseme.FF, "v": Viseme.FF,
    "θ": Viseme.TH, "ð": Viseme.TH,
    "t": Viseme.DD, "d": Viseme.DD, "ɾ": Viseme.DD, "ʔ": Viseme.DD, "ɖ": Viseme.DD,
    "k": Viseme.KK, "g": Viseme.KK, "ɡ": Viseme.KK, "ŋ": Viseme.KK, "x": Viseme.KK, "h": Viseme.KK,
    "tʃ": Viseme.CH, "dʒ": Viseme.CH, "ʃ": Viseme.CH, "ʒ": Viseme.CH, "ʧ": Viseme.CH, "ʤ": Viseme.CH,
    "s": Viseme.SS, "z": Viseme.SS,
    "n": Viseme.NN, "l": Viseme.NN, "ɫ": Viseme.NN, "j": Viseme.IH, "n̩": Viseme.NN, "l̩": Viseme.NN,
    "ɹ": Viseme.RR, "r": Viseme.RR, "ɚ": Viseme.RR, "ɝ": Viseme.RR, "ɜ": Viseme.E,
    "w": Viseme.OU, "ʍ": Viseme.OU,
    "a": Viseme.AA, "ɑ": Viseme.AA, "æ": Viseme.AA, "ʌ": Viseme.AA, "ɐ": Viseme.AA, "ɒ": Viseme.OH,
    "ɔ": Viseme.OH, "o": Viseme.OH, "oʊ": Viseme.OH, "əʊ": Viseme.OH,
    "u": Viseme.OU, "ʊ": Viseme.OU,
    "e": Viseme.E, "ɛ": Viseme.E, "ə": Viseme.E, "ᵻ": Viseme.IH,
    "i": Viseme.IH, "ɪ": Viseme.IH, "y": Viseme.OU,
    "aɪ": Viseme.AA, "aʊ": Viseme.AA, "eɪ": Viseme.E, "ɔɪ": Viseme.OH,
}

_ARPABET: dict[str, Viseme] = {
    "P": Viseme.PP, "B": Viseme.PP, "M": Viseme.PP, "F": Viseme.FF, "V": Viseme.FF,
    "TH": Viseme.TH, "DH": Viseme.TH, "T": Viseme.DD, "D": Viseme.DD, "DX": Viseme.DD,
    "K": Viseme.KK, "G": Viseme.KK, "NG": Viseme.KK, "HH": Viseme.KK,
    "CH": Viseme.CH, "JH": Viseme.CH, "SH": Viseme.CH, "ZH": Viseme.CH, "S": Viseme.SS, "Z": Viseme.SS,
    "N": Viseme.NN, "L": Viseme.NN, "R": Viseme.RR, "ER": Viseme.RR, "W": Viseme.OU, "Y": Viseme.IH,
    "AA": Viseme.AA, "AE": Viseme.AA, "AH": Viseme.AA, "AO": Viseme.OH, "AW": Viseme.AA, "AY": Viseme.AA,
    "EH": Viseme.E, "EY": Viseme.E, "IH": Viseme.IH, "IY": Viseme.IH, "OW": Viseme.OH, "OY": Viseme.OH,
    "UH": Viseme.OU, "UW": Viseme.OU, "SIL": Viseme.SIL, "SP": Viseme.SIL,
}

# Second halves of diphthongs (the mouth glides there).
_GLIDES: dict[str, Viseme] = {
    "aɪ": Viseme.IH, "aʊ": Viseme.OU, "eɪ": Viseme.IH, "ɔɪ": Viseme.IH, "oʊ": Viseme.OU, "əʊ": Viseme.OU,
    "AW": Viseme.OU, "AY": Viseme.IH, "EY": Viseme.IH, "OW": Viseme.OU, "OY": Viseme.IH,
}

VOWELS = {Viseme.AA, Viseme.E, Viseme.IH, Viseme.OH, Viseme.OU}


def clean_symbol(symbol: str) -> str:
    """Strip stress/length marks and ARPAbet stress digits so lookups see the bare phoneme."""
    s = unicodedata.normalize("NFC", symbol.strip())
    s = "".join(ch for ch in s if ch not in "ˈˌːˑ'")
    if s[-1:].isdigit() and s[:-1].isupper():
        s = s[:-1]
    return s


def is_stressed(symbol: str) -> bool:
    """espeak marks primary stress with ˈ, ARPAbet with a trailing 1."""
    return "ˈ" in symbol or symbol.strip().endswith("1")


def to_viseme(symbol: str) -> Viseme:
    """One phoneme (IPA or ARPAbet, any stress marks) -> its viseme; silence, gaps and unknowns -> SIL/nearest."""
    s = clean_symbol(symbol)
    if not s:
        return Viseme.SIL
    if s in _ARPABET:
        return _ARPABET[s]
    if s in _IPA:
        return _IPA[s]
    # Unknown multi-character IPA: try the longest known prefix, then any known character.
    for n in range(len(s) - 1, 0, -1):
        if s[:n] in _IPA:
            return _IPA[s[:n]]
    for ch in s:
        if ch in _IPA:
            return _IPA[ch]
    return Viseme.NN


def diphthong_glide(symbol: str) -> Viseme | None:
    """The viseme a diphthong glides to, if `symbol` is one."""
    return _GLIDES.get(clean_symbol(symbol))


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

"""Group timed words into caption cues of at most two ~42-character lines, broken at phrase boundaries.

Rules (the usual subtitle guidelines): a cue ends at a sentence end, at a pause longer than `max_gap`, when
it would exceed two lines or `max_duration`, and preferably after a comma once it is half full. Lines are split
at the most balanced word boundary, preferring one after punctuation. Cue times come straight from the words:
start of the first, end of the last (plus a short linger that never overlaps the next cue).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from talkframe.core.types import Word

MAX_CHARS = 42
MAX_LINES = 2
_SENTENCE_END = (".", "!", "?", "…", "。", "！", "？")
_PHRASE_END = (",", ";", ":", "—", "–", "，", "、")


@dataclass(frozen=True)
class Cue:
    """One caption on screen from `start` to `end` seconds; `lines` are shown top to bottom."""

    start: float
    end: float
    lines: tuple[str, ...]

    @property
    def text(self) -> str:
        return "\n".join(self.lines)


def build_cues(words: Iterable[Word], offset: float = 0.0, max_chars: int = MAX_CHARS,
               max_gap: float = 0.8, max_duration: float = 7.0, linger: float = 0.3) -> list[Cue]:
    """Cues for one scene's words; `offset` (the scene's start in the video) is added to every time."""
    groups: list[list[Word]] = []
    current: list[Word] = []
    capacity = max_chars * MAX_LINES
    for w in (w for w in words if w.text.strip()):
        if current:
            text_len = len(_join(current + [w]))
            too_long = text_len > capacity or not _split_lines(current + [w], max_chars)
            if too_long or w.start - current[-1].end > max_gap or w.end - current[0].start > max_duration:
                groups.append(current)
                current = []
        current.append(w)
        if w.text.endswith(_SENTENCE_END) or (
            w.text.endswith(_PHRASE_END) and len(_join(current)) > capacity / 2
        ):
            groups.append(current)
            current = []
    if current:
        groups.append(current)
    cues: list[Cue] = []
    for i, group in enumerate(groups):
        nxt = groups[i + 1][0].start if i + 1 < len(groups) else group[-1].end + linger
        end = min(group[-1].end + linger, max(group[-1].end, nxt))
        lines = _split_lines(group, max_chars) or (_join(group),)
        cues.append(Cue(group[0].start + offset, end + offset, lines))
    return cues


def _join(words: list[Word]) -> str:
    return " ".join(w.text.strip() for w in words)


def _split_lines(words: list[Word], max_chars: int) -> tuple[str, ...] | None:
    """One line if it fits, else the best two-line split; None when no split fits."""
    whole = _join(words)
    if len(whole) <= max_chars:
        return (whole,)
    best: tuple[float, tuple[str, ...]] | None = None
    for k in range(1, len(words)):
        top, bottom = _join(words[:k]), _join(words[k:])
        if len(top) > max_chars or len(bottom) > max_chars:
            continue
        score = abs(len(top) - len(bottom)) - (12 if words[k - 1].text.endswith(_PHRASE_END + _SENTENCE_END)
                                               else 0)
        if best is None or score < best[0]:
            best = (score, (top, bottom))
    return best[1] if best else None

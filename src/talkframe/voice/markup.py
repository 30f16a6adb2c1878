"""Script markup: `<break time="1.5s"/>` / `time="500ms"` pauses split the text into spoken runs and exact silences.

Pauses are inserted as silence after synthesis (never handed to an engine), so every engine honours them to the
sample and the speed setting does not scale them. Other SSML-ish tags are dropped and entities unescaped.
A break longer than `MAX_BREAK` seconds is shortened to it.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass

MAX_BREAK = 10.0
_BREAK_RE = re.compile(r"<\s*break\b([^>]*)/?\s*>", re.IGNORECASE)
_TIME_RE = re.compile(r"""time\s*=\s*["']?\s*([0-9]*\.?[0-9]+)\s*(ms|s)?\s*["']?""", re.IGNORECASE)
_STRENGTH_RE = re.compile(r"""strength\s*=\s*["']?([a-z-]+)""", re.IGNORECASE)
_STRENGTHS = {"none": 0.0, "x-weak": 0.1, "weak": 0.25, "medium": 0.5, "strong": 0.75, "x-strong": 1.0}
_TAG_RE = re.compile(r"<[^>]*>")


@dataclass(frozen=True)
class Pause:
    """An exact silence in seconds."""

    seconds: float


Segment = str | Pause


def parse(text: str) -> list[Segment]:
    """Split a script into text runs and pauses, in order; blank runs are dropped."""
    out: list[Segment] = []
    pos = 0
    for m in _BREAK_RE.finditer(text):
        _add_text(out, text[pos: m.start()])
        seconds = break_seconds(m.group(1))
        if seconds > 0:
            out.append(Pause(seconds))
        pos = m.end()
    _add_text(out, text[pos:])
    return out


def break_seconds(attrs: str) -> float:
    """Seconds of one break tag's attributes: `time` in s or ms, else `strength`, else 0.5 s (SSML medium)."""
    m = _TIME_RE.search(attrs)
    if m:
        value = float(m.group(1))
        seconds = value / 1000.0 if (m.group(2) or "s").lower() == "ms" else value
    else:
        s = _STRENGTH_RE.search(attrs)
        seconds = _STRENGTHS.get(s.group(1).lower(), 0.5) if s else 0.5
    return min(max(0.0, seconds), MAX_BREAK)


def plain_text(text: str) -> str:
    """The words a script speaks, without tags (for validation and captions)."""
    return " ".join(s for s in parse(text) if isinstance(s, str))


def _add_text(out: list[Segment], raw: str) -> None:
    cleaned = " ".join(html.unescape(_TAG_RE.sub(" ", raw)).split())
    if any(ch.isalnum() for ch in cleaned):
        out.append(cleaned)

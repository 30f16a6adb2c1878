"""A task's text -> the chunks it is spoken in: sentences, with a long first sentence cut at a clause so the first
words are heard sooner (each chunk is synthesised whole before it plays)."""

from __future__ import annotations

import re

SENTENCE_END = re.compile(r"(?<=[.!?;:…。！？])[\"')\]]*\s+")
CLAUSE_END = re.compile(r"(?<=[,—–])\s+")
FIRST_CHUNK_WORDS = 10  # a first sentence longer than this is split at its first clause break past 3 words


def chunks(text: str) -> list[str]:
    """The pieces of `text` to synthesise one after another, in order, none empty."""
    sentences = [s.strip() for s in SENTENCE_END.split(" ".join(text.split())) if s.strip()]
    if not sentences:
        return []
    first = sentences[0]
    if len(first.split()) > FIRST_CHUNK_WORDS:
        parts = CLAUSE_END.split(first)
        head: list[str] = []
        while parts and (len(" ".join(head).split()) < 3 or not head):
            head.append(parts.pop(0))
        if parts:
            return [" ".join(head), " ".join(parts), *sentences[1:]]
    return sentences

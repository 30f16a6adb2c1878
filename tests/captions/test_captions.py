"""Caption cues, files that real parsers read back with the words' times, and burn-in."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pysubs2
import pytest
import webvtt

from talkframe.captions import CaptionBurner, build_cues, write_files
from talkframe.core.types import Word

SCRIPT = ("Welcome to talkframe, the offline avatar studio. It reads your script aloud with exact lip sync "
          "and captions that follow every single word you write. Short one. After a long pause, we continue.")


def words() -> list[Word]:
    out, t = [], 0.2
    for w in SCRIPT.split():
        if w == "After":
            t += 1.5  # a pause between sentences
        out.append(Word(w, t, t + 0.05 * len(w) + 0.1))
        t += 0.05 * len(w) + 0.18
    return out


def test_cues_are_readable_and_cover_every_word() -> None:
    ws = words()
    cues = build_cues(ws, offset=10.0)
    assert " ".join(" ".join(c.lines) for c in cues) == SCRIPT
    for c in cues:
        assert 1 <= len(c.lines) <= 2
        assert all(len(line) <= 42 for line in c.lines)
        assert c.end > c.start
    for a, b in zip(cues, cues[1:], strict=False):
        assert a.end <= b.start + 1e-9
    assert cues[0].start == pytest.approx(ws[0].start + 10.0)
    # sentences end cues; the pause before "After" starts a new one
    assert any(c.lines[-1].endswith("studio.") for c in cues)
    assert any(c.lines[0].startswith("After") for c in cues)


def test_files_parse_and_match_word_times(tmp_path: Path) -> None:
    ws = words()
    cues = build_cues(ws)
    paths = write_files(cues, tmp_path, size=(1280, 720))
    assert set(paths) == {"ass", "srt", "vtt"}
    ass = pysubs2.load(str(paths["ass"]))
    srt = pysubs2.load(str(paths["srt"]))
    vtt = list(webvtt.read(str(paths["vtt"])))
    assert len(ass) == len(srt) == len(vtt) == len(cues)
    assert ass.info["PlayResY"] == "720"
    for cue, a, s, v in zip(cues, ass, srt, vtt, strict=True):
        assert a.start == pytest.approx(cue.start * 1000, abs=10) and a.end == pytest.approx(cue.end * 1000, abs=10)
        assert s.start == pytest.approx(cue.start * 1000, abs=1) and s.end == pytest.approx(cue.end * 1000, abs=1)
        assert v.start_time.in_milliseconds() == round(cue.start * 1000)
        assert v.end_time.in_milliseconds() == round(cue.end * 1000)
        assert a.plaintext == cue.text and s.plaintext == cue.text and v.text == cue.text
    first = ws[0]
    assert srt[0].start == round(first.start * 1000)


def test_burn_in_draws_outlined_text_at_bottom_centre() -> None:
    cues = build_cues(words())
    burner = CaptionBurner(cues, (640, 360))
    frame = np.full((360, 640, 3), 128, np.uint8)
    before = frame.copy()
    untouched = burner.draw(cues[0].start - 0.1, frame.copy())
    assert np.array_equal(untouched, before)
    out = burner.draw(cues[0].start + 0.05, frame.copy())
    changed = np.any(out != before, axis=2)
    ys, xs = np.nonzero(changed)
    assert len(ys) > 500
    assert ys.min() > 360 * 0.6  # bottom of the frame
    assert abs((xs.min() + xs.max()) / 2 - 320) < 20  # centred
    assert (out[changed] > 240).all(axis=1).any() and (out[changed] < 20).all(axis=1).any()  # white + outline
    assert len({tuple(p) for p in out[changed][:, :1].tolist()}) > 10  # anti-aliased edges
    later = burner.draw(cues[1].start + 0.01, frame.copy())
    assert not np.array_equal(later, out)

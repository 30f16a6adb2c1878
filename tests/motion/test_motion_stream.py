"""Motion a sentence at a time: continuous across joins, close to the whole-scene tracks, bounded memory."""

from __future__ import annotations

import numpy as np

from talkframe.core.types import Phone, Speech
from talkframe.motion import build_tracks
from talkframe.motion.stream import LOOKAHEAD, MotionStream, concat_tracks, stream_tracks
from talkframe.voice import timeline

SR = 22050
WORDS = [["h", "ə", "l", "ˈoʊ"], ["w", "ˈɜː", "l", "d"], ["m", "ˈæ", "p", "s"], ["f", "ˈaɪ", "v"], ["b", "ˈɑː", "b"]]


def _sentence(seed: int, words: int = 6) -> Speech:
    """A synthetic sentence: silence, words of phones with voiced vowels, silence (like a Piper sentence)."""
    rng = np.random.default_rng(seed)
    phones, t = [Phone("", 0.0, 0.12)], 0.12
    for k in range(words):
        for sym in WORDS[(seed + k) % len(WORDS)]:
            d = float(rng.uniform(0.05, 0.14))
            phones.append(Phone(sym, t, t + d))
            t += d
        phones.append(Phone(" ", t, t + 0.04))
        t += 0.04
    phones.append(Phone("", t, t + 0.3))
    t += 0.3
    n = round(t * SR)
    audio = np.zeros(n, np.float32)
    for p in phones:
        if p.symbol.strip("ˈ") in ("ə", "oʊ", "ɜː", "æ", "aɪ", "ɑː"):
            a, b = round(p.start * SR), round(p.end * SR)
            audio[a:b] = 0.4 * np.sin(np.arange(b - a) * 0.07) * rng.uniform(0.5, 1.0)
    return timeline.fit_to_audio(Speech(audio, SR, phones, []))


def test_runs_are_the_whole_and_independent_of_how_they_are_taken() -> None:
    pieces = [_sentence(i) for i in range(5)]
    whole = stream_tracks(pieces, 25.0, seed=3)
    stream = MotionStream(25.0, seed=3)
    runs = [stream.feed(p) for p in pieces] + [stream.finish()]
    # the end of a sentence waits for what follows it (coarticulation, smoothing and blinks look ahead)
    assert runs[0].n_frames <= (pieces[0].duration - LOOKAHEAD) * 25
    joined = concat_tracks(runs)
    duration = sum(p.duration for p in pieces)
    assert joined.n_frames == whole.n_frames == int(np.ceil(duration * 25 - 1e-6))
    for name in ("jaw", "width", "closure", "blink", "head_yaw", "head_pitch", "activity", "smile"):
        np.testing.assert_array_equal(getattr(joined, name), getattr(whole, name))
    assert joined.visemes == whole.visemes


def test_lips_follow_the_whole_scene_tracks_and_stay_smooth_across_joins() -> None:
    pieces = [_sentence(i) for i in range(6)]
    streamed = stream_tracks(pieces, 25.0, seed=1)
    whole = build_tracks(timeline.concat(pieces), 25.0, seed=1)
    assert streamed.n_frames == whole.n_frames
    for name in ("jaw", "width", "closure", "lip_teeth"):
        a, b = getattr(streamed, name), getattr(whole, name)
        assert np.corrcoef(a, b)[0, 1] > 0.97, name
    assert np.abs(streamed.activity - whole.activity).max() < 0.05
    assert streamed.visemes == whole.visemes
    # the joins leave no trace: fed as one piece (same generators), the tracks are nearly the same
    one = stream_tracks([timeline.concat(pieces)], 25.0, seed=1)
    for name in ("head_yaw", "head_roll", "head_tx", "activity", "smile", "blink"):
        assert np.abs(getattr(streamed, name) - getattr(one, name)).max() < 0.02, name
    assert np.corrcoef(streamed.jaw, one.jaw)[0, 1] > 0.99
    assert 0.0 < streamed.blink.max() <= 1.0


def test_memory_stays_bounded_over_a_long_scene() -> None:
    stream = MotionStream(25.0, seed=0)
    frames = 0
    for i in range(120):
        frames += stream.feed(_sentence(i)).n_frames
        assert len(stream._phones) < 120 and len(stream._audio) < 8 * SR
    frames += stream.finish().n_frames
    assert frames == stream.n_frames_total()

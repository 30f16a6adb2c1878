"""The streaming timeline without WebRTC: chunking, scheduling in order, the cut at an interrupt, idle motion."""

from __future__ import annotations

import numpy as np

from talkframe.streaming.idle import IdleMotion
from talkframe.streaming.performer import FADE, RELEASE, Performer
from talkframe.streaming.speech import AUDIO_RATE, SpeechChunk
from talkframe.streaming.text import chunks

FPS = 25.0


def chunk(seconds: float, level: float = 0.5, jaw: float = 0.2) -> SpeechChunk:
    n = round(seconds * AUDIO_RATE)
    frames = int(np.ceil(seconds * FPS))
    lips = np.zeros((frames, 4), np.float32)
    lips[:, 0] = jaw
    return SpeechChunk("x", np.full(n, level, np.float32), FPS, lips, np.ones(frames, np.float32))


def test_chunks_split_sentences_and_a_long_first_one() -> None:
    assert chunks("  Hello there.  How are you?\nFine! ") == ["Hello there.", "How are you?", "Fine!"]
    long = "Well, I think that we should meet tomorrow at the station, near the clock. Bye."
    assert chunks(long) == ["Well, I think that we should meet tomorrow at the station,", "near the clock.", "Bye."]
    assert chunks("   ") == []
    assert chunks("no punctuation at all") == ["no punctuation at all"]


def test_chunks_are_scheduled_back_to_back_in_order_on_the_frame_grid() -> None:
    p = Performer(FPS, 1)
    frame = AUDIO_RATE // int(FPS)
    p.audio(960)
    a = p.schedule(chunk(0.5), "t1")
    b = p.schedule(chunk(0.3), "t2")
    assert a.start == 960 + 960 and a.start % frame == 0  # the next packet is on the grid: no wait
    assert b.start % frame == 0 and 0 <= b.start - a.end < frame and p.speaking_until() == b.end
    heard = np.concatenate([p.audio(960) for _ in range(60)])
    assert np.all(heard[a.start - 960: a.end - 960] == 0.5) and np.all(heard[a.end - 960: b.start - 960] == 0)
    assert np.all(heard[b.start - 960: b.end - 960] == 0.5)
    assert np.all(heard[b.end - 960:] == 0)


def test_a_one_frame_closure_is_shown_whole_whatever_the_start() -> None:
    lips = np.zeros((10, 4), np.float32)
    lips[:, 0], lips[5] = 0.3, (0.0, 0.0, 1.0, 0.0)  # open, closed for one frame (a short /m/), open
    speech = SpeechChunk("m", np.full(AUDIO_RATE * 10 // int(FPS), 0.5, np.float32), FPS, lips,
                         np.ones(10, np.float32))
    for packets in range(4):  # every phase of the 20 ms packet clock against the 40 ms frame clock
        p = Performer(FPS, 1)
        for _ in range(packets):
            p.audio(960)
        s = p.schedule(speech, "t")
        shown = [p.pose(k / FPS) for k in range(int(s.start / AUDIO_RATE * FPS), int(s.end / AUDIO_RATE * FPS))]
        assert len(shown) == 10 and [round(q.closure, 3) for q in shown].count(1.0) == 1
        assert shown[5].closure == 1.0 and shown[5].jaw == 0.0


def test_interrupt_cuts_at_the_cursor_and_lips_ease_to_rest() -> None:
    p = Performer(FPS, 1)
    p.schedule(chunk(2.0), "t1", lead=0)
    p.schedule(chunk(1.0), "t2")
    for _ in range(25):  # 0.5 s
        p.audio(960)
    t_cut = p.interrupt()
    assert abs(t_cut - 0.5) < 1e-9 and not p.chunks[1:]
    after = np.concatenate([p.audio(960) for _ in range(10)])
    assert after[0] > 0.45 and np.all(after[FADE:] == 0) and np.all(np.diff(after[:FADE]) <= 0)
    jaws = [p.pose(t_cut + k / FPS).jaw for k in range(8)]
    assert jaws[0] > 0.15 and jaws[-1] == 0.0
    assert all(b <= a for a, b in zip(jaws, jaws[1:], strict=False))
    assert max(abs(b - a) for a, b in zip(jaws, jaws[1:], strict=False)) < 0.2 * 1.6 / (RELEASE * FPS)


def test_idle_motion_is_continuous_and_blinks() -> None:
    idle = IdleMotion(7)
    t = np.arange(0, 60, 1 / FPS)
    yaw = np.array([idle.head(x, 0.0)[0] for x in t])
    assert 0.3 < yaw.std() < 2.0 and np.abs(np.diff(yaw)).max() < 0.3
    blinks = np.array([idle.blink(x) for x in t])
    closed = np.flatnonzero(blinks > 0.9)
    onsets = closed[np.r_[True, np.diff(closed) > 1]] if len(closed) else []
    assert 8 <= len(onsets) <= 40  # one every 1.5-8 s

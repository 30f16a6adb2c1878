import numpy as np

from talkframe.core.types import Phone, Speech
from talkframe.motion import build_tracks
from talkframe.motion.coarticulation import (
    VISUAL_LEAD,
    Segment,
    articulation,
    enforce_contacts,
    enforce_min_hold,
    segments_from_phones,
)
from talkframe.motion.visemes import Viseme

FPS = 25.0


def _phones(spec):
    t, out = 0.0, []
    for sym, dur in spec:
        out.append(Phone(sym, t, t + dur))
        t += dur
    return out


def test_segments_split_diphthongs_and_absorb_short_word_gaps():
    segs = segments_from_phones(_phones([("", 0.2), ("h", 0.05), ("aɪ", 0.2), (" ", 0.04), ("m", 0.1), ("", 0.3)]))
    vis = [s.viseme for s in segs]
    assert vis == [Viseme.SIL, Viseme.KK, Viseme.AA, Viseme.IH, Viseme.PP, Viseme.SIL]
    assert abs(segs[3].end - 0.49) < 1e-9  # the 40 ms gap went to the glide


def test_min_hold_damps_short_vowels_and_widens_short_closures():
    segs = [Segment(Viseme.AA, 0.0, 0.03), Segment(Viseme.PP, 0.03, 0.05), Segment(Viseme.E, 0.05, 0.2)]
    out = enforce_min_hold(segs, 0.07)
    assert out[0].strength < 0.8
    assert abs(out[1].duration - 0.07) < 1e-9 and abs(out[1].centre - 0.04) < 1e-9
    assert out[2].strength == 1.0


def test_bilabials_close_and_open_vowels_open():
    phones = _phones([("", 0.3), ("m", 0.06), ("ɑː", 0.2), ("p", 0.05), ("ɑː", 0.2), ("", 0.4)])
    n = int(np.ceil(phones[-1].end * FPS))
    curves, _ = articulation(phones, n, FPS)
    t = np.arange(n) / FPS
    i_m = int((0.33 - VISUAL_LEAD) * FPS)  # the frame shown at the /m/'s centre, as early as the blend leads
    in_a = (t >= 0.4) & (t < 0.52)
    assert curves["jaw"][i_m] == 0.0 and curves["closure"][i_m] == 1.0
    assert curves["jaw"][in_a].max() > 0.2
    # the second /p/ (0.56-0.61) is shut on at least one frame
    near_p = (t >= 0.55) & (t <= 0.62)
    assert curves["closure"][near_p].max() == 1.0


def test_anticipation_rounds_before_the_vowel_starts():
    phones = _phones([("", 0.4), ("s", 0.12), ("uː", 0.25), ("", 0.4)])
    n = int(np.ceil(phones[-1].end * FPS))
    curves, _ = articulation(phones, n, FPS)
    i = int(0.5 * FPS)  # 20 ms before /u/ starts, still in /s/
    assert curves["width"][i] < -0.05


def test_pauses_relax_to_a_closed_mouth_without_chatter():
    phones = _phones([("ɑː", 0.25), ("", 0.8), ("ɑː", 0.25)])
    n = int(np.ceil(phones[-1].end * FPS))
    curves, _ = articulation(phones, n, FPS)
    mid = slice(int(0.45 * FPS), int(0.85 * FPS))
    assert curves["jaw"][mid].max() < 0.02
    assert np.abs(np.diff(curves["jaw"][mid])).max() < 0.005


def test_enforce_contacts_overrides_the_blend():
    curves = {"jaw": np.full(10, 0.2), "width": np.zeros(10), "closure": np.zeros(10), "lip_teeth": np.zeros(10)}
    out = enforce_contacts(curves, [Segment(Viseme.PP, 0.1, 0.13), Segment(Viseme.FF, 0.25, 0.3)], FPS)
    # frame i is shown over [i/25, (i+1)/25): frame 2 (80-120 ms) holds the /p/'s centre, frame 6 (240-280 ms) the /f/'s
    assert out["jaw"][2] == 0.0 and out["closure"][2] == 1.0
    assert out["closure"][3] == 0.0  # 120-160 ms: the /p/ is over and must not hold the lips shut
    assert out["lip_teeth"][6] == 1.0 and out["jaw"][6] <= 0.05


def _speech(seconds=6.0):
    sr = 22050
    phones, t = [], 0.0
    rng = np.random.default_rng(1)
    while t < seconds - 0.5:
        for sym in ("h", "ɛ", "l", "oʊ", " ", "w", "ɜː", "l", "d", ""):
            d = float(rng.uniform(0.05, 0.14)) if sym else 0.35
            phones.append(Phone(sym, t, t + d))
            t += d
    phones.append(Phone("", t, seconds))
    audio = (0.2 * np.sin(np.arange(int(seconds * sr)) * 0.05)).astype(np.float32)
    return Speech(audio, sr, phones)


def test_tracks_are_bounded_smooth_and_blink():
    sp = _speech()
    for style, limit in (("stable", 4.0), ("expressive", 8.0)):
        tr = build_tracks(sp, FPS, style, "default", seed=3)
        assert tr.n_frames == int(np.ceil(sp.duration * FPS))
        for name in ("head_yaw", "head_pitch", "head_roll"):
            arr = getattr(tr, name)
            assert np.abs(arr).max() < limit, (style, name)
            assert np.abs(np.diff(arr)).max() < 0.6, (style, name)  # degrees per frame: no jumps
        assert tr.blink.max() > 0.9 and (tr.blink > 0.5).mean() < 0.1
    stable = build_tracks(sp, FPS, "stable", seed=3)
    expressive = build_tracks(sp, FPS, "expressive", seed=3)
    assert np.std(expressive.head_pitch) > 1.5 * np.std(stable.head_pitch)


def test_expression_relaxes_while_talking_unless_happy():
    sp = _speech()
    default = build_tracks(sp, FPS, expression="default")
    happy = build_tracks(sp, FPS, expression="happy")
    talking = default.activity > 0.8
    assert default.smile[talking].mean() < 0.15 < happy.smile[talking].mean()


def test_tracks_are_deterministic():
    sp = _speech(3.0)
    a, b = build_tracks(sp, FPS, seed=5), build_tracks(sp, FPS, seed=5)
    assert np.array_equal(a.head_yaw, b.head_yaw) and np.array_equal(a.blink, b.blink)


def test_quiet_frames_close_the_mouth_and_loud_vowels_keep_their_opening():
    """A voiceless closure between vowels dips the jaw well below them (velar: the lips need not meet, and they let
    go over `RELEASE`, not at once); a pause settles shut."""
    sr = 22050
    phones = _phones([("", 0.3), ("ɑː", 0.3), ("k", 0.12), ("ɑː", 0.3), ("", 0.5)])
    dur = phones[-1].end
    t = np.arange(int(dur * sr)) / sr
    loud = np.zeros_like(t)
    for p in phones:
        if p.symbol == "ɑː":
            loud[(t >= p.start) & (t < p.end)] = 0.3
    audio = (loud * np.sin(2 * np.pi * 180 * t)).astype(np.float32)
    n = int(np.ceil(dur * FPS))
    curves, _ = articulation(phones, n, FPS, audio, sr)
    fr = np.arange(n) / FPS
    assert curves["jaw"][(fr >= 0.35) & (fr < 0.55)].max() > 0.25  # loud /a/: full opening
    vowel = curves["jaw"][(fr >= 0.35) & (fr < 0.55)].max()
    assert curves["jaw"][(fr >= 0.61) & (fr < 0.68)].min() < 0.4 * vowel  # silent /k/ closure: a clear dip
    assert curves["jaw"][fr >= 1.2].max() < 0.02  # pause: closed


def test_a_short_pause_settles_the_lips_shut_and_they_part_before_the_next_word():
    """A 0.3 s pause between two voiced words: the lips let go as the voice stops, are shut (not 0.009-0.012 ajar,
    the words' dominance tails lifted by the square-root range) in the middle of the pause, and part again just
    before the next word."""
    from talkframe.motion.coarticulation import PAUSE_OUT

    sr = 22050
    phones = _phones([("", 0.2), ("ɑː", 0.3), ("n", 0.1), ("", 0.3), ("ɛ", 0.3), ("", 0.3)])
    dur = phones[-1].end
    t = np.arange(int(dur * sr)) / sr
    loud = np.zeros_like(t)
    for p in phones:
        if p.symbol:
            loud[(t >= p.start) & (t < p.end)] = 0.3
    audio = (loud * np.sin(2 * np.pi * 180 * t)).astype(np.float32)
    n = int(np.ceil(dur * FPS))
    curves, _ = articulation(phones, n, FPS, audio, sr)
    centres = (np.arange(n) + 0.5) / FPS + VISUAL_LEAD
    pause = (centres >= 0.6 + 0.12) & (centres <= 0.9 - PAUSE_OUT)
    assert pause.sum() >= 2
    assert curves["jaw"][pause].max() < 1e-3, curves["jaw"][pause]  # (was 0.009-0.012)
    assert curves["jaw"][(centres > 0.5) & (centres < 0.6)].max() > 0.05  # the voice's release is kept
    onset = int(np.floor((0.9 - VISUAL_LEAD) * FPS))  # the frame the next word starts in
    assert curves["jaw"][onset - 1] > 0.005  # the lips part before it (anticipation)


def test_lip_track_is_not_late_against_loudness():
    """Zero-lag against the per-frame loudness (the quality benchmark's AV offset) on a synthetic utterance."""
    sr = 22050
    rng = np.random.default_rng(4)
    spec = []
    for _ in range(14):
        vowel, pause = float(rng.uniform(0.1, 0.25)), float(rng.uniform(0.05, 0.3))
        spec += [("b", 0.06), ("ɑː", vowel), ("t", 0.07), ("", pause)]
    phones = _phones(spec)
    dur = phones[-1].end
    tt = np.arange(int(dur * sr)) / sr
    env = np.zeros_like(tt)
    for p in phones:
        if p.symbol == "ɑː":
            env[(tt >= p.start) & (tt < p.end)] = 0.3
    audio = (env * np.sin(2 * np.pi * 160 * tt)).astype(np.float32)
    n = int(np.ceil(dur * FPS))
    curves, _ = articulation(phones, n, FPS, audio, sr)
    o = curves["jaw"] * (1 - curves["closure"])
    v = np.array([np.sqrt(np.mean(audio[int(i * sr / FPS):int((i + 1) * sr / FPS)] ** 2)) for i in range(n)])
    r = {lag: np.corrcoef(o[max(0, lag):n + min(0, lag)], v[max(0, -lag):n + min(0, -lag)])[0, 1] for lag in (-1, 0, 1)}
    assert max(r, key=r.get) == 0 and r[0] > 0.7


def test_voice_gates_the_mouth_but_the_phone_sets_its_opening():
    """Silence settles the jaw to the floor; any clearly voiced frame, loud or soft, keeps the phone's full target
    (a mouth that copies the loudness curve is what THEval scores as unnatural)."""
    from talkframe.motion.coarticulation import LOUD_FLOOR, couple_loudness

    jaw = np.full(4, 0.3)
    out = couple_loudness({"jaw": jaw, "width": jaw, "closure": jaw * 0, "lip_teeth": jaw * 0},
                          np.array([0.0, 0.3, 0.6, 1.0]))
    assert out["jaw"][0] == LOUD_FLOOR * 0.3
    assert np.allclose(out["jaw"][1:], 0.3)


def test_the_opening_keeps_a_talkers_range_not_the_loudness_peaks():
    """Open vowels keep their full target, a part-open consonant opens relatively more than a linear map of the
    targets would give (a talker's lips spend more time part-open than loudness does), and a silent frame still
    settles near closed."""
    from talkframe.motion.coarticulation import LOUD_FLOOR, OPEN_REF, voice_opening
    from talkframe.motion.visemes import TARGETS

    jaw = np.array([TARGETS[Viseme.DD].jaw, TARGETS[Viseme.AA].jaw, TARGETS[Viseme.DD].jaw, 0.0, 0.0])
    zero = np.zeros(5)
    out = voice_opening({"jaw": jaw, "width": zero, "closure": zero, "lip_teeth": zero}, [],
                        np.array([0.0, 1.0, 1.0, 1.0, 0.0]), FPS)["jaw"]
    assert np.isclose(out[1], OPEN_REF)
    assert out[2] / out[1] > 1.5 * jaw[2] / jaw[1]
    assert out[2] < out[1]
    assert out[0] <= LOUD_FLOOR * out[2] + 1e-9  # silent from the start: settled
    assert out[3] == 0.0 and out[4] == 0.0


def test_lips_let_go_over_the_release_when_the_voice_stops_and_a_streamed_piece_does_the_same():
    from talkframe.motion.coarticulation import LOUD_FLOOR, RELEASE, couple_loudness, release_frames

    n = 12
    jaw = np.full(n, 0.2)
    loud = np.r_[np.ones(4), np.zeros(n - 4)]
    c = {"jaw": jaw, "width": jaw * 0, "closure": jaw * 0, "lip_teeth": jaw * 0}
    out = couple_loudness(c, loud, fps=FPS)["jaw"]
    assert np.allclose(out[:4], 0.2)
    after = out[4:]
    assert np.all(np.diff(after) <= 1e-12) and after[0] < 0.2  # lets go at once, monotonically
    assert np.isclose(after[0], 0.2 * np.exp(-1 / (RELEASE * FPS)))
    assert after[-1] <= 0.2 * max(LOUD_FLOOR, np.exp(-(n - 4) / (RELEASE * FPS))) + 1e-9
    # the same frames computed as a second piece, given the loudness of the frames before it
    k = release_frames(FPS)
    tail = {ch: v[6:] for ch, v in c.items()}
    piece = couple_loudness(tail, loud[6:], fps=FPS, loud_before=loud[max(0, 6 - k):6])["jaw"]
    assert np.allclose(piece, out[6:])

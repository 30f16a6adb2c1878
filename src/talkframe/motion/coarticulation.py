"""Phone timeline -> coarticulated per-frame articulation curves, as a pipeline of small steps.

    segments_from_phones  phones -> viseme segments (diphthongs split, short word gaps absorbed)
    enforce_min_hold      short segments lose strength (no chatter); bilabials/labiodentals are stretched instead
    blend                 Cohen-Massaro dominance blending, with anticipation of rounding, closure and vowels
    voice_opening         the opening keeps a talker's range and is gated by the voice
    enforce_contacts      p/b/m frames shut the lips, f/v frames touch the teeth, whatever the blend said

Each step is a plain function over plain data so it can be tested alone (Rhubarb Lip Sync's `animation/` is the
model for this shape).
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np

from talkframe.core.types import Phone
from talkframe.motion.visemes import TARGETS, Viseme, diphthong_glide, is_stressed, to_viseme

CHANNELS = ("jaw", "width", "closure", "lip_teeth")
MIN_HOLD = 0.07  # s; Rhubarb uses 7 cs
SHORT_GAP = 0.09  # s; word gaps shorter than this are not pauses
ANTICIPATE = {Viseme.PP: 0.07, Viseme.FF: 0.06, Viseme.OU: 0.09, Viseme.OH: 0.08, Viseme.CH: 0.07,
              Viseme.RR: 0.06}
DEFAULT_ANTICIPATION = 0.045  # s; dominance decay time before a segment
CARRYOVER = 0.03  # s; dominance decay time after a segment


@dataclass(frozen=True)
class Segment:
    viseme: Viseme
    start: float
    end: float
    stressed: bool = False
    strength: float = 1.0  # scales the target away from rest (loudness, short-segment damping)

    @property
    def duration(self) -> float:
        return self.end - self.start

    @property
    def centre(self) -> float:
        return 0.5 * (self.start + self.end)


def segments_from_phones(phones: list[Phone]) -> list[Segment]:
    """Map phones to viseme segments; diphthongs become two halves; short word gaps are given to neighbours."""
    segs: list[Segment] = []
    for ph in phones:
        if ph.end <= ph.start:
            continue
        sym = ph.symbol
        if sym == " " and ph.end - ph.start < SHORT_GAP and segs:
            last = segs[-1]
            segs[-1] = replace(last, end=ph.end)  # a word boundary, not a pause: hold the previous shape
            continue
        vis = to_viseme(sym)
        glide = diphthong_glide(sym)
        if glide is not None:
            mid = ph.start + 0.55 * (ph.end - ph.start)
            segs.append(Segment(vis, ph.start, mid, is_stressed(sym)))
            segs.append(Segment(glide, mid, ph.end, False, 0.8))
        else:
            segs.append(Segment(vis, ph.start, ph.end, is_stressed(sym)))
    return _merge_silence(segs)


def _merge_silence(segs: list[Segment]) -> list[Segment]:
    out: list[Segment] = []
    for s in segs:
        if out and s.viseme == Viseme.SIL and out[-1].viseme == Viseme.SIL:
            out[-1] = replace(out[-1], end=s.end)
        else:
            out.append(s)
    return out


def enforce_min_hold(segments: list[Segment], min_hold: float = MIN_HOLD) -> list[Segment]:
    """Short segments must not make a full movement: damp them, except contacts (p/b/m, f/v), which are widened
    to `min_hold` around their centre so a closure is always seen."""
    out = []
    for s in segments:
        if s.viseme == Viseme.SIL or s.duration >= min_hold:
            out.append(s)
        elif s.viseme in (Viseme.PP, Viseme.FF):
            c = s.centre
            out.append(replace(s, start=c - min_hold / 2, end=c + min_hold / 2))
        else:
            out.append(replace(s, strength=s.strength * (0.45 + 0.55 * s.duration / min_hold)))
    return out


def _dominance(seg: Segment, t: np.ndarray) -> np.ndarray:
    """Cohen-Massaro dominance: flat inside the segment, exponential decay outside; slower decay before segments
    that are anticipated (rounding, closure)."""
    alpha = TARGETS[seg.viseme].dominance
    if seg.viseme == Viseme.SIL:
        # Long pauses dominate strongly (the mouth settles closed); short ones barely interrupt speech.
        alpha *= float(np.clip(seg.duration / 0.25, 0.15, 3.0))
    before = ANTICIPATE.get(seg.viseme, DEFAULT_ANTICIPATION)
    d = np.ones_like(t)
    pre = t < seg.start
    post = t > seg.end
    d[pre] = np.exp(-(seg.start - t[pre]) / before)
    d[post] = np.exp(-(t[post] - seg.end) / CARRYOVER)
    return alpha * d


def blend(segments: list[Segment], times: np.ndarray) -> dict[str, np.ndarray]:
    """Dominance-weighted blend of every segment's targets at `times` (seconds) -> one curve per channel."""
    num = {c: np.zeros_like(times) for c in CHANNELS}
    den = np.full_like(times, 1e-6)
    for seg in segments:
        lo, hi = seg.start - 0.6, seg.end + 0.3  # dominance is negligible further away
        sel = (times >= lo) & (times <= hi)
        if not sel.any():
            continue
        d = _dominance(seg, times[sel])
        tg = TARGETS[seg.viseme]
        den[sel] += d
        num["jaw"][sel] += d * tg.jaw * seg.strength
        num["width"][sel] += d * tg.width * seg.strength
        num["closure"][sel] += d * tg.closure
        num["lip_teeth"][sel] += d * tg.lip_teeth
    return {c: num[c] / den for c in CHANNELS}


def enforce_contacts(curves: dict[str, np.ndarray], segments: list[Segment], fps: float,
                     lead: float = 0.0) -> dict[str, np.ndarray]:
    """Per-frame curves: every p/b/m shuts the lips on at least one frame (the one nearest its centre and all
    frames inside it), every f/v touches the teeth likewise. `lead` moves contacts as early as the blend was
    sampled (`VISUAL_LEAD`), so a closure does not trail the opening that follows it."""
    out = {k: v.copy() for k, v in curves.items()}
    n = len(out["jaw"])
    for seg in segments:
        if seg.viseme not in (Viseme.PP, Viseme.FF):
            continue
        # Frame i is shown over [i/fps, (i+1)/fps): it belongs to the segment when its centre lies inside it, and
        # the frame whose interval holds the segment's centre always does.
        start, end = seg.start - lead, seg.end - lead
        first = int(np.ceil(start * fps - 0.5 - 1e-9))
        last = int(np.floor(end * fps - 0.5 + 1e-9))
        idx = set(range(max(0, first), min(n, last + 1)))
        nearest = int(np.floor(0.5 * (start + end) * fps))
        if 0 <= nearest < n:
            idx.add(nearest)
        for i in idx:
            if seg.viseme == Viseme.PP:
                out["closure"][i] = 1.0
                out["jaw"][i] = 0.0
                out["lip_teeth"][i] = 0.0
            else:
                out["lip_teeth"][i] = max(out["lip_teeth"][i], 1.0)
                out["jaw"][i] = min(out["jaw"][i], TARGETS[Viseme.FF].jaw)
    return out


VISUAL_LEAD = 0.03  # s; Piper's phone boundaries sit ~15-25 ms after the acoustic onsets, and the mouth leads a touch


def sample_frames(segments: list[Segment], n_frames: int, fps: float, oversample: int = 4) -> dict[str, np.ndarray]:
    """Blend at `oversample` instants across each frame's display interval [i/fps, (i+1)/fps) and average them (no
    temporal aliasing), slightly ahead of the sound."""
    offs = (np.arange(oversample) + 0.5) / oversample
    times = (np.arange(n_frames)[:, None] + offs[None, :]) / fps + VISUAL_LEAD
    curves = blend(segments, times.ravel())
    return {c: v.reshape(n_frames, oversample).mean(axis=1) for c, v in curves.items()}


def frame_loudness(audio: np.ndarray, sample_rate: int, n_frames: int, fps: float) -> np.ndarray:
    """Per-frame loudness 0..1: RMS of the samples heard while frame i is shown ([i/fps, (i+1)/fps)), relative to
    the 95th percentile of the clip (robust to a few peaks)."""
    a = np.asarray(audio, np.float32).reshape(-1)
    edges = np.round(np.arange(n_frames + 1) * sample_rate / fps).astype(np.int64)
    edges = np.clip(edges, 0, len(a))
    sq = np.concatenate([[0.0], np.cumsum(np.square(a, dtype=np.float64))])
    cnt = np.maximum(edges[1:] - edges[:-1], 1)
    rms = np.sqrt(np.maximum(sq[edges[1:]] - sq[edges[:-1]], 0) / cnt)
    ref = float(np.percentile(rms, 95)) if len(rms) else 0.0
    return np.clip(rms / ref, 0.0, 1.5) if ref > 1e-6 else np.zeros(n_frames)


LOUD_FLOOR = 0.12  # the part of an opening kept when the frame is silent
# Loudness (of the 95th percentile) where the gain rises from floor to full. The knee is low and narrow: the voice
# gates the mouth (closures, voiceless stretches and pauses settle it) but, once voiced, the phone decides how far it
# opens. A wide knee made the mouth a copy of the loudness curve, which real speakers are not (THEval m 0.18 vs 0.25).
LOUD_KNEE = (0.035, 0.3)


VOWEL_GAIN_FLOOR = 0.6  # open vowels keep at least this much of their opening, however quiet
RELEASE = 0.08  # s; time constant of the lips letting go once the voice stops (muscles relax, they do not snap)


def release_frames(fps: float) -> int:
    """How many earlier frames' loudness can still hold the lips open (`RELEASE` decays to 2% over them)."""
    return int(np.ceil(4 * RELEASE * fps))


def couple_loudness(curves: dict[str, np.ndarray], loud: np.ndarray, vowel_floor: np.ndarray | None = None,
                    fps: float = 25.0, loud_before: np.ndarray | None = None) -> dict[str, np.ndarray]:
    """The jaw opens with the voice: phone targets give the shape, the frame's loudness scales how far it opens.
    Quiet frames (stop closures, voiceless consonants, pauses) settle toward closed lips; loud vowels keep their
    full target. Computed per frame over the same interval the frame is shown, so it adds no lag; when the voice
    stops the lips let go over `RELEASE` s instead of snapping shut. `loud_before`: the loudness of the frames just
    before these (a streamed piece's predecessors), so a piece releases exactly as the whole clip would."""
    k = release_frames(fps)
    before = np.zeros(k) if loud_before is None else np.asarray(loud_before, float)[-k:]
    ext = np.concatenate([np.zeros(k - len(before)), before, loud])
    lo, hi = LOUD_KNEE
    g = LOUD_FLOOR + (1 - LOUD_FLOOR) * _smoothstep((ext - lo) / (hi - lo))
    gain = g[k:].copy()
    for j in range(1, k + 1):
        gain = np.maximum(gain, g[k - j:len(g) - j] * np.exp(-j / (RELEASE * fps)))
    if vowel_floor is not None:
        gain = np.maximum(gain, vowel_floor)
    out = dict(curves)
    out["jaw"] = curves["jaw"] * gain
    return out


# The opening's range: jaw -> OPEN_REF * (jaw / OPEN_REF) ** OPEN_GAMMA (open vowels keep their opening, partial
# ones open relatively more). A talker's lips spend more of the time part-open than the loudness envelope, which
# is peaky; phone targets blended straight through gave a mouth whose min-max normalised opening sat as low as the
# loudness's, so on 25-27 s scripts THEval m measured 0.17-0.21 against real people's 0.25 (WebRTC VAD, as
# quality.md prescribes).
OPEN_REF = TARGETS[Viseme.AA].jaw
OPEN_GAMMA = 0.5


def voice_opening(curves: dict[str, np.ndarray], segments: list[Segment], loud: np.ndarray, fps: float,
                  loud_before: np.ndarray | None = None) -> dict[str, np.ndarray]:
    """The blended jaw curve with a talker's range (`OPEN_GAMMA`), then gated by the frame loudness (open vowels
    keep `VOWEL_GAIN_FLOOR` of it however quiet). `segments` and `loud` are on the curves' own frame timeline;
    `loud_before` as `couple_loudness` takes it."""
    n = len(loud)
    centres = (np.arange(n) + 0.5) / fps + VISUAL_LEAD
    floor = np.zeros(n)
    for s in segments:
        if s.viseme in (Viseme.AA, Viseme.OH, Viseme.E):
            floor[(centres >= s.start) & (centres < s.end)] = VOWEL_GAIN_FLOOR
    out = dict(curves)
    out["jaw"] = OPEN_REF * (np.clip(curves["jaw"], 0.0, None) / OPEN_REF) ** OPEN_GAMMA
    out = couple_loudness(out, loud, floor, fps, loud_before)
    out["jaw"] = out["jaw"] * (1 - pause_settle(segments, centres))
    return out


PAUSE_IN, PAUSE_OUT = 0.12, 0.08  # s; how long a pause takes to settle the lips shut, and how early they part again


def pause_settle(segments: list[Segment], times: np.ndarray) -> np.ndarray:
    """0..1 per time: how far into a pause (a silence segment) the lips have settled shut. The square-root range
    of `voice_opening` lifts the dominance tails of the words either side (0.001 of jaw) to 0.01-0.02 IPD, and the
    loudness floor kept that much: the lips stayed ajar through every pause. They settle over `PAUSE_IN` from the
    pause's start (the voice's release is shortened, not cut) and part again `PAUSE_OUT` before the next word
    (anticipation)."""
    settle = np.zeros_like(times)
    for s in segments:
        if s.viseme == Viseme.SIL:
            inside = (times > s.start) & (times < s.end)
            t = times[inside]
            w = _smoothstep((t - s.start) / PAUSE_IN) * _smoothstep((s.end - t) / PAUSE_OUT)
            settle[inside] = np.maximum(settle[inside], w)
    return settle


def _smoothstep(x: np.ndarray) -> np.ndarray:
    x = np.clip(x, 0.0, 1.0)
    return x * x * (3 - 2 * x)


def articulation(phones: list[Phone], n_frames: int, fps: float, audio: np.ndarray | None = None,
                 sample_rate: int = 22050) -> tuple[dict[str, np.ndarray], list[Segment]]:
    """The whole pipeline: phones -> per-frame articulation curves (and the segments, for emphasis/idle)."""
    segs = enforce_min_hold(segments_from_phones(phones))
    curves = sample_frames(segs, n_frames, fps)
    if audio is not None and len(audio):
        curves = voice_opening(curves, segs, frame_loudness(audio, sample_rate, n_frames, fps), fps)
    curves = enforce_contacts(curves, segs, fps, VISUAL_LEAD)
    curves["jaw"] = np.clip(curves["jaw"], 0.0, 0.4)
    curves["closure"] = np.clip(curves["closure"], 0.0, 1.0)
    curves["lip_teeth"] = np.clip(curves["lip_teeth"], 0.0, 1.0)
    return curves, segs

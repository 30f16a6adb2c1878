"""Speed, pitch, emotion and ElevenLabs settings turned into one `Prosody`, and its pitch/energy applied to audio.

Units and mappings (documented for the API docs):

- `speed` 0.5..1.5 (clamped): multiplies the speaking rate; the engine lengthens or shortens speech by 1/speed.
  Pauses from `<break>` tags are not scaled.
- `pitch` -50..50 (clamped): **1 unit = 1/10 semitone**, so +50 raises the voice by 5 semitones (x1.335 in F0)
  and -50 lowers it by 5 semitones (x0.749). Applied after synthesis by PSOLA (Praat's "Change gender" with the
  formant ratio at 1), which keeps the duration and the timeline unchanged.
- `emotion` presets (rate multiplier, pitch level in semitones, pitch-range factor, energy in dB):

  | emotion     | rate | level | range | energy |
  |-------------|------|-------|-------|--------|
  | Excited     | 1.10 | +2.0  | 1.40  | +2 dB  |
  | Friendly    | 1.04 | +1.0  | 1.20  | +1 dB  |
  | Serious     | 0.94 | -1.0  | 0.80  |  0 dB  |
  | Soothing    | 0.88 | -1.5  | 0.70  | -3 dB  |
  | Broadcaster | 0.98 | -0.5  | 1.25  | +2 dB  |

- `elevenlabs_settings`: `stability` (0..1) narrows (1) or widens (0) the pitch range around the preset
  (factor 1 + 0.6 * (0.5 - stability)) and sets Piper's duration noise; `style` (0..1) exaggerates: with an
  emotion it multiplies the preset's range deviation by (1 + style), without one the range grows by
  (1 + 0.5 * style); `similarity_boost` and `model` have no meaning without voice cloning and are
  accepted and ignored.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from talkframe.request import Voice

PITCH_UNIT_SEMITONES = 0.1
SPEED_RANGE = (0.5, 1.5)
PITCH_RANGE = (-50.0, 50.0)


@dataclass(frozen=True)
class Prosody:
    """Everything an engine and the post-processing need: rate for the engine, the rest applied to audio."""

    rate: float = 1.0
    semitones: float = 0.0
    range_factor: float = 1.0
    gain_db: float = 0.0
    noise_w: float | None = None  # Piper's duration variation (None = the voice's default)

    @property
    def changes_pitch(self) -> bool:
        return abs(self.semitones) > 1e-3 or abs(self.range_factor - 1.0) > 1e-3


EMOTIONS: dict[str, Prosody] = {
    "Excited": Prosody(rate=1.10, semitones=2.0, range_factor=1.40, gain_db=2.0),
    "Friendly": Prosody(rate=1.04, semitones=1.0, range_factor=1.20, gain_db=1.0),
    "Serious": Prosody(rate=0.94, semitones=-1.0, range_factor=0.80, gain_db=0.0),
    "Soothing": Prosody(rate=0.88, semitones=-1.5, range_factor=0.70, gain_db=-3.0),
    "Broadcaster": Prosody(rate=0.98, semitones=-0.5, range_factor=1.25, gain_db=2.0),
}


def from_voice(voice: Voice) -> Prosody:
    """Combine the request's speed, pitch, emotion and ElevenLabs settings into one Prosody."""
    base = EMOTIONS.get(voice.emotion or "", Prosody())
    speed = float(np.clip(voice.speed, *SPEED_RANGE))
    pitch = float(np.clip(voice.pitch, *PITCH_RANGE))
    range_factor = base.range_factor
    noise_w = None
    settings = voice.elevenlabs_settings
    if settings is not None:
        if settings.stability is not None:
            stability = float(np.clip(settings.stability, 0.0, 1.0))
            range_factor *= 1.0 + 0.6 * (0.5 - stability)
            noise_w = 0.4 + 0.8 * (1.0 - stability)
        if settings.style is not None:
            style = float(np.clip(settings.style, 0.0, 1.0))
            if voice.emotion:
                range_factor = 1.0 + (range_factor - 1.0) * (1.0 + style)
            else:
                range_factor *= 1.0 + 0.5 * style
    return Prosody(
        rate=speed * base.rate,
        semitones=base.semitones + pitch * PITCH_UNIT_SEMITONES,
        range_factor=max(0.2, range_factor),
        gain_db=base.gain_db,
        noise_w=noise_w,
    )


def apply(audio: np.ndarray, sample_rate: int, prosody: Prosody) -> np.ndarray:
    """Shift pitch level and range (PSOLA, duration kept to the sample) and apply the energy gain."""
    out = audio
    if prosody.changes_pitch:
        out = shift_pitch(out, sample_rate, prosody.semitones, prosody.range_factor)
    if abs(prosody.gain_db) > 1e-3:
        out = out * np.float32(10 ** (prosody.gain_db / 20.0))
    peak = float(np.max(np.abs(out))) if len(out) else 0.0
    if peak > 0.99:  # keep [-1, 1] without clipping distortion
        out = out * np.float32(0.99 / peak)
    return out.astype(np.float32)


def shift_pitch(audio: np.ndarray, sample_rate: int, semitones: float, range_factor: float = 1.0,
                floor: float = 60.0, ceiling: float = 500.0) -> np.ndarray:
    """Move the median F0 by `semitones` and scale its excursions by `range_factor`, keeping the length."""
    import parselmouth
    from parselmouth.praat import call

    if len(audio) < sample_rate // 10:
        return audio
    sound = parselmouth.Sound(audio.astype(np.float64), sampling_frequency=sample_rate)
    pitch = sound.to_pitch(pitch_floor=floor, pitch_ceiling=ceiling)
    median = call(pitch, "Get quantile", 0.0, 0.0, 0.5, "Hertz")
    if not np.isfinite(median) or median <= 0:
        return audio  # nothing voiced: nothing to shift
    target = median * 2.0 ** (semitones / 12.0)
    shifted = call(sound, "Change gender", floor, ceiling, 1.0, target, range_factor, 1.0)
    out = shifted.values[0].astype(np.float32)
    if len(out) >= len(audio):
        return out[: len(audio)]
    return np.pad(out, (0, len(audio) - len(out)))

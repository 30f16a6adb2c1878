"""TTS speed per engine (real-time factor = synthesis seconds / audio seconds) and the catalogue's size.

    .venv/bin/python benchmarks/tts.py [--plots /tmp/voice-plots]

`--plots` also saves a waveform + spectrogram PNG (with phone boundaries) of a clip from each engine and of an
uploaded recording, for looking at with your own eyes.
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

from talkframe.core.types import Speech
from talkframe.request import Voice
from talkframe.voice import list_locales, list_voices, synthesize
from talkframe.voice.engines import flite

TEXT = ("Welcome to talkframe. This paragraph measures how fast each voice engine speaks on this machine, "
        "including the phoneme timeline that drives the lips and the word times used for captions.")
ENGINES = {"piper": "piper.en_US-joe-medium", "espeak": "espeak.en-us.m", "flite": "flite.slt"}


def measure(voice_id: str, repeats: int = 3) -> tuple[float, float]:
    synthesize(Voice(voice_id=voice_id, input_text="Warm up."))  # model load is not synthesis
    best = float("inf")
    speech = None
    for _ in range(repeats):
        t0 = time.perf_counter()
        speech = synthesize(Voice(voice_id=voice_id, input_text=TEXT))
        best = min(best, time.perf_counter() - t0)
    assert speech is not None
    return best / speech.duration, speech.duration


def plot(speech: Speech, title: str, path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    import numpy as np

    t = np.arange(len(speech.audio)) / speech.sample_rate
    fig, (ax1, ax2) = plt.subplots(2, 1, figsize=(12, 5), sharex=True)
    ax1.plot(t, speech.audio, linewidth=0.4)
    for p in speech.phones:
        ax1.axvline(p.start, color="r" if not p.symbol.strip() else "g", linewidth=0.3)
        if p.symbol.strip():
            ax1.text((p.start + p.end) / 2, 0.9, p.symbol, ha="center", fontsize=6)
    for w in speech.words:
        ax1.text(w.start, -0.95, w.text, fontsize=7, color="b")
    ax1.set_ylim(-1, 1)
    ax1.set_title(title)
    ax2.specgram(speech.audio, NFFT=512, Fs=speech.sample_rate, noverlap=384, cmap="magma")
    ax2.set_ylim(0, 8000)
    ax2.set_xlabel("seconds")
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--plots", type=Path, default=None)
    args = parser.parse_args()
    voices, locales = list_voices(), list_locales()
    by_engine: dict[str, int] = {}
    for v in voices:
        by_engine[v.engine] = by_engine.get(v.engine, 0) + 1
    print(f"voices: {len(voices)} {by_engine}  locales: {len(locales)}")
    for engine, voice_id in ENGINES.items():
        if engine == "flite" and not flite.binary():
            print("flite: not installed")
            continue
        rtf, seconds = measure(voice_id)
        print(f"{engine:7s} RTF {rtf:.3f}  ({seconds:.1f} s of speech, {1 / rtf:.0f}x real time)")
    if args.plots:
        args.plots.mkdir(parents=True, exist_ok=True)
        short = "The quick brown fox jumps over the lazy dog."
        for engine, voice_id in ENGINES.items():
            if engine == "flite" and not flite.binary():
                continue
            plot(synthesize(Voice(voice_id=voice_id, input_text=short)), f"{engine} ({voice_id})",
                 args.plots / f"{engine}.png")
        alsa = Path("/usr/share/sounds/alsa/Front_Center.wav")
        if alsa.is_file():
            from talkframe.media.audio import decode_audio
            from talkframe.voice.uploaded import timeline_for_audio

            speech = timeline_for_audio(decode_audio(alsa, 22050), 22050, "Front center")
            plot(speech, "uploaded: alsa Front_Center.wav (forced alignment)", args.plots / "uploaded.png")
        print(f"plots in {args.plots}")


if __name__ == "__main__":
    main()

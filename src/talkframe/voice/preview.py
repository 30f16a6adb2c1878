"""Preview clips for `/v2/voices` (`preview_audio`): synthesised once per voice and cached as WAV files."""

from __future__ import annotations

import re
import uuid
from pathlib import Path

from talkframe.media.wav import write_wav
from talkframe.voice import catalog, tts

_SAMPLES = {
    "en": "Hello! This is how I sound. I can read your script in a clear, natural voice.",
    "de": "Hallo! So klingt meine Stimme. Ich lese Ihren Text gerne vor.",
    "fr": "Bonjour ! Voici ma voix. Je peux lire votre texte.",
    "es": "¡Hola! Así suena mi voz. Puedo leer tu guion.",
    "it": "Ciao! Questa è la mia voce. Posso leggere il tuo testo.",
    "pt": "Olá! Esta é a minha voz. Posso ler o seu texto.",
    "nl": "Hallo! Zo klinkt mijn stem. Ik lees uw tekst graag voor.",
}


def preview_filename(voice_id: str) -> str:
    """A safe, stable file name for a voice's preview (the lead's route turns it into a URL)."""
    return re.sub(r"[^A-Za-z0-9._-]", "_", voice_id) + ".wav"


def preview_audio(voice_id: str, out_dir: Path) -> Path:
    """Return the cached preview WAV of `voice_id` in `out_dir`, synthesising it on first use.

    Raises `catalog.VoiceNotFound` for an unknown id.
    """
    info = catalog.get_voice(voice_id)
    out_dir.mkdir(parents=True, exist_ok=True)
    path = out_dir / preview_filename(info.voice_id)
    if path.is_file() and path.stat().st_size > 44:
        return path
    text = _SAMPLES.get(info.language_code, _SAMPLES["en"])
    speech = tts.speak(text, info)
    tmp = path.with_name(f"{path.stem}.{uuid.uuid4().hex}.tmp")  # unique: concurrent requests may race
    write_wav(tmp, speech.audio, speech.sample_rate)
    tmp.replace(path)  # atomic: concurrent requests never see half a file
    return path

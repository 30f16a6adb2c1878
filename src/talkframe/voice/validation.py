"""HeyGen-style 400 messages for one scene's `voice`, checked before a video is queued."""

from __future__ import annotations

from talkframe.core.errors import FieldProblem
from talkframe.request import Voice
from talkframe.voice import catalog, markup

MAX_TEXT_CHARS = 5000
MAX_SILENCE_SECONDS = 600.0


def validate_voice(voice: Voice) -> list[str]:
    """Messages for every documented problem; empty when the voice can be rendered.

    Out-of-range `speed` and `pitch` are clamped by the engine rather than rejected (real clients send junk).
    """
    return [p.message for p in voice_problems(voice)]


def voice_problems(voice: Voice, prefix: str = "voice") -> list[FieldProblem]:
    """The same checks as `validate_voice`, each tied to its request field (e.g. `video_inputs[0].voice`)."""
    problems: list[FieldProblem] = []
    if voice.type == "text":
        text = voice.input_text or ""
        if not markup.plain_text(text).strip():
            problems.append(FieldProblem(f"{prefix}.input_text", "input_text is required for a text voice"))
        elif len(text) > MAX_TEXT_CHARS:
            problems.append(FieldProblem(
                f"{prefix}.input_text", f"input_text is too long: {len(text)} characters (max {MAX_TEXT_CHARS})"
            ))
        if voice.voice_id and not catalog.voice_exists(voice.voice_id):
            problems.append(FieldProblem(f"{prefix}.voice_id", f"Voice {voice.voice_id} not found"))
    elif voice.type == "audio":
        if not voice.audio_url and not voice.audio_asset_id:
            problems.append(FieldProblem(prefix, "audio_url or audio_asset_id is required for an audio voice"))
        elif voice.audio_url and not voice.audio_url.lower().startswith(("http://", "https://")):
            problems.append(FieldProblem(f"{prefix}.audio_url", "audio_url must be an http or https URL"))
    elif voice.type == "silence" and not 0 < voice.duration <= MAX_SILENCE_SECONDS:
        problems.append(FieldProblem(
            f"{prefix}.duration", f"duration must be between 0 and {MAX_SILENCE_SECONDS:.0f} seconds"
        ))
    return problems

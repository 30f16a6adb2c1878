"""The HeyGen v2 video request: the typed, leniently parsed model (`model`, with its field types in `lenient`)
and the 400 rules HeyGen applies to it (`validation`). Plain data: no HTTP, database or queue."""

from talkframe.request.model import (
    Background,
    Character,
    Dimension,
    ElevenLabsSettings,
    GenerateRequest,
    Offset,
    Position,
    TextOverlay,
    VideoInput,
    Voice,
)

__all__ = ["Background", "Character", "Dimension", "ElevenLabsSettings", "GenerateRequest", "Offset", "Position",
           "TextOverlay", "VideoInput", "Voice"]

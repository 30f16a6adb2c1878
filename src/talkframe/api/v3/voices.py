"""`/v3/voices`: list (type/engine/language/gender, paged), one voice, and `POST /v3/voices/speech` (TTS to an
audio file URL with its duration and word timestamps, from the same engines the videos speak with)."""

from __future__ import annotations

import re
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query, Request
from fastapi.concurrency import run_in_threadpool
from pydantic import BaseModel, Field

from talkframe.api.body import json_object
from talkframe.api.deps import CallerDep, ServicesDep
from talkframe.api.v3.errors import invalid, not_found
from talkframe.api.v3.paging import listing, page_list, parse_limit
from talkframe.api.v3.routing import V3Route
from talkframe.api.v3.schemas import ERRORS, Data, body_schema
from talkframe.core.ids import new_id
from talkframe.services import Services
from talkframe.voice import catalog
from talkframe.voice.catalog import VoiceInfo
from talkframe.voice.markup import plain_text
from talkframe.voice.preview import preview_filename

router = APIRouter(tags=["v3 voices"], route_class=V3Route, responses=ERRORS)
# Every voice here speaks through /v3/voices/speech, which HeyGen reserves for its `starfish` engine.
SPEECH_ENGINE = "starfish"


class SpeechRequest(BaseModel):
    text: str = Field(min_length=1, max_length=5000)
    voice_id: str
    input_type: Literal["text", "ssml"] = "text"
    speed: float = Field(1.0, ge=0.5, le=2.0)
    language: str | None = None
    locale: str | None = None


def _preview(services: Services, v: VoiceInfo) -> str:
    return f"{services.settings.public_base_url.rstrip('/')}/voices/preview/{preview_filename(v.voice_id)}"


def list_item(v: VoiceInfo, services: Services) -> dict[str, Any]:
    return {"voice_id": v.voice_id, "name": v.name, "language": v.language, "gender": v.gender,
            "preview_audio_url": _preview(services, v), "support_pause": v.support_pause,
            "support_locale": v.support_locale, "type": "public"}


def _matches(v: VoiceInfo, engine: str | None, language: str | None, gender: str | None) -> bool:
    if engine and engine.lower() not in (v.engine, SPEECH_ENGINE):
        return False
    if language and language.lower() not in (v.language.lower(), v.language_code, v.locale.lower()):
        return False
    return not gender or gender.lower() == v.gender.lower()


@router.get("/v3/voices", summary="Voices (public; no private clones on this server)", response_model=None)
def voices(caller: CallerDep, services: ServicesDep,
           type: Annotated[str | None, Query(description="public (default) | private")] = None,  # noqa: A002
           engine: str | None = None, language: str | None = None, gender: str | None = None,
           limit: Annotated[str | None, Query(description="1-100, default 20")] = None,
           token: str | None = None) -> dict[str, Any]:
    size = parse_limit(limit, 20, 100)
    if type not in (None, "", "public", "private"):
        raise invalid("type", "type: Input should be 'public' or 'private'")
    chosen = [] if type == "private" else [v for v in catalog.list_voices() if _matches(v, engine, language, gender)]
    rows, has_more, offset = page_list(chosen, size, token)
    return listing([list_item(v, services) for v in rows], has_more, offset, size)


@router.get("/v3/voices/{voice_id}", summary="One voice", response_model=Data)
def voice(voice_id: str, caller: CallerDep, services: ServicesDep) -> dict[str, Any]:
    if not catalog.voice_exists(voice_id):
        raise not_found("Voice", voice_id, "voice_not_found", "voice_id")
    v = catalog.get_voice(voice_id)
    return {"data": {"voice_id": v.voice_id, "support_pause": v.support_pause, "name": v.name,
                     "language": v.language, "gender": v.gender, "preview_audio_url": _preview(services, v),
                     "created_at": None, "status": None, "failure_message": None,
                     "support_interactive_avatar": v.support_interactive_avatar}}


def _speak(services: Services, account_id: str, text: str, voice_id: str, speed: float,
           locale: str | None) -> dict[str, Any]:
    from talkframe.media.wav import write_wav
    from talkframe.request import Voice
    from talkframe.voice import prosody, tts

    info = catalog.resolve_voice(voice_id, locale)
    speech = tts.speak(text, info, prosody.from_voice(Voice(voice_id=voice_id, speed=speed)))
    tmp_dir = services.settings.data_dir / "tmp"
    tmp_dir.mkdir(parents=True, exist_ok=True)
    speech_id = new_id()
    path = tmp_dir / f"{speech_id}.wav"
    write_wav(path, speech.audio, speech.sample_rate)
    try:
        key = services.storage.put_file(f"speech/{account_id}/{speech_id}.wav", path)
    finally:
        path.unlink(missing_ok=True)
    words = [{"word": w.text, "start": round(w.start, 3), "end": round(w.end, 3)} for w in speech.words]
    return {"audio_url": services.url_for(key), "duration": round(speech.duration, 3), "request_id": speech_id,
            "word_timestamps": words}


_SSML_TAG = re.compile(r"<(?!/?break\b)[^>]*>")


@router.post("/v3/voices/speech", summary="Text to speech: an audio file URL, its duration, word timestamps",
             openapi_extra=body_schema(SpeechRequest), response_model=Data)
async def speech(request: Request, caller: CallerDep, services: ServicesDep) -> dict[str, Any]:
    body = await json_object(request)
    text = body.get("text")
    if not isinstance(text, str) or not text.strip():
        raise invalid("text", "text: must be a non-empty string")
    if len(text) > 5000:
        raise invalid("text", f"text must be at most 5000 characters, got {len(text)}")
    voice_id = body.get("voice_id")
    if not isinstance(voice_id, str) or not voice_id:
        raise invalid("voice_id", "voice_id: Field required")
    if not catalog.voice_exists(voice_id):
        raise not_found("Voice", voice_id, "voice_not_found", "voice_id")
    input_type = body.get("input_type", "text") or "text"
    if input_type not in ("text", "ssml"):
        raise invalid("input_type", "input_type: Input should be 'text' or 'ssml'")
    speed = body.get("speed", 1.0)
    if speed is None:
        speed = 1.0
    if isinstance(speed, bool) or not isinstance(speed, int | float) or not 0.5 <= speed <= 2.0:
        raise invalid("speed", "speed: must be a number between 0.5 and 2.0")
    for key in ("language", "locale"):
        if body.get(key) is not None and not isinstance(body[key], str):
            raise invalid(key, f"{key}: Input should be a valid string")
    if input_type == "ssml":
        text = _SSML_TAG.sub(" ", text)  # <break time=.../> is honoured; other tags are dropped
    if not plain_text(text).strip():
        raise invalid("text", "text must contain words to speak")
    data = await run_in_threadpool(_speak, services, caller.account_id, text, voice_id, float(speed),
                                   body.get("locale"))
    return {"data": data}

"""Voice catalogue: `GET /v2/voices`, `GET /v2/voices/locales`, `GET /v1/voice.list`, and the preview clips.

Previews are synthesised on first request and kept, and served without a key (like HeyGen's public CDN links),
so the absolute `preview_audio` URL in every voice item plays in any client.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import FileResponse

from talkframe.api.deps import CallerDep, ServicesDep
from talkframe.api.envelope import v1, v2
from talkframe.core.errors import ApiError
from talkframe.services import Services
from talkframe.voice import catalog
from talkframe.voice.preview import preview_audio, preview_filename

router = APIRouter(tags=["voices"])


def _items(services: Services) -> list[dict[str, Any]]:
    base = services.settings.public_base_url.rstrip("/")
    return [v.as_heygen(f"{base}/voices/preview/{preview_filename(v.voice_id)}") for v in catalog.list_voices()]


@router.get("/v2/voices", summary="Voices to use as voice_id")
def voices(caller: CallerDep, services: ServicesDep) -> dict[str, Any]:
    return v2({"voices": _items(services)})


@router.get("/v2/voices/locales", summary="Locales the voices speak")
def locales(caller: CallerDep) -> dict[str, Any]:
    return v2({"locales": [loc.as_heygen() for loc in catalog.list_locales()]})


@router.get("/v1/voice.list", summary="Voices (legacy v1 list)")
def voice_list(caller: CallerDep, services: ServicesDep) -> dict[str, Any]:
    return v1({"list": _items(services)})


@router.get("/voices/preview/{filename}", summary="A voice's preview clip (WAV)", include_in_schema=False)
async def preview(filename: str, services: ServicesDep) -> FileResponse:
    by_file = {preview_filename(v.voice_id): v.voice_id for v in catalog.list_voices()}
    voice_id = by_file.get(filename)
    if voice_id is None:
        raise ApiError(404, "voice_not_found", f"No voice preview {filename}", v1_code=404)
    path = await run_in_threadpool(preview_audio, voice_id, services.settings.cache_dir / "voice_previews")
    return FileResponse(path, media_type="audio/wav")

"""OpenAPI schemas of the v3 bodies and answers (documentation and contract tests; parsing is in
`video_request.py`, which names the offending `param` in each 400)."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field


class _M(BaseModel):
    model_config = ConfigDict(extra="forbid")


class UrlRef(_M):
    type: Literal["url"]
    url: str


class AssetIdRef(_M):
    type: Literal["asset_id"]
    asset_id: str


class Base64Ref(_M):
    type: Literal["base64"]
    media_type: str | None = None
    data: str


AssetRef = Annotated[UrlRef | AssetIdRef | Base64Ref, Field(discriminator="type")]


class ElevenLabsSettings(_M):
    engine_type: Literal["elevenlabs"]
    model: str | None = None
    similarity_boost: float | None = Field(None, ge=0, le=1)
    stability: float | None = Field(None, ge=0, le=1)
    style: float | None = Field(None, ge=0, le=1)
    use_speaker_boost: bool | None = None


class VoiceSettings(_M):
    speed: float | None = Field(1.0, ge=0.5, le=1.5)
    pitch: float | None = Field(0.0, ge=-50, le=50)
    volume: float | None = Field(1.0, ge=0, le=1, description="accepted; not applied yet")
    locale: str | None = None
    engine_settings: ElevenLabsSettings | None = None


class Background(_M):
    type: Literal["color", "image"]
    value: str | None = Field(None, description="#rrggbb, for type color")
    url: str | None = None
    asset_id: str | None = None


class Caption(_M):
    file_format: Literal["srt"] | None = "srt"
    style: Literal["default"] | None = None


class Engine(_M):
    type: Literal["avatar_iv", "avatar_v", "avatar_iii"]
    reference_look_id: str | None = None


Resolution = Literal["4k", "1080p", "720p"]
Aspect = Literal["16:9", "9:16", "4:5", "5:4", "1:1", "auto"]


class _Speech(_M):
    script: str | None = Field(None, max_length=5000)
    voice_id: str | None = None
    audio_url: str | None = None
    audio_asset_id: str | None = None
    voice_settings: VoiceSettings | None = None


class _Common(_Speech):
    title: str | None = None
    resolution: Resolution | None = None
    aspect_ratio: Aspect | None = None
    fit: Literal["contain", "cover"] | None = None
    background: Background | None = None
    remove_background: bool | None = None
    output_format: Literal["mp4", "webm"] = "mp4"
    caption: Caption | None = None
    callback_url: str | None = None
    callback_id: str | None = None
    engine: Engine | None = None
    motion_prompt: str | None = None
    expressiveness: Literal["high", "medium", "low"] | None = None
    folder_id: str | None = None


class CreateVideoFromAvatar(_Common):
    type: Literal["avatar"]
    avatar_id: str = Field(description="a look id from GET /v3/avatars/looks")


class CreateVideoFromImage(_Common):
    type: Literal["image"]
    image: AssetRef


class AvatarInput(_Speech):
    type: Literal["avatar"]
    avatar_id: str
    engine: Engine | None = None
    motion_prompt: str | None = None
    expressiveness: Literal["high", "medium", "low"] | None = None
    background: dict[str, Any] | None = None


class ImageInput(_Speech):
    type: Literal["image"]
    image: AssetRef
    motion_prompt: str | None = None
    expressiveness: Literal["high", "medium", "low"] | None = None


class AvatarVideoScene(_M):
    type: Literal["avatar_video"]
    input: Annotated[AvatarInput | ImageInput, Field(discriminator="type")]


class ImageScene(_Speech):
    type: Literal["image"]
    source: AssetRef
    duration: float | None = Field(None, gt=0, le=300)


class Playback(_M):
    volume: float | None = Field(1.0, ge=0, le=1)
    mute: bool | None = False


class VideoScene(_M):
    type: Literal["video"]
    source: AssetRef
    playback: Playback | None = None


class CreateStudioVideo(_M):
    type: Literal["studio"]
    scenes: list[Annotated[AvatarVideoScene | ImageScene | VideoScene, Field(discriminator="type")]] = Field(
        min_length=1, max_length=50)
    title: str | None = None
    resolution: Resolution | None = None
    aspect_ratio: Aspect | None = None
    caption: Caption | None = None
    callback_url: str | None = None
    callback_id: str | None = None
    folder_id: str | None = None


class CreateCinematicAvatar(BaseModel):
    """Refused by this server (400 invalid_parameter, param `type`): it needs a text-to-video model."""

    type: Literal["cinematic_avatar"]
    prompt: str
    avatar_id: list[str]


class CreateVideo(BaseModel):
    body: Annotated[CreateVideoFromAvatar | CreateVideoFromImage | CreateStudioVideo | CreateCinematicAvatar,
                    Field(discriminator="type")]


def _inline(node: Any, defs: dict[str, Any]) -> Any:
    if isinstance(node, dict):
        ref = node.get("$ref")
        if isinstance(ref, str) and ref.startswith("#/$defs/"):
            return _inline(defs[ref.rsplit("/", 1)[-1]], defs)
        return {k: _inline(v, defs) for k, v in node.items()}
    if isinstance(node, list):
        return [_inline(v, defs) for v in node]
    return node


def body_schema(model: type[BaseModel], field: str | None = None, content: str = "application/json",
                ) -> dict[str, Any]:
    """An `openapi_extra` request body from a model, its definitions inlined (they hold no cycles)."""
    schema = model.model_json_schema()
    defs = schema.pop("$defs", {})
    if field is not None:
        schema = schema["properties"][field]
    return {"requestBody": {"required": True, "content": {content: {"schema": _inline(schema, defs)}}}}


# -- answers ---------------------------------------------------------------------------------------------------

class VideoCreated(BaseModel):
    video_id: str
    status: Literal["waiting"]
    output_format: Literal["mp4", "webm"]


class VideoDetail(BaseModel):
    id: str
    status: Literal["pending", "processing", "completed", "failed"]
    title: str | None
    created_at: int | None
    completed_at: int | None
    video_url: str | None
    thumbnail_url: str | None
    gif_url: str | None
    captioned_video_url: str | None
    subtitle_url: str | None
    duration: float | None
    folder_id: str | None
    output_language: str | None
    failure_code: str | None
    failure_message: str | None
    video_page_url: str | None
    progress: int
    callback_id: str | None
    output_format: str


class Data(BaseModel):
    data: Any


class ErrorBody(BaseModel):
    code: str
    message: str
    param: str | None
    doc_url: str


class Error(BaseModel):
    error: ErrorBody


ERRORS: dict[int | str, dict[str, Any]] = {
    status: {"model": Error, "description": text} for status, text in (
        (400, "invalid_parameter (param names the field)"), (401, "unauthorized"), (404, "not_found"),
        (409, "request_in_progress"), (429, "rate_limit_exceeded (Retry-After)"))
}

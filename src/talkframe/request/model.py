"""The `POST /v2/video/generate` request as typed data, parsed leniently the way real HeyGen clients need.

Real clients send numbers as strings (the seed itself sends `"duration": "1"`), misspell `elevenlabs_settings`,
and put junk into enums (`talking_photo_style: "stable"`, `super_resolution: "string"`). Parsing therefore never
rejects a value HeyGen would accept: unknown enum values fall back to their defaults and unparsable optional
numbers or booleans become their defaults (the field types are in `talkframe.request.lenient`). The documented
400 rules live in `talkframe.request.validation`.
"""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import AliasChoices, BaseModel, ConfigDict, Field, model_validator

from talkframe.request.lenient import (
    Coordinate,
    Factor,
    Flag,
    FrameRate,
    ListOrEmpty,
    ObjectOrEmpty,
    ObjectOrNone,
    OptionalNumber,
    OptionalText,
    OptionalWhole,
    PositiveOrNone,
    Seconds,
    Text,
    maybe_one_of,
    one_of,
)


class _Model(BaseModel):
    model_config = ConfigDict(extra="allow", populate_by_name=True)


class Offset(_Model):
    """Avatar offset as a fraction of the canvas from its centre (x right, y down); 0,0 is centred."""

    x: Coordinate = 0.0
    y: Coordinate = 0.0


class Character(_Model):
    type: Annotated[str, one_of("avatar", "talking_photo")] = "avatar"
    avatar_id: OptionalText = None
    talking_photo_id: OptionalText = None
    scale: Factor = 1.0
    avatar_style: Annotated[str, one_of("normal", "circle", "closeUp")] = "normal"
    talking_photo_style: Annotated[str, one_of("square", "circle")] = "square"
    use_avatar_iv_model: Flag = False
    offset: ObjectOrEmpty[Offset] = Field(default_factory=Offset)
    talking_style: Annotated[str, one_of("stable", "expressive")] = "stable"
    expression: Annotated[str, one_of("default", "happy")] = "default"
    super_resolution: Flag = False
    matting: Flag = False
    circle_background_color: OptionalText = None

    @model_validator(mode="before")
    @classmethod
    def _nested_talking_photo(cls, data: Any) -> Any:
        # Some clients send {"talking_photo": {"talking_photo_id": ...}}.
        if isinstance(data, dict) and isinstance(data.get("talking_photo"), dict) and not data.get(
            "talking_photo_id"
        ):
            data = {**data, "talking_photo_id": data["talking_photo"].get("talking_photo_id")}
        return data


class ElevenLabsSettings(_Model):
    model: str | None = None
    similarity_boost: OptionalNumber = None
    stability: OptionalNumber = None
    style: OptionalNumber = None


class Voice(_Model):
    type: Annotated[str, one_of("text", "audio", "silence")] = "text"
    voice_id: OptionalText = None
    input_text: str | None = None
    speed: Factor = 1.0  # HeyGen's own example sends speed 0, which means "default"
    pitch: Coordinate = 0.0
    emotion: Annotated[str | None, maybe_one_of("Excited", "Friendly", "Serious", "Soothing", "Broadcaster")] = None
    locale: OptionalText = None
    elevenlabs_settings: ObjectOrNone[ElevenLabsSettings] = Field(
        default=None, validation_alias=AliasChoices("elevenlabs_settings", "elevanlabs_settings")
    )
    audio_url: OptionalText = None
    audio_asset_id: OptionalText = None
    duration: Seconds = 1.0


class Background(_Model):
    type: Annotated[str, one_of("color", "image", "video")] = "color"
    value: OptionalText = None
    url: OptionalText = None
    image_asset_id: OptionalText = None
    video_asset_id: OptionalText = None
    play_style: Annotated[str, one_of("fit_to_scene", "freeze", "loop", "once", "full_video")] = "fit_to_scene"
    fit: Annotated[str, one_of("cover", "contain", "crop", "none")] = "cover"


class Position(_Model):
    x: Coordinate = 0.0
    y: Coordinate = 0.0


class TextOverlay(_Model):
    type: str = "text"
    text: Text = ""
    font_family: str | None = None
    font_size: PositiveOrNone = None
    font_weight: str | None = None
    color: str | None = None
    position: ObjectOrEmpty[Position] = Field(default_factory=Position)
    text_align: Annotated[str, one_of("left", "center", "right")] = "left"
    line_height: PositiveOrNone = None
    width: PositiveOrNone = None


class VideoInput(_Model):
    """One scene: an avatar, its voice, a background and optional on-screen text."""

    character: Character = Field(default_factory=Character)
    voice: Voice = Field(default_factory=Voice)
    background: ObjectOrNone[Background] = None
    text: ObjectOrNone[TextOverlay] = None


class Dimension(_Model):
    width: OptionalWhole = None
    height: OptionalWhole = None


class GenerateRequest(_Model):
    """The body of `POST /v2/video/generate`."""

    title: OptionalText = None
    caption: Flag = False
    caption_mode: Annotated[str | None, maybe_one_of("file_only", "burn_in")] = None
    callback_id: OptionalText = None
    callback_url: OptionalText = None
    folder_id: OptionalText = None
    video_inputs: ListOrEmpty[VideoInput] = Field(default_factory=list)
    dimension: ObjectOrNone[Dimension] = Field(
        default=None, validation_alias=AliasChoices("dimension", "dimensions")
    )
    test: Flag = False
    aspect_ratio: OptionalText = None
    fps: FrameRate = 25.0
    enable_watermark: Flag = False

    @property
    def size(self) -> tuple[int, int]:
        """Output (width, height): HeyGen's current default is 1920x1080."""
        d = self.dimension
        if d is None or (not d.width and not d.height):
            return 1920, 1080
        return int(d.width or 0), int(d.height or 0)

    @property
    def wants_caption_file(self) -> bool:
        """A caption file (.ass/.srt/.vtt) comes with any caption request; `caption_mode` alone turns it on."""
        return self.caption or self.caption_mode is not None

    @property
    def wants_burned_captions(self) -> bool:
        """A second video with burned-in captions: `caption: true` alone, or `caption_mode: burn_in`."""
        return (self.caption and self.caption_mode is None) or self.caption_mode == "burn_in"

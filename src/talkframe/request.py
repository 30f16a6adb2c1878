"""The `POST /v2/video/generate` request as typed data, parsed leniently the way real HeyGen clients need.

Real clients send numbers as strings (the seed itself sends `"duration": "1"`), misspell `elevenlabs_settings`,
and put junk into enums (`talking_photo_style: "stable"`, `super_resolution: "string"`). Parsing therefore never
rejects a value HeyGen would accept: unknown enum values fall back to their defaults and unparsable optional
numbers or booleans become their defaults. The documented 400 rules live in `talkframe.validation`.
"""

from __future__ import annotations

from typing import Any

from pydantic import AliasChoices, BaseModel, ConfigDict, Field, field_validator, model_validator

_TRUE = {"true", "1", "yes", "on"}
_FALSE = {"false", "0", "no", "off", ""}


def _enum(value: Any, allowed: tuple[str, ...], default: str) -> str:
    """Map a client value onto one of `allowed` (case-insensitively), else the default."""
    if isinstance(value, str):
        for option in allowed:
            if value.strip().lower() == option.lower():
                return option
    return default


def _lenient_bool(value: Any, default: bool) -> bool:
    if isinstance(value, bool):
        return value
    if isinstance(value, (int, float)):
        return bool(value)
    if isinstance(value, str) and value.strip().lower() in _TRUE:
        return True
    if isinstance(value, str) and value.strip().lower() in _FALSE:
        return False
    return default


def _lenient_float(value: Any, default: float | None) -> float | None:
    if value is None or isinstance(value, bool):
        return default
    try:
        return float(value)
    except (TypeError, ValueError):
        return default


class _Model(BaseModel):
    model_config = ConfigDict(extra="allow", populate_by_name=True)


class Offset(_Model):
    """Avatar offset as a fraction of the canvas from its centre (x right, y down); 0,0 is centred."""

    x: float = 0.0
    y: float = 0.0

    @field_validator("x", "y", mode="before")
    @classmethod
    def _num(cls, v: Any) -> float:
        return _lenient_float(v, 0.0) or 0.0


class Character(_Model):
    type: str = "avatar"
    avatar_id: str | None = None
    talking_photo_id: str | None = None
    scale: float = 1.0
    avatar_style: str = "normal"
    talking_photo_style: str = "square"
    use_avatar_iv_model: bool = False
    offset: Offset = Field(default_factory=Offset)
    talking_style: str = "stable"
    expression: str = "default"
    super_resolution: bool = False
    matting: bool = False
    circle_background_color: str | None = None

    @model_validator(mode="before")
    @classmethod
    def _nested_talking_photo(cls, data: Any) -> Any:
        # Some clients send {"talking_photo": {"talking_photo_id": ...}}.
        if isinstance(data, dict) and isinstance(data.get("talking_photo"), dict) and not data.get(
            "talking_photo_id"
        ):
            data = {**data, "talking_photo_id": data["talking_photo"].get("talking_photo_id")}
        return data

    @field_validator("type", mode="before")
    @classmethod
    def _type(cls, v: Any) -> str:
        return _enum(v, ("avatar", "talking_photo"), "avatar")

    @field_validator("avatar_style", mode="before")
    @classmethod
    def _avatar_style(cls, v: Any) -> str:
        return _enum(v, ("normal", "circle", "closeUp"), "normal")

    @field_validator("talking_photo_style", mode="before")
    @classmethod
    def _tp_style(cls, v: Any) -> str:
        return _enum(v, ("square", "circle"), "square")

    @field_validator("talking_style", mode="before")
    @classmethod
    def _talking_style(cls, v: Any) -> str:
        return _enum(v, ("stable", "expressive"), "stable")

    @field_validator("expression", mode="before")
    @classmethod
    def _expression(cls, v: Any) -> str:
        return _enum(v, ("default", "happy"), "default")

    @field_validator("scale", mode="before")
    @classmethod
    def _scale(cls, v: Any) -> float:
        return _lenient_float(v, 1.0) or 1.0

    @field_validator("use_avatar_iv_model", "super_resolution", "matting", mode="before")
    @classmethod
    def _bools(cls, v: Any) -> bool:
        return _lenient_bool(v, False)

    @field_validator("offset", mode="before")
    @classmethod
    def _offset(cls, v: Any) -> Any:
        return v if isinstance(v, dict) else {}

    @field_validator("avatar_id", "talking_photo_id", "circle_background_color", mode="before")
    @classmethod
    def _blank_is_none(cls, v: Any) -> Any:
        return None if v in ("", None) else str(v)


class ElevenLabsSettings(_Model):
    model: str | None = None
    similarity_boost: float | None = None
    stability: float | None = None
    style: float | None = None

    @field_validator("similarity_boost", "stability", "style", mode="before")
    @classmethod
    def _num(cls, v: Any) -> float | None:
        return _lenient_float(v, None)


class Voice(_Model):
    type: str = "text"
    voice_id: str | None = None
    input_text: str | None = None
    speed: float = 1.0
    pitch: float = 0.0
    emotion: str | None = None
    locale: str | None = None
    elevenlabs_settings: ElevenLabsSettings | None = Field(
        default=None, validation_alias=AliasChoices("elevenlabs_settings", "elevanlabs_settings")
    )
    audio_url: str | None = None
    audio_asset_id: str | None = None
    duration: float = 1.0

    @field_validator("type", mode="before")
    @classmethod
    def _type(cls, v: Any) -> str:
        return _enum(v, ("text", "audio", "silence"), "text")

    @field_validator("speed", mode="before")
    @classmethod
    def _speed(cls, v: Any) -> float:
        # HeyGen's own example sends speed 0, which means "default".
        f = _lenient_float(v, 1.0)
        return f or 1.0

    @field_validator("pitch", mode="before")
    @classmethod
    def _pitch(cls, v: Any) -> float:
        return _lenient_float(v, 0.0) or 0.0

    @field_validator("duration", mode="before")
    @classmethod
    def _duration(cls, v: Any) -> float:
        f = _lenient_float(v, 1.0)
        return 1.0 if f is None else f

    @field_validator("emotion", mode="before")
    @classmethod
    def _emotion(cls, v: Any) -> str | None:
        if v in (None, ""):
            return None
        return _enum(v, ("Excited", "Friendly", "Serious", "Soothing", "Broadcaster"), "") or None

    @field_validator("elevenlabs_settings", mode="before")
    @classmethod
    def _settings(cls, v: Any) -> Any:
        return v if isinstance(v, dict) else None

    @field_validator("voice_id", "audio_url", "audio_asset_id", "locale", mode="before")
    @classmethod
    def _blank_is_none(cls, v: Any) -> Any:
        return None if v in ("", None) else str(v)


class Background(_Model):
    type: str = "color"
    value: str | None = None
    url: str | None = None
    image_asset_id: str | None = None
    video_asset_id: str | None = None
    play_style: str = "fit_to_scene"
    fit: str = "cover"

    @field_validator("type", mode="before")
    @classmethod
    def _type(cls, v: Any) -> str:
        return _enum(v, ("color", "image", "video"), "color")

    @field_validator("play_style", mode="before")
    @classmethod
    def _play_style(cls, v: Any) -> str:
        return _enum(v, ("fit_to_scene", "freeze", "loop", "once", "full_video"), "fit_to_scene")

    @field_validator("fit", mode="before")
    @classmethod
    def _fit(cls, v: Any) -> str:
        return _enum(v, ("cover", "contain", "crop", "none"), "cover")

    @field_validator("url", "image_asset_id", "video_asset_id", "value", mode="before")
    @classmethod
    def _blank_is_none(cls, v: Any) -> Any:
        return None if v in ("", None) else str(v)


class Position(_Model):
    x: float = 0.0
    y: float = 0.0

    @field_validator("x", "y", mode="before")
    @classmethod
    def _num(cls, v: Any) -> float:
        return _lenient_float(v, 0.0) or 0.0


class TextOverlay(_Model):
    type: str = "text"
    text: str = ""
    font_family: str | None = None
    font_size: float | None = None
    font_weight: str | None = None
    color: str | None = None
    position: Position = Field(default_factory=Position)
    text_align: str = "left"
    line_height: float | None = None
    width: float | None = None

    @field_validator("font_size", "line_height", "width", mode="before")
    @classmethod
    def _num(cls, v: Any) -> float | None:
        f = _lenient_float(v, None)
        return f if f else None

    @field_validator("text_align", mode="before")
    @classmethod
    def _align(cls, v: Any) -> str:
        return _enum(v, ("left", "center", "right"), "left")

    @field_validator("position", mode="before")
    @classmethod
    def _position(cls, v: Any) -> Any:
        return v if isinstance(v, dict) else {}

    @field_validator("text", mode="before")
    @classmethod
    def _text(cls, v: Any) -> str:
        return "" if v is None else str(v)


class VideoInput(_Model):
    """One scene: an avatar, its voice, a background and optional on-screen text."""

    character: Character = Field(default_factory=Character)
    voice: Voice = Field(default_factory=Voice)
    background: Background | None = None
    text: TextOverlay | None = None

    @field_validator("background", "text", mode="before")
    @classmethod
    def _obj(cls, v: Any) -> Any:
        return v if isinstance(v, dict) else None


class Dimension(_Model):
    width: int | None = None
    height: int | None = None

    @field_validator("width", "height", mode="before")
    @classmethod
    def _int(cls, v: Any) -> int | None:
        f = _lenient_float(v, None)
        return None if f is None else int(f)


class GenerateRequest(_Model):
    """The body of `POST /v2/video/generate`."""

    title: str | None = None
    caption: bool = False
    caption_mode: str | None = None
    callback_id: str | None = None
    callback_url: str | None = None
    folder_id: str | None = None
    video_inputs: list[VideoInput] = Field(default_factory=list)
    dimension: Dimension | None = Field(
        default=None, validation_alias=AliasChoices("dimension", "dimensions")
    )
    test: bool = False
    aspect_ratio: str | None = None
    fps: float = 25.0
    enable_watermark: bool = False

    @field_validator("caption", "test", "enable_watermark", mode="before")
    @classmethod
    def _bools(cls, v: Any) -> bool:
        return _lenient_bool(v, False)

    @field_validator("caption_mode", mode="before")
    @classmethod
    def _caption_mode(cls, v: Any) -> str | None:
        return _enum(v, ("file_only", "burn_in"), "") or None

    @field_validator("fps", mode="before")
    @classmethod
    def _fps(cls, v: Any) -> float:
        f = _lenient_float(v, 25.0)
        return f or 25.0

    @field_validator("title", "callback_id", "callback_url", "folder_id", "aspect_ratio", mode="before")
    @classmethod
    def _str_or_none(cls, v: Any) -> str | None:
        return None if v in (None, "") else str(v)

    @field_validator("dimension", mode="before")
    @classmethod
    def _dimension(cls, v: Any) -> Any:
        return v if isinstance(v, dict) else None

    @field_validator("video_inputs", mode="before")
    @classmethod
    def _inputs(cls, v: Any) -> Any:
        return v if isinstance(v, list) else []

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

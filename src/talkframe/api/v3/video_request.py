"""`POST /v3/videos` bodies -> the internal `GenerateRequest` (one table, one pipeline for v2 and v3).

Translation is pure: it checks every field (a 400 `invalid_parameter` naming `param`, or a 404 for an unknown id)
and returns the v2-shaped request plus the media that still has to be stored (`Pending`): images to animate and
base64 files. Those are stored only after the concurrency limit passed (`materialize.py`), so a refused request
leaves nothing behind.

Lenient by default, as real clients need (spec 5.8): unknown top-level keys are ignored; the legacy keys `test`,
`enable_caption`, flat `image_url` / `image_asset_id`, and a video URL sent as an `image` background are mapped.
With `TALKFRAME_V3_STRICT=1` any key outside the OpenAPI schema of the arm is refused ("Extra inputs are not
permitted").
"""

from __future__ import annotations

import base64
import binascii
import re
from dataclasses import dataclass, field
from typing import Any, Protocol

from talkframe.api.v3.errors import V3Error, invalid, not_found
from talkframe.compose.color import is_hex_color
from talkframe.media.fetch import sniff
from talkframe.voice.markup import plain_text

MAX_SCENES = 50
MAX_SCRIPT_CHARS = 5000
MAX_BASE64_BYTES = 32 * 1024 * 1024
HIDDEN_OFFSET = 5.0  # image/video studio scenes: the (required) character is drawn five canvases off to the side
RESOLUTIONS = {"720p": 720, "1080p": 1080, "4k": 2160}
ASPECTS = {"16:9": (16, 9), "9:16": (9, 16), "4:5": (4, 5), "5:4": (5, 4), "1:1": (1, 1)}
ENGINES = ("avatar_iv", "avatar_v", "avatar_iii")
VIDEO_EXTENSIONS = (".mp4", ".webm", ".mov", ".m4v")
IMAGE_KINDS = {"png", "jpg"}

_COMMON = {"title", "resolution", "aspect_ratio", "caption", "callback_url", "callback_id", "watermark",
           "folder_id", "type"}
_SPEECH = {"script", "voice_id", "audio_url", "audio_asset_id", "voice_settings"}
_LOOK = {"fit", "background", "remove_background", "output_format", "engine", "motion_prompt", "expressiveness",
         "brand_glossary_id"}
SCHEMA_KEYS = {
    "avatar": _COMMON | _SPEECH | _LOOK | {"avatar_id"},
    "image": _COMMON | _SPEECH | _LOOK | {"image"},
    "studio": _COMMON | {"scenes"},
}
LEGACY_KEYS = ("test", "enable_caption", "image_url", "image_asset_id")


class Ids(Protocol):
    def avatar_kind(self, look_id: str) -> str | None: ...  # "avatar" | "talking_photo" | None

    def voice_exists(self, voice_id: str) -> bool: ...

    def asset_type(self, asset_id: str) -> str | None: ...  # image | video | audio | None

    def folder_exists(self, folder_id: str) -> bool: ...


@dataclass
class Ref:
    """An AssetRef: `{"type": "url"|"asset_id"|"base64", ...}`; base64 data is decoded and typed here."""

    kind: str
    value: str
    param: str
    data: bytes | None = None
    ext: str | None = None


@dataclass
class Pending:
    """Media to store once the request is admitted: images to animate (-> a talking photo) and base64 files."""

    photos: list[tuple[int, Ref]] = field(default_factory=list)  # (scene index, image) -> character
    files: list[tuple[int, str, Ref]] = field(default_factory=list)  # (scene index, "background"|"audio", ref)
    auto_aspect: bool = False
    cover: set[int] = field(default_factory=set)  # scenes whose animated image should fill the canvas (fit cover)


@dataclass
class Translated:
    request: dict[str, Any]  # GenerateRequest JSON
    output_format: str
    pending: Pending
    short_side: int
    aspect: tuple[int, int] | None


# -- small typed readers ---------------------------------------------------------------------------------------

def _typed(obj: dict, key: str, param: str, kind: type, name: str) -> Any:
    """`obj[key]` when it is a `kind` (a 400 naming `param` when it is something else), None when absent."""
    value = obj.get(key)
    if value is not None and not isinstance(value, kind):
        raise invalid(param, f"{param}: Input should be a valid {name}")
    return value


def _str(obj: dict, key: str, param: str, *, max_len: int = 500) -> str | None:
    value = _typed(obj, key, param, str, "string")
    if value is not None and len(value) > max_len:
        raise invalid(param, f"{param}: String should have at most {max_len} characters")
    return value


def _obj(obj: dict, key: str, param: str) -> dict | None:
    return _typed(obj, key, param, dict, "dictionary or object to extract fields from")


def _num(obj: dict, key: str, param: str, lo: float, hi: float) -> float | None:
    value = obj.get(key)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise invalid(param, f"{param}: Input should be a valid number")
    if not lo <= value <= hi:
        raise invalid(param, f"{param}: must be between {lo:g} and {hi:g}, got {value:g}")
    return float(value)


def _bool(obj: dict, key: str, param: str) -> bool | None:
    return _typed(obj, key, param, bool, "boolean")


def _enum(obj: dict, key: str, param: str, allowed: tuple[str, ...]) -> str | None:
    value = _str(obj, key, param)
    if value is None:
        return None
    if value not in allowed:
        raise invalid(param, f"{param}: Input should be {', '.join(repr(a) for a in allowed)}")
    return value


def _http_url(value: str, param: str) -> str:
    if not re.match(r"^https?://[^\s/]+", value, re.I):
        raise invalid(param, f"{param}: must be an http or https URL")
    return value


def asset_ref(value: Any, param: str, ids: Ids, kinds: set[str] | None = None) -> Ref:
    """Check one AssetRef; `kinds` are the asset file types it may name (image, video, audio)."""
    if not isinstance(value, dict):
        raise invalid(param, f"{param}: Input should be a valid dictionary or object to extract fields from")
    kind = value.get("type")
    if kind == "url":
        return Ref("url", _http_url(_str(value, "url", f"{param}.url", max_len=4096) or "", f"{param}.url"), param)
    if kind == "asset_id":
        asset_id = _str(value, "asset_id", f"{param}.asset_id") or ""
        file_type = ids.asset_type(asset_id) if asset_id else None
        if file_type is None:
            raise not_found("Asset", asset_id or "(empty)", "asset_not_found", f"{param}.asset_id")
        if kinds and file_type not in kinds:
            raise invalid(f"{param}.asset_id", f"Asset {asset_id} is {file_type}; expected {' or '.join(kinds)}")
        return Ref("asset_id", asset_id, param, ext=file_type)
    if kind == "base64":
        raw = _str(value, "data", f"{param}.data", max_len=MAX_BASE64_BYTES * 4 // 3 + 4) or ""
        try:
            data = base64.b64decode(raw, validate=True)
        except (binascii.Error, ValueError):
            raise invalid(f"{param}.data", f"{param}.data: not valid base64") from None
        ext = sniff(data[:64]) if data else None
        allowed = {"image": IMAGE_KINDS, "video": {"mp4", "webm", "mov"}, "audio": {"wav", "mp3"}}
        ok = set().union(*(allowed[k] for k in (kinds or allowed)))
        if ext not in ok:
            raise invalid(f"{param}.data", f"{param}.data: the decoded file ({ext or 'unknown type'}) is not one "
                          f"of {', '.join(sorted(ok))}")
        _str(value, "media_type", f"{param}.media_type")
        return Ref("base64", "", param, data=data, ext=ext)
    raise invalid(f"{param}.type", f"{param}.type: Input should be 'url', 'asset_id' or 'base64'")


# -- the arms -------------------------------------------------------------------------------------------------

def translate(body: dict[str, Any], ids: Ids, strict: bool = False) -> Translated:
    """`strict`: TALKFRAME_V3_STRICT (settings.v3_strict)."""
    body = dict(body)
    kind = body.get("type")
    if kind == "cinematic_avatar":
        raise invalid("type", "type 'cinematic_avatar' is not supported by this server: it needs a text-to-video "
                      "model that talkframe does not have. Use 'avatar', 'image' or 'studio'.")
    if kind is None and not strict:  # lenient: infer the arm from what was sent
        kind = ("studio" if "scenes" in body else
                "image" if any(k in body for k in ("image", "image_url", "image_asset_id")) else "avatar")
    if not isinstance(kind, str) or kind not in SCHEMA_KEYS:
        raise invalid("type", "type: Input should be 'avatar', 'image', 'studio' or 'cinematic_avatar'")
    if strict:
        for key in body:
            if key not in SCHEMA_KEYS[kind]:
                raise invalid(key, "Extra inputs are not permitted")
    else:
        body["type"] = kind
        body = _map_legacy(body, kind)
        kind = body["type"]

    aspect_raw = _enum(body, "aspect_ratio", "aspect_ratio", (*ASPECTS, "auto"))
    short_side = _resolution(body)
    output_format = _enum(body, "output_format", "output_format", ("mp4", "webm")) or "mp4"
    if output_format == "webm" and kind != "studio" and body.get("background") is not None:
        raise invalid("background", "background cannot be combined with output_format 'webm' (the background is "
                      "transparent)")
    if output_format == "webm" and kind == "studio":
        raise invalid("output_format", "output_format is not a field of a studio video (mp4 only)")
    if body.get("watermark") is not None:
        raise invalid("watermark", "watermark (an enterprise feature) is not supported by this server")
    caption = _caption(body)
    pending = Pending(auto_aspect=aspect_raw == "auto")

    scenes: list[dict[str, Any]] = []
    if kind == "studio":
        raw_scenes = body.get("scenes")
        if not isinstance(raw_scenes, list) or not 1 <= len(raw_scenes) <= MAX_SCENES:
            raise invalid("scenes", f"scenes must be a list of 1 to {MAX_SCENES} scenes")
        for i, raw in enumerate(raw_scenes):
            scenes.append(_studio_scene(raw, i, ids, pending))
    else:
        scenes.append(_avatar_scene(body, kind, "", 0, ids, pending, top_level=True))

    title = _str(body, "title", "title")
    callback_url = _str(body, "callback_url", "callback_url", max_len=4096)
    if callback_url:
        _http_url(callback_url, "callback_url")
    callback_id = _str(body, "callback_id", "callback_id")
    folder_id = _str(body, "folder_id", "folder_id", max_len=64)
    if folder_id and not ids.folder_exists(folder_id):
        raise not_found("Folder", folder_id, "not_found", "folder_id")
    _str(body, "brand_glossary_id", "brand_glossary_id")
    test = body.get("test") is True  # legacy (n8n always sends it): a watermarked video that costs no quota

    aspect = None if aspect_raw in (None, "auto") else ASPECTS[aspect_raw]
    width, height = dimension(short_side, aspect or (16, 9))
    request: dict[str, Any] = {
        "title": title, "callback_url": callback_url or None, "callback_id": callback_id,
        "folder_id": folder_id or None, "test": test, "video_inputs": scenes,
        "dimension": {"width": width, "height": height},
        # v3 always gives an SRT sidecar; `caption.style` also burns the captions in
        "caption_mode": "burn_in" if caption.get("style") else "file_only",
    }
    if output_format == "webm":  # rendered over a key colour, then matted into a transparent WebM
        from talkframe.render.alpha_webm import KEY_COLOR

        scenes[0]["background"] = {"type": "color", "value": KEY_COLOR}
    return Translated(request, output_format, pending, short_side, aspect)


def _map_legacy(body: dict[str, Any], kind: str) -> dict[str, Any]:
    if body.get("enable_caption") is True and body.get("caption") is None:
        body["caption"] = {}
    if body.get("image") is None and (kind == "image" or (kind == "avatar" and not body.get("avatar_id"))):
        if isinstance(body.get("image_url"), str) and body["image_url"]:
            body["image"] = {"type": "url", "url": body["image_url"]}
        elif isinstance(body.get("image_asset_id"), str) and body["image_asset_id"]:
            body["image"] = {"type": "asset_id", "asset_id": body["image_asset_id"]}
        if body.get("image") is not None and not body.get("avatar_id"):
            body["type"] = "image"
    return body


def _resolution(body: dict[str, Any]) -> int:
    value = _str(body, "resolution", "resolution")
    if value is None:
        return 1080
    if value in RESOLUTIONS:
        return RESOLUTIONS[value]
    # talkframe extension (small test renders): any even "<N>p" from 128p to 2160p
    m = re.fullmatch(r"(\d{3,4})p", value)
    if m and 128 <= int(m.group(1)) <= 2160 and int(m.group(1)) % 2 == 0:
        return int(m.group(1))
    raise invalid("resolution", "resolution: Input should be '4k', '1080p' or '720p'")


def dimension(short_side: int, aspect: tuple[int, int]) -> tuple[int, int]:
    w, h = aspect
    long_side = min(4096, int(round(short_side * max(w, h) / min(w, h) / 2)) * 2)
    return (long_side, short_side) if w >= h else (short_side, long_side)


def _caption(body: dict[str, Any]) -> dict[str, Any]:
    raw = body.get("caption")
    if raw is None or raw is False:
        return {}
    if raw is True:
        return {}
    cap = _obj(body, "caption", "caption") or {}
    _enum(cap, "file_format", "caption.file_format", ("srt",))
    style = _enum(cap, "style", "caption.style", ("default",))
    return {"style": style} if style else {}


def _speech(src: dict[str, Any], at: str, ids: Ids, pending: Pending, index: int,
            silent_seconds: float | None = None) -> dict[str, Any]:
    """script | audio_url | audio_asset_id (exactly one) + voice_id + voice_settings -> a v2 voice."""
    p = (lambda k: f"{at}{k}")  # noqa: E731 - the param path of a field
    script = _str(src, "script", p("script"), max_len=10 * MAX_SCRIPT_CHARS)
    audio_url = _str(src, "audio_url", p("audio_url"), max_len=4096)
    audio_asset_id = _str(src, "audio_asset_id", p("audio_asset_id"), max_len=64)
    given = [k for k, v in (("script", script), ("audio_url", audio_url), ("audio_asset_id", audio_asset_id)) if v]
    if len(given) > 1:
        raise invalid(p(given[1]), f"Provide exactly one of script, audio_url or audio_asset_id (got "
                      f"{' and '.join(given)})")
    voice_id = _str(src, "voice_id", p("voice_id"), max_len=200)
    if voice_id and not ids.voice_exists(voice_id):
        raise not_found("Voice", voice_id, "voice_not_found", p("voice_id"))
    settings = _obj(src, "voice_settings", p("voice_settings")) or {}
    sp = f"{p('voice_settings')}."
    speed = _num(settings, "speed", sp + "speed", 0.5, 1.5)
    pitch = _num(settings, "pitch", sp + "pitch", -50, 50)
    _num(settings, "volume", sp + "volume", 0.0, 1.0)
    locale = _str(settings, "locale", sp + "locale", max_len=35)
    eleven = None
    engine_settings = _obj(settings, "engine_settings", sp + "engine_settings")
    if engine_settings is not None:
        et = _enum(engine_settings, "engine_type", sp + "engine_settings.engine_type",
                   ("elevenlabs", "fish", "starfish"))
        if et == "elevenlabs":
            ep = sp + "engine_settings."
            eleven = {k: _num(engine_settings, k, ep + k, 0.0, 1.0) for k in ("similarity_boost", "stability",
                                                                              "style")}
            eleven["model"] = _str(engine_settings, "model", ep + "model")
    voice: dict[str, Any] = {"voice_id": voice_id, "speed": speed or 1.0, "pitch": pitch or 0.0,
                             "locale": locale, "elevenlabs_settings": eleven}
    if script:
        if not plain_text(script).strip():
            raise invalid(p("script"), "script must contain words to speak")
        if len(script) > MAX_SCRIPT_CHARS:
            raise invalid(p("script"), f"script must be at most {MAX_SCRIPT_CHARS} characters, got {len(script)}")
        return {**voice, "type": "text", "input_text": script}
    if audio_url:
        return {**voice, "type": "audio", "audio_url": _http_url(audio_url, p("audio_url"))}
    if audio_asset_id:
        if ids.asset_type(audio_asset_id) != "audio":
            raise not_found("Audio asset", audio_asset_id, "asset_not_found", p("audio_asset_id"))
        return {**voice, "type": "audio", "audio_asset_id": audio_asset_id}
    if silent_seconds is not None:
        return {"type": "silence", "duration": silent_seconds}
    raise invalid(p("script"), "Provide exactly one of script, audio_url or audio_asset_id")


def _engine(src: dict[str, Any], at: str, kind: str) -> str:
    engine = _obj(src, "engine", f"{at}engine")
    if engine is None:
        return "avatar_iv"
    name = _enum(engine, "type", f"{at}engine.type", ENGINES)
    if name is None:
        raise invalid(f"{at}engine.type", f"{at}engine.type: Field required")
    _str(engine, "reference_look_id", f"{at}engine.reference_look_id", max_len=64)
    if kind == "image" and name == "avatar_iii":
        raise invalid(f"{at}engine.type", "avatar_iii is not supported for raw image input")
    return name


def _background(src: dict[str, Any], at: str, ids: Ids, pending: Pending, index: int) -> dict[str, Any] | None:
    bg = _obj(src, "background", f"{at}background")
    if bg is None:
        return None
    p = f"{at}background"
    kind = _enum(bg, "type", f"{p}.type", ("color", "image", "video"))
    if kind is None:
        raise invalid(f"{p}.type", f"{p}.type: Field required")
    if kind == "color":
        value = _str(bg, "value", f"{p}.value") or _str(bg, "color", f"{p}.color")
        if not value or not is_hex_color(value):
            raise invalid(f"{p}.value", f"{p}.value must be a hex colour such as #ffffff")
        return {"type": "color", "value": value}
    url = _str(bg, "url", f"{p}.url", max_len=4096)
    asset_id = _str(bg, "asset_id", f"{p}.asset_id", max_len=64)
    if url and asset_id:
        raise invalid(f"{p}.url", "Provide either url or asset_id, not both")
    if url:
        _http_url(url, f"{p}.url")
        # n8n sends a video background as {"type": "image", "url": <video url>}
        is_video = kind == "video" or url.lower().split("?", 1)[0].endswith(VIDEO_EXTENSIONS)
        return {"type": "video" if is_video else "image", "url": url, "fit": "cover",
                "play_style": "loop" if is_video else "fit_to_scene"}
    if asset_id:
        file_type = ids.asset_type(asset_id)
        if file_type not in ("image", "video"):
            raise not_found("Image or video asset", asset_id, "asset_not_found", f"{p}.asset_id")
        if file_type == "video":
            return {"type": "video", "video_asset_id": asset_id, "fit": "cover", "play_style": "loop"}
        return {"type": "image", "image_asset_id": asset_id, "fit": "cover"}
    raise invalid(f"{p}.url", "Either url or asset_id needs to be provided for an image background")


def _avatar_scene(src: dict[str, Any], kind: str, at: str, index: int, ids: Ids, pending: Pending,
                  top_level: bool = False) -> dict[str, Any]:
    """An `avatar` or `image` arm (top level, or the `input` of a studio `avatar_video` scene)."""
    engine = _engine(src, at, kind)
    expressiveness = _enum(src, "expressiveness", f"{at}expressiveness", ("low", "medium", "high"))
    motion_prompt = _str(src, "motion_prompt", f"{at}motion_prompt", max_len=5000)
    if engine == "avatar_iii" and (expressiveness or motion_prompt):
        raise invalid(f"{at}expressiveness" if expressiveness else f"{at}motion_prompt",
                      "avatar_iii supports neither motion_prompt nor expressiveness")
    if engine == "avatar_v" and expressiveness:
        raise invalid(f"{at}expressiveness", "expressiveness is supported on avatar_iv only")
    character: dict[str, Any]
    if kind == "avatar":
        if "image" in src and src.get("image") is not None and top_level:
            raise invalid("image", "image is not allowed with type 'avatar'; use type 'image'")
        look = _str(src, "avatar_id", f"{at}avatar_id", max_len=64)
        if not look:
            raise invalid(f"{at}avatar_id", "Exactly one visual source required: avatar_id, image_url, or "
                          "image_asset_id.")
        look_kind = ids.avatar_kind(look)
        if look_kind is None:
            raise not_found("Avatar", look, "avatar_not_found", f"{at}avatar_id")
        character = ({"type": "talking_photo", "talking_photo_id": look} if look_kind == "talking_photo"
                     else {"type": "avatar", "avatar_id": look})
    else:
        if src.get("avatar_id") is not None and top_level:
            raise invalid("avatar_id", "avatar_id is not allowed with type 'image'")
        if src.get("image") is None:
            raise invalid(f"{at}image", "Exactly one visual source required: avatar_id, image_url, or "
                          "image_asset_id.")
        pending.photos.append((index, asset_ref(src["image"], f"{at}image", ids, {"image"})))
        character = {"type": "talking_photo", "talking_photo_id": None}
    level = expressiveness or "low"
    character.update({"talking_style": "stable" if level == "low" else "expressive",
                      "use_avatar_iv_model": level == "high"})
    if _bool(src, "remove_background", f"{at}remove_background"):
        character["matting"] = True
    if _enum(src, "fit", f"{at}fit", ("contain", "cover")) == "cover" and kind == "image":
        pending.cover.add(index)  # applied once the image's size is known; default (contain) fits it whole
    scene: dict[str, Any] = {"character": character, "voice": _speech(src, at, ids, pending, index)}
    background = _background(src, at, ids, pending, index)
    if background is not None:
        scene["background"] = background
    return scene


def _studio_scene(raw: Any, i: int, ids: Ids, pending: Pending) -> dict[str, Any]:
    at = f"scenes[{i}]"
    if not isinstance(raw, dict):
        raise invalid(at, f"{at}: Input should be a valid dictionary or object to extract fields from")
    kind = _enum(raw, "type", f"{at}.type", ("avatar_video", "image", "video"))
    if kind is None:
        raise invalid(f"{at}.type", f"{at}.type: Field required")
    if kind == "avatar_video":
        inp = _obj(raw, "input", f"{at}.input")
        if inp is None:
            raise invalid(f"{at}.input", f"{at}.input: Field required")
        arm = _enum(inp, "type", f"{at}.input.type", ("avatar", "image"))
        if arm is None:
            raise invalid(f"{at}.input.type", f"{at}.input.type: Field required")
        return _avatar_scene(inp, arm, f"{at}.input.", i, ids, pending)
    source = raw.get("source")
    if source is None:
        raise invalid(f"{at}.source", f"{at}.source: Field required")
    from talkframe.avatar.catalog import BUILTIN_AVATAR_ID

    hidden = {"type": "avatar", "avatar_id": BUILTIN_AVATAR_ID, "offset": {"x": HIDDEN_OFFSET, "y": 0.0}}
    if kind == "image":
        ref = asset_ref(source, f"{at}.source", ids, {"image"})
        duration = _num(raw, "duration", f"{at}.duration", 0.001, 300)
        voice = _speech(raw, f"{at}.", ids, pending, i, silent_seconds=duration or 5.0)
        bg: dict[str, Any] = {"type": "image", "fit": "cover"}
    else:
        ref = asset_ref(source, f"{at}.source", ids, {"video"})
        playback = _obj(raw, "playback", f"{at}.playback") or {}
        _num(playback, "volume", f"{at}.playback.volume", 0.0, 1.0)
        _bool(playback, "mute", f"{at}.playback.mute")
        voice = {"type": "silence", "duration": 0.04}
        bg = {"type": "video", "fit": "cover", "play_style": "full_video"}
    if ref.kind == "url":
        bg["url"] = ref.value
    elif ref.kind == "asset_id":
        bg["image_asset_id" if kind == "image" else "video_asset_id"] = ref.value
    else:
        pending.files.append((i, "background", ref))
    return {"character": hidden, "voice": voice, "background": bg}


__all__ = ["LEGACY_KEYS", "Pending", "Ref", "Translated", "V3Error", "asset_ref", "dimension", "translate"]

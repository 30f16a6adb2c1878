"""The 400 rules of `POST /v2/video/generate`, with HeyGen's messages, each tied to the offending field.

Only what HeyGen itself rejects is rejected; everything else was already made lenient by `talkframe.request.model`
(and out-of-range `speed` / `pitch` are clamped by the voice engine rather than refused).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from talkframe.compose.color import is_hex_color
from talkframe.core.errors import ApiError, FieldProblem
from talkframe.request.model import GenerateRequest
from talkframe.voice.markup import plain_text

MAX_SCENES = 50
MAX_TEXT_CHARS = 5000
MAX_LABEL_CHARS = 255  # title, callback_id: they come back in every status and list answer
MAX_URL_CHARS = 2048
MAX_OVERLAY_CHARS = 1000
MIN_SIDE, MAX_SIDE = 128, 4096


class IdLookup(Protocol):
    """Answers whether ids in a request exist for the calling account."""

    def avatar_exists(self, avatar_id: str) -> bool: ...

    def talking_photo_exists(self, photo_id: str) -> bool: ...

    def voice_exists(self, voice_id: str) -> bool: ...

    def asset_exists(self, asset_id: str) -> bool: ...

    def folder_exists(self, folder_id: str) -> bool: ...

    def url_refusal(self, url: str) -> str | None:
        """Why an input or callback URL is refused (the SSRF rules, checked again at fetch time), or None."""
        ...


@dataclass
class _Problem(FieldProblem):
    code: str = "invalid_parameter"


def validate_generate(req: GenerateRequest, ids: IdLookup) -> None:
    """Raise a 400 `ApiError` naming every offending field, or return when the request can render."""
    problems: list[_Problem] = []

    def add(field: str, message: str, code: str = "invalid_parameter") -> None:
        problems.append(_Problem(field, message, code))

    n = len(req.video_inputs)
    if not 1 <= n <= MAX_SCENES:
        add("video_inputs", f"video_inputs must contain between 1 to {MAX_SCENES} items")
    if req.dimension is not None:
        for side in ("width", "height"):
            value = getattr(req.dimension, side)
            if value is None or not MIN_SIDE <= value <= MAX_SIDE:
                add(f"dimension.{side}", f"dimension {side} must be between {MIN_SIDE} and {MAX_SIDE}, got {value}")
            elif value % 2:
                add(f"dimension.{side}", f"dimension {side} must be an even number, got {value}")
    def check_url(field: str, url: str) -> None:
        if len(url) > MAX_URL_CHARS:
            add(field, f"{field.rsplit('.', 1)[-1]} must be at most {MAX_URL_CHARS} characters")
        elif why := ids.url_refusal(url):
            add(field, why)

    for name in ("title", "callback_id"):
        value = getattr(req, name)
        if value is not None and len(value) > MAX_LABEL_CHARS:
            add(name, f"{name} must be at most {MAX_LABEL_CHARS} characters, got {len(value)}")
    if req.callback_url and not req.callback_url.lower().startswith(("http://", "https://")):
        add("callback_url", "callback_url must be an http or https URL")
    elif req.callback_url:
        check_url("callback_url", req.callback_url)
    if req.folder_id and not ids.folder_exists(req.folder_id):
        add("folder_id", f"Folder {req.folder_id} not found", "folder_not_found")
    if not 1 <= req.fps <= 60:
        add("fps", f"fps must be between 1 and 60, got {req.fps:g}")

    for i, scene in enumerate(req.video_inputs):
        at = f"video_inputs[{i}]"
        ch = scene.character
        if ch.circle_background_color is not None and not is_hex_color(ch.circle_background_color):
            add(f"{at}.character.circle_background_color", "circle_background_color must be in hex format")
        if ch.type == "talking_photo":
            if not ch.talking_photo_id:
                add(f"{at}.character.talking_photo_id", "talking_photo_id is required for a talking_photo character")
            elif not ids.talking_photo_exists(ch.talking_photo_id):
                add(f"{at}.character.talking_photo_id",
                    f"Talking photo {ch.talking_photo_id} not found or no longer available.", "talking_photo_not_found")
        elif not ch.avatar_id:
            add(f"{at}.character.avatar_id", "avatar_id is required for an avatar character")
        elif not ids.avatar_exists(ch.avatar_id):
            add(f"{at}.character.avatar_id", f"Avatar {ch.avatar_id} not found or no longer available.",
                "avatar_not_found")

        v = scene.voice
        if v.type == "text":
            text = plain_text(v.input_text or "").strip()  # a script of only <break> tags says nothing
            if not text:
                add(f"{at}.voice.input_text", "input_text is required for a text voice", "invalid_text_input")
            elif len(v.input_text or "") > MAX_TEXT_CHARS:
                add(f"{at}.voice.input_text",
                    f"input_text must be at most {MAX_TEXT_CHARS} characters, got {len(v.input_text or '')}",
                    "invalid_text_input")
            if v.voice_id and not ids.voice_exists(v.voice_id):
                add(f"{at}.voice.voice_id", f"Voice {v.voice_id} not found or no longer available.",
                    "voice_not_found")
        elif v.type == "audio":
            if not v.audio_url and not v.audio_asset_id:
                add(f"{at}.voice", "Either audio_url or audio_asset_id needs to be provided")
            elif v.audio_url and not v.audio_asset_id and not v.audio_url.lower().startswith(("http://", "https://")):
                add(f"{at}.voice.audio_url", "audio_url must be an http or https URL")
            elif v.audio_asset_id and not ids.asset_exists(v.audio_asset_id):
                add(f"{at}.voice.audio_asset_id", f"Asset {v.audio_asset_id} not found", "asset_not_found")
            elif v.audio_url and not v.audio_asset_id:
                check_url(f"{at}.voice.audio_url", v.audio_url)
        elif not 0 < v.duration <= 600:
            add(f"{at}.voice.duration", f"silence duration must be between 0 and 600 seconds, got {v.duration:g}")

        bg = scene.background
        if bg is not None:
            if bg.type == "color" and bg.value is not None and not is_hex_color(bg.value):
                add(f"{at}.background.value", "background value must be in hex format")
            elif bg.type in ("image", "video"):
                asset_field = f"{bg.type}_asset_id"
                asset_id = getattr(bg, asset_field)
                if not bg.url and not asset_id:
                    add(f"{at}.background", f"Either url or {asset_field} needs to be provided")
                elif asset_id and not ids.asset_exists(asset_id):
                    add(f"{at}.background.{asset_field}", f"Asset {asset_id} not found", "asset_not_found")
                elif bg.url and not asset_id:
                    check_url(f"{at}.background.url", bg.url)
        if scene.text is not None and scene.text.color and not is_hex_color(scene.text.color):
            add(f"{at}.text.color", "text color must be in hex format")
        if scene.text is not None and len(scene.text.text) > MAX_OVERLAY_CHARS:
            add(f"{at}.text.text", f"text must be at most {MAX_OVERLAY_CHARS} characters, got {len(scene.text.text)}")

    if problems:
        message = "; ".join(dict.fromkeys(p.message for p in problems))
        raise ApiError(400, problems[0].code, message, problems=[FieldProblem(p.field, p.message) for p in problems])

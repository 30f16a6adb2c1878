"""v3 `output_format: "webm"`: after the render, a transparent WebM is made from the MP4 and published with it."""

from __future__ import annotations

from talkframe.avatar.catalog import find_avatar
from talkframe.db import videos
from talkframe.db.session import session_scope
from talkframe.render.alpha_webm import write_alpha_webm
from talkframe.render.join import RenderOutputs
from talkframe.services import Services


def segment_person(request: dict) -> bool:
    """Photo, talking-photo and video avatars carry their own backdrop; illustrated presenters do not."""
    scenes = request.get("video_inputs") or [{}]
    character = scenes[0].get("character") or {}
    if character.get("type") == "talking_photo":
        return True
    entry = find_avatar(character.get("avatar_id") or "")
    return entry is None or entry.kind != "illustrated"


def add_alpha_webm(services: Services, video_id: str, outputs: RenderOutputs) -> None:
    with session_scope(services.db_url) as session:
        video = videos.get(session, video_id)
        request = dict(video.request or {}) if video is not None else {}
    if ((request.get("talkframe_v3") or {}).get("output_format")) != "webm":
        return
    out = outputs.video.with_name("video.webm")
    outputs.extra["video_webm"] = write_alpha_webm(outputs.video, out, segment_person(request))

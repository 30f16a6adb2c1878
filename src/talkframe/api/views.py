"""Database rows -> HeyGen's response objects (every key always present, null where empty)."""

from __future__ import annotations

from typing import Any

from talkframe.db.models import Video
from talkframe.services import Services

LIST_STATUS = {"pending": "processing"}  # strict list clients know no "pending"


def video_status(video: Video, services: Services) -> dict[str, Any]:
    out = video.outputs or {}
    error = None
    if video.status == "failed":
        error = {"code": video.error_code, "message": video.error_message, "detail": video.error_detail}
    return {
        "id": video.id,
        "video_id": video.id,
        "status": video.status,
        "title": video.title,
        "callback_id": video.callback_id,
        "caption_url": services.url_for(out.get("caption_ass")),
        "created_at": int(video.created_at),
        "duration": video.duration,
        "error": error,
        "gif_url": services.url_for(out.get("gif")),
        "thumbnail_url": services.url_for(out.get("thumbnail")),
        "video_url": services.url_for(out.get("video")),
        "video_url_caption": services.url_for(out.get("video_caption")),
        "folder_id": video.folder_id,
        "progress": int(video.progress or 0),
    }


def video_list_item(video: Video) -> dict[str, Any]:
    return {
        "video_id": video.id,
        "video_title": video.title or "",
        "status": LIST_STATUS.get(video.status, video.status),
        "created_at": int(video.created_at),
        "type": "GENERATED",
        "folder_id": video.folder_id,
    }

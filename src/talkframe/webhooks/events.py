"""HeyGen's webhook bodies: `{"event_type", "event_data", "event"}` for a finished video.

`event` repeats `event_type` because a popular HeyGen client (n8n's trigger) reads `body.event`.
"""

from __future__ import annotations

import json
from typing import Any

from talkframe.db.models import Video
from talkframe.services import Services

SUCCESS, FAIL = "avatar_video.success", "avatar_video.fail"
GIF_SUCCESS, GIF_FAIL = "avatar_video_gif.success", "avatar_video_gif.fail"
EVENT_TYPES = [SUCCESS, FAIL, GIF_SUCCESS, GIF_FAIL]


def encode(event_type: str, data: dict[str, Any]) -> str:
    """The exact body that is sent and signed: compact JSON."""
    return json.dumps({"event_type": event_type, "event_data": data, "event": event_type}, separators=(",", ":"))


def video_events(video: Video, services: Services, share_url: str | None) -> list[tuple[str, str]]:
    """(event_type, body) pairs for a video that just completed or failed."""
    if video.status == "completed":
        out = video.outputs or {}
        gif = services.url_for(out.get("gif"))
        data = {"video_id": video.id, "url": services.url_for(out.get("video")), "callback_id": video.callback_id,
                "gif_download_url": gif, "thumbnail_url": services.url_for(out.get("thumbnail")),
                "video_share_page_url": share_url, "folder_id": video.folder_id, "duration": video.duration,
                "caption_url": services.url_for(out.get("caption_ass"))}
        gif_data = {"video_id": video.id, "url": gif, "callback_id": video.callback_id, "folder_id": video.folder_id}
        return [(SUCCESS, encode(SUCCESS, data)), (GIF_SUCCESS, encode(GIF_SUCCESS, gif_data))]
    data = {"video_id": video.id, "msg": video.error_message, "callback_id": video.callback_id,
            "error_code": video.error_code, "folder_id": video.folder_id}
    return [(FAIL, encode(FAIL, data)), (GIF_FAIL, encode(GIF_FAIL, data))]

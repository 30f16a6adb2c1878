"""v3 webhook events: `{"event_id", "event_type", "event", "event_data", "created_at"}` bodies, the `Heygen-*`
headers, and the event log `GET /v3/webhooks/events` reads.

Registered v3 endpoints get `Heygen-Signature` (hex HMAC-SHA256 of the exact body under the `whsec_` secret, the
prefix included), `Heygen-Timestamp` (Unix seconds at dispatch) and `Heygen-Event-Id`, plus the same signature as
`Signature` and `X-HeyGen-Signature` for older receivers; a v3 video's `callback_url` gets the same body unsigned.
v3 deliveries are retried with the usual backoff until 24 hours after the event.
"""

from __future__ import annotations

import contextlib
import json
import time
import uuid
from datetime import UTC, datetime
from typing import Any

from sqlalchemy.orm import Session

from talkframe.core.clock import now
from talkframe.db.models import Video
from talkframe.db.webhooks import record_event
from talkframe.services import Services
from talkframe.webhooks.events import FAIL, GIF_FAIL, GIF_SUCCESS, SUCCESS

RETRY_WINDOW_SECONDS = 24 * 3600
EVENT_TYPES = {
    SUCCESS: "Avatar video completed successfully.",
    FAIL: "Avatar video generation failed.",
    GIF_SUCCESS: "Avatar video GIF preview is ready.",
    GIF_FAIL: "Avatar video GIF preview failed.",
}
FAILURE_CODES = {40119: "video_too_long", 400652: "download_failed", 400621: "invalid_media",
                 400624: "invalid_media", 40044: "invalid_media", 40010: "invalid_media"}


def iso(t: float) -> str:
    return datetime.fromtimestamp(t, UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def is_v3_video(video: Video) -> bool:
    return bool((video.request or {}).get("talkframe_v3"))


def failure_code(video: Video) -> str:
    return FAILURE_CODES.get(video.error_code or 0, "rendering_failed")


def _event_data(video: Video, services: Services, share_url: str | None) -> list[tuple[str, dict[str, Any]]]:
    out = video.outputs or {}
    if video.status == "completed":
        gif = services.url_for(out.get("gif"))
        url = services.url_for(out.get("video_webm") or out.get("video"))
        data = {"video_id": video.id, "url": url, "gif_download_url": gif,
                "video_page_url": share_url, "video_share_page_url": share_url, "folder_id": video.folder_id,
                "callback_id": video.callback_id, "duration": video.duration,
                "thumbnail_url": services.url_for(out.get("thumbnail")),
                "subtitle_url": services.url_for(out.get("caption_srt")),
                "captioned_video_url": services.url_for(out.get("video_caption"))}
        gif_data = {"video_id": video.id, "url": gif, "gif_download_url": gif, "callback_id": video.callback_id,
                    "folder_id": video.folder_id}
        return [(SUCCESS, data), (GIF_SUCCESS, gif_data)]
    data = {"video_id": video.id, "msg": video.error_message, "failure_code": failure_code(video),
            "failure_message": video.error_message, "callback_id": video.callback_id, "folder_id": video.folder_id}
    return [(FAIL, data), (GIF_FAIL, data)]


def record_events(session: Session, video: Video, services: Services,
                  share_url: str | None) -> list[tuple[str, str]]:
    """Store the video's v3 events (the event log) and return (event_type, exact body) pairs to deliver."""
    t = now()
    bodies = []
    for event_type, data in _event_data(video, services, share_url):
        event_id = "evt_" + uuid.uuid4().hex
        record_event(session, event_id, video.account_id, event_type, video.id, data, t)
        body = json.dumps({"event_id": event_id, "event_type": event_type, "event": event_type, "event_data": data,
                           "created_at": iso(t)}, separators=(",", ":"))
        bodies.append((event_type, body))
    return bodies


def headers(body: str, signature: str | None) -> dict[str, str]:
    """The Heygen-* headers of one attempt (the timestamp is the dispatch time, outside the signature)."""
    out = {"Heygen-Timestamp": str(int(time.time()))}
    with contextlib.suppress(ValueError, KeyError, TypeError):
        out["Heygen-Event-Id"] = str(json.loads(body)["event_id"])
    if signature is not None:
        out["Heygen-Signature"] = signature
    return out


def keep_retrying(created_at: float) -> bool:
    return now() < created_at + RETRY_WINDOW_SECONDS

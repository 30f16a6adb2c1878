"""How every render ends, whichever path ran it (embedded runner or Celery join): outputs stored and the row
completed, or the row failed with a HeyGen error code; webhooks are queued in the same transaction.
"""

from __future__ import annotations

import logging
import uuid

from sqlalchemy.orm import Session

from talkframe.core.errors import INTERNAL_RENDER_ERROR, VIDEO_TOO_LONG, RenderError
from talkframe.db import videos as repo
from talkframe.db.session import session_scope
from talkframe.jobs import render_metrics
from talkframe.jobs.webm import add_alpha_webm
from talkframe.render.join import RenderOutputs
from talkframe.services import Services
from talkframe.webhooks.delivery import enqueue_video_events

log = logging.getLogger(__name__)


def announce(session: Session, video_id: str, services: Services) -> None:
    """Store the video's webhook deliveries in the transaction that records its outcome (nothing is lost)."""
    video = repo.get(session, video_id, fresh=True)
    if video is not None:
        enqueue_video_events(session, video, services)


def publish_outputs(services: Services, video_id: str, worker_id: str, outputs: RenderOutputs,
                    render_seconds: float | None = None) -> bool:
    """Store the outputs under `videos/{id}/` and complete the row; False when the row stopped being ours.

    `render_seconds` (compute time of the whole video) feeds the render-time and RTF metrics.

    Raises RenderError (VIDEO_TOO_LONG) before storing anything when the video exceeds the configured limit.
    """
    if outputs.duration > services.settings.max_video_seconds:
        raise RenderError(VIDEO_TOO_LONG, f"Video is too long (> {services.settings.max_video_seconds:.1f}s)")
    add_alpha_webm(services, video_id, outputs)  # v3 output_format webm only
    prefix = f"videos/{video_id}"
    keys = {
        "video": services.storage.put_file(f"{prefix}/video.mp4", outputs.video),
        "thumbnail": services.storage.put_file(f"{prefix}/thumbnail.jpg", outputs.thumbnail),
        "gif": services.storage.put_file(f"{prefix}/preview.gif", outputs.gif),
    }
    for name, path in outputs.extra.items():  # captions: caption_ass/srt/vtt, video_caption
        keys[name] = services.storage.put_file(f"{prefix}/{path.name}", path)
    with session_scope(services.db_url) as session:
        done = repo.complete(session, video_id, worker_id, keys, outputs.duration)
        if done:
            announce(session, video_id, services)
    if done and render_seconds is not None:
        render_metrics.observe("video", render_seconds, outputs.duration)
    return done


def record_failure(services: Services, video_id: str, worker_id: str | None, exc: BaseException) -> bool:
    """End the row `failed`: a RenderError keeps its code and message, anything else is an internal error."""
    if isinstance(exc, RenderError):
        log.warning("video %s failed: %s", video_id, exc.message)
        code, message, detail = exc.code, exc.message, exc.detail
    else:  # a bug: the traceback goes to the log under an error id; the client gets the id, nothing internal
        error_id = uuid.uuid4().hex[:16]
        log.error("video %s crashed (error id %s)", video_id, error_id, exc_info=exc)
        code, message = INTERNAL_RENDER_ERROR, "Internal error while rendering the video"
        detail = f"{message} (error id {error_id}); the server log has the details under this id"
    with session_scope(services.db_url) as session:
        done = repo.fail(session, video_id, code, message, detail, worker_id)
        if done:
            announce(session, video_id, services)
    return done

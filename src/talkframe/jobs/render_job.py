"""One video's render job: request in the database -> outputs in storage -> row completed or failed.

Shared by the embedded runner (and later the Celery worker): it never raises, every failure ends the row `failed`
with a HeyGen-style code and a message a user can act on.
"""

from __future__ import annotations

import logging
import shutil
import traceback
from collections.abc import Callable

from talkframe.core.errors import INTERNAL_RENDER_ERROR, VIDEO_TOO_LONG, RenderError
from talkframe.db import videos as repo
from talkframe.db.models import Video
from talkframe.db.session import session_scope
from talkframe.jobs.resolver import AccountResolver
from talkframe.render.pipeline import render_video
from talkframe.request import GenerateRequest
from talkframe.services import Services

log = logging.getLogger(__name__)


class Cancelled(Exception):
    """The row stopped being ours mid-render (deleted, or re-queued by another process)."""


def run_render(services: Services, video: Video, worker_id: str,
               on_finished: Callable[[str], None] | None = None) -> None:
    work_dir = services.settings.data_dir / "work" / video.id
    last = {"progress": 1}

    def progress(fraction: float) -> None:
        pct = max(1, min(99, int(fraction * 100)))
        if pct == last["progress"]:
            return
        last["progress"] = pct
        with session_scope(services.db_url) as session:
            if not repo.heartbeat(session, video.id, worker_id, pct):
                raise Cancelled(video.id)

    try:
        request = GenerateRequest.model_validate(video.request)
        resolver = AccountResolver(services, video.account_id, work_dir / "inputs")
        outputs = render_video(request, resolver, work_dir / "out", progress=progress)
        if outputs.duration > services.settings.max_video_seconds:
            raise RenderError(VIDEO_TOO_LONG,
                              f"Video is too long (> {services.settings.max_video_seconds:.1f}s)")
        prefix = f"videos/{video.id}"
        keys = {
            "video": services.storage.put_file(f"{prefix}/video.mp4", outputs.video),
            "thumbnail": services.storage.put_file(f"{prefix}/thumbnail.jpg", outputs.thumbnail),
            "gif": services.storage.put_file(f"{prefix}/preview.gif", outputs.gif),
        }
        with session_scope(services.db_url) as session:
            repo.complete(session, video.id, worker_id, keys, outputs.duration)
    except Cancelled:
        log.info("video %s was deleted or re-queued during its render", video.id)
        return
    except RenderError as exc:
        log.warning("video %s failed: %s", video.id, exc.message)
        with session_scope(services.db_url) as session:
            repo.fail(session, video.id, exc.code, exc.message, exc.detail, worker_id)
    except Exception as exc:  # noqa: BLE001 - any bug must still end the video failed, not stuck
        log.exception("video %s crashed", video.id)
        with session_scope(services.db_url) as session:
            repo.fail(session, video.id, INTERNAL_RENDER_ERROR, "Internal error while rendering the video",
                      f"{type(exc).__name__}: {exc}\n{traceback.format_exc(limit=3)}", worker_id)
    finally:
        shutil.rmtree(work_dir, ignore_errors=True)
    if on_finished is not None:
        on_finished(video.id)

"""One video's render job: request in the database -> outputs in storage -> row completed or failed.

Shared by the embedded runner (and later the Celery worker): it never raises, every failure ends the row `failed`
with a HeyGen-style code and a message a user can act on.
"""

from __future__ import annotations

import logging
import shutil
import time
from collections.abc import Callable

from talkframe.db import videos as repo
from talkframe.db.models import Video
from talkframe.db.session import session_scope
from talkframe.jobs.publish import announce, publish_outputs, record_failure
from talkframe.render.pipeline import render_video
from talkframe.request import GenerateRequest
from talkframe.resolve.account import AccountResolver
from talkframe.services import Services

__all__ = ["Cancelled", "announce", "run_render"]

log = logging.getLogger(__name__)


HEARTBEAT_SECONDS = 15.0


class Cancelled(Exception):
    """The row stopped being ours mid-render (deleted, or re-queued by another process)."""


def run_render(services: Services, video: Video, worker_id: str,
               on_finished: Callable[[str], None] | None = None) -> None:
    work_dir = services.settings.data_dir / "work" / video.id
    last = {"progress": 1, "beat": time.monotonic()}

    def progress(fraction: float) -> None:
        """Store progress when it moves, and beat the heart at least every 15 s so a long step is never taken
        for a dead worker."""
        pct = max(1, min(99, int(fraction * 100)))
        if pct == last["progress"] and time.monotonic() - last["beat"] < HEARTBEAT_SECONDS:
            return
        last["progress"], last["beat"] = pct, time.monotonic()
        with session_scope(services.db_url) as session:
            if not repo.heartbeat(session, video.id, worker_id, pct):
                raise Cancelled(video.id)

    try:
        request = GenerateRequest.model_validate(video.request)
        resolver = AccountResolver(services, video.account_id, work_dir / "inputs")
        started = time.monotonic()
        outputs = render_video(request, resolver, work_dir / "out", progress=progress,
                               processes=services.settings.scene_processes)
        publish_outputs(services, video.id, worker_id, outputs, render_seconds=time.monotonic() - started)
    except Cancelled:
        log.info("video %s was deleted or re-queued during its render", video.id)
        return
    except Exception as exc:  # noqa: BLE001 - any bug must still end the video failed, not stuck
        record_failure(services, video.id, worker_id, exc)
    finally:
        shutil.rmtree(work_dir, ignore_errors=True)
    if on_finished is not None:
        on_finished(video.id)

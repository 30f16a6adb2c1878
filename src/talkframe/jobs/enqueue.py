"""The API side of scale-out: hand pending videos to Celery as a chord (one task per scene, then a join).

`CeleryEnqueuer` has the embedded runner's interface (start, wake, stop), so `talkframe serve` swaps one for the
other when a broker is configured and the generate route's `wake_workers()` needs no change. A small loop claims
pending rows (the same atomic conditional UPDATE as the runner, so several API replicas never double-send) and
sends each one; it also picks up rows stored while the broker was unreachable or before a restart.
"""

from __future__ import annotations

import logging
import time
import uuid

from celery import chord
from sqlalchemy import update

from talkframe.core.clock import now
from talkframe.core.loop import PollingLoop
from talkframe.db import video_avatars
from talkframe.db import videos as repo
from talkframe.db.models import Video, VideoAvatar
from talkframe.db.session import session_scope
from talkframe.jobs.runner import RECOVER_EVERY_SECONDS, recover_abandoned
from talkframe.services import Services

log = logging.getLogger(__name__)


def send_video(video_id: str, n_scenes: int, claim: str) -> None:
    """Queue scenes 0..n-1 and the join that runs when all of them are done."""
    from talkframe.jobs.tasks import join_video_task, render_scene_task

    header = [render_scene_task.si(video_id, index, claim) for index in range(n_scenes)]
    chord(header)(join_video_task.si(video_id, claim))


def dispatch_pending(services: Services) -> list[str]:
    """Claim every pending video (and video avatar to train) and send it to Celery; returns the ids sent."""
    sent: list[str] = dispatch_trainings(services)
    while True:
        claim = f"celery:{uuid.uuid4().hex[:16]}"
        with session_scope(services.db_url) as session:
            video = repo.claim_next(session, claim)
            if video is None:
                return sent
            n_scenes = len((video.request or {}).get("video_inputs") or [])
        try:
            send_video(video.id, max(1, n_scenes), claim)
        except Exception:
            _unclaim(services, Video, video.id, claim)
            raise
        sent.append(video.id)


def dispatch_trainings(services: Services) -> list[str]:
    """Claim every pending video avatar and send its training task."""
    from talkframe.jobs.tasks import train_video_avatar_task

    sent: list[str] = []
    while True:
        claim = f"celery:{uuid.uuid4().hex[:16]}"
        with session_scope(services.db_url) as session:
            row = video_avatars.claim_next(session, claim)
        if row is None:
            return sent
        try:
            train_video_avatar_task.delay(row.id, claim)
        except Exception:
            _unclaim(services, VideoAvatar, row.id, claim)
            raise
        sent.append(row.id)


def _unclaim(services: Services, model: type[Video] | type[VideoAvatar], row_id: str, claim: str) -> None:
    """The broker refused the task: back to pending, to be sent on the next pass."""
    with session_scope(services.db_url) as session:
        session.execute(update(model).where(model.id == row_id, model.worker_id == claim)
                        .values(status="pending", worker_id=None, progress=0, updated_at=now(),
                                attempts=model.attempts - 1))


class CeleryEnqueuer(PollingLoop):
    name = "talkframe-enqueuer"

    def __init__(self, services: Services, poll_seconds: float = 0.5) -> None:
        super().__init__(poll_seconds)
        self.services = services
        self._last_recover = 0.0

    def tick(self, index: int) -> bool:
        if time.time() - self._last_recover > RECOVER_EVERY_SECONDS:
            # a video whose chord was lost (broker data gone) has a stale heartbeat: back to pending, sent again
            self._last_recover = time.time()
            recover_abandoned(self.services)
        sent = dispatch_pending(self.services)
        if sent:
            log.info("sent %d job(s) to the render queue: %s", len(sent), sent)
        return False  # everything pending was sent: wait for the next wake-up or poll

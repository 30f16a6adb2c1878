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
from collections.abc import Callable
from typing import Any

from celery import chord
from sqlalchemy.orm import Session

from talkframe.core.loop import PollingLoop
from talkframe.db import video_avatars
from talkframe.db import videos as repo
from talkframe.db.claims import unclaim
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

    def send(video: Video, claim: str) -> None:
        send_video(video.id, max(1, len((video.request or {}).get("video_inputs") or [])), claim)

    return dispatch_trainings(services) + _dispatch(services, Video, repo.claim_next, send)


def dispatch_trainings(services: Services) -> list[str]:
    """Claim every pending video avatar and send its training task."""
    from talkframe.jobs.tasks import train_video_avatar_task

    return _dispatch(services, VideoAvatar, video_avatars.claim_next,
                     lambda row, claim: train_video_avatar_task.delay(row.id, claim))


def _dispatch(services: Services, model: type[Video] | type[VideoAvatar],
              claim_next: Callable[[Session, str], Any], send: Callable[[Any, str], object]) -> list[str]:
    """Claim the pending rows of `model` one at a time and `send` each; a row whose task the broker refuses goes
    back to pending (to be sent on the next pass) and the error propagates. Returns the ids sent."""
    sent: list[str] = []
    while True:
        claim = f"celery:{uuid.uuid4().hex[:16]}"
        with session_scope(services.db_url) as session:
            row = claim_next(session, claim)
        if row is None:
            return sent
        try:
            send(row, claim)
        except Exception:
            with session_scope(services.db_url) as session:
                unclaim(session, model, row.id, claim)
            raise
        sent.append(row.id)


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

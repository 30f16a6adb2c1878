"""Video rows and their life cycle: pending -> processing -> completed | failed (claiming: `db/claims.py`)."""

from __future__ import annotations

from sqlalchemy import Select, case, func, select, update
from sqlalchemy.orm import Session

from talkframe.core.clock import now
from talkframe.core.errors import WORKER_DIED
from talkframe.core.ids import new_id
from talkframe.db import claims
from talkframe.db.claims import abandoned, claim_oldest, requeue
from talkframe.db.models import Video

MAX_ATTEMPTS = 3


def create_video(session: Session, account_id: str, request: dict, *, title: str | None,
                 callback_id: str | None, callback_url: str | None, folder_id: str | None,
                 test: bool) -> Video:
    t = now()
    video = Video(id=new_id(), account_id=account_id, title=title, request=request, status="pending",
                  progress=0, outputs={}, callback_id=callback_id, callback_url=callback_url,
                  folder_id=folder_id, test=test, attempts=0, created_at=t, updated_at=t)
    session.add(video)
    session.flush()
    return video


def get(session: Session, video_id: str, *, fresh: bool = False) -> Video | None:
    """The row (any account's: for workers); `fresh` reloads it from the database."""
    return session.get(Video, video_id, populate_existing=fresh)


def delete(session: Session, video: Video) -> None:
    session.delete(video)
    session.flush()


def versions(session: Session, video_ids: list[str]) -> dict[str, float]:
    """`updated_at` of each of `video_ids` that still exists: one query however many are asked for."""
    return dict(session.execute(select(Video.id, Video.updated_at).where(Video.id.in_(video_ids))).all())


def get_many(session: Session, video_ids: list[str]) -> list[Video]:
    return list(session.scalars(select(Video).where(Video.id.in_(video_ids))))


def claim_next(session: Session, worker_id: str) -> Video | None:
    """Take the oldest pending video for `worker_id`, or None when there is nothing to do."""
    return claim_oldest(session, Video, worker_id, "processing")


def heartbeat(session: Session, video_id: str, worker_id: str, progress: int) -> bool:
    """Record liveness and progress; False if the video is no longer ours (deleted or re-queued)."""
    return claims.heartbeat(session, Video, video_id, worker_id, "processing", progress)


def advance_progress(session: Session, video_id: str, worker_id: str, pct: int) -> None:
    """Raise progress to `pct` (never lower it: scenes finish in any order on any worker) and beat the heart."""
    session.execute(update(Video)
                    .where(Video.id == video_id, Video.worker_id == worker_id, Video.status == "processing")
                    .values(heartbeat_at=now(), updated_at=now(),
                            progress=case((Video.progress < pct, pct), else_=Video.progress)))


def complete(session: Session, video_id: str, worker_id: str, outputs: dict, duration: float) -> bool:
    t = now()
    result = session.execute(
        update(Video)
        .where(Video.id == video_id, Video.worker_id == worker_id, Video.status == "processing")
        .values(status="completed", outputs=outputs, duration=duration, progress=100, updated_at=t,
                completed_at=t, error_code=None, error_message=None, error_detail=None)
    )
    return result.rowcount == 1


def fail(session: Session, video_id: str, code: int, message: str, detail: str | None,
         worker_id: str | None = None) -> bool:
    t = now()
    stmt = update(Video).where(Video.id == video_id, Video.status.in_(("pending", "processing")))
    if worker_id is not None:
        stmt = stmt.where(Video.worker_id == worker_id)
    result = session.execute(
        stmt.values(status="failed", error_code=code, error_message=message, error_detail=detail or message,
                    updated_at=t, completed_at=t)
    )
    return result.rowcount == 1


def requeue_abandoned(session: Session, dead_worker_prefixes: list[str],
                      stale_before: float) -> tuple[list[str], list[str]]:
    """Put `processing` videos whose worker is gone back to `pending` (or fail them after MAX_ATTEMPTS).

    A worker is gone when its id starts with one of `dead_worker_prefixes` (a dead process on this host) or its
    heartbeat is older than `stale_before`. Returns (re-queued ids, failed ids); the caller announces the failed ones.
    """
    requeued: list[str] = []
    failed: list[str] = []
    for video in abandoned(session, Video, "processing", dead_worker_prefixes, stale_before):
        if video.attempts >= MAX_ATTEMPTS:
            video.status, video.error_code = "failed", WORKER_DIED
            video.error_message = f"Rendering stopped {video.attempts} times without finishing"
            video.error_detail = "The render worker died repeatedly on this video; it was not retried again."
            video.completed_at = video.updated_at = now()
            failed.append(video.id)
        else:
            requeue(video)
            requeued.append(video.id)
    return requeued, failed


def videos_query(account_id: str, folder_id: str | None, *, title_like: str | None = None,
                 title_contains: str | None = None) -> Select:
    """The account's videos, newest first (optionally one folder's; `title_like`: titles that contain the text,
    any case, `%` and `_` matched literally; `title_contains`: SQL `LIKE '%text%'`)."""
    stmt = select(Video).where(Video.account_id == account_id)
    if folder_id:
        stmt = stmt.where(Video.folder_id == folder_id)
    if title_like:
        escaped = title_like.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        stmt = stmt.where(Video.title.ilike(f"%{escaped}%", escape="\\"))
    if title_contains:
        stmt = stmt.where(Video.title.contains(title_contains))
    return stmt.order_by(Video.created_at.desc(), Video.id)


def used_seconds(session: Session, account_id: str) -> float:
    """Seconds of non-test video rendered by the account (test videos cost nothing, as on HeyGen)."""
    total = session.scalar(select(func.coalesce(func.sum(Video.duration), 0.0)).where(
        Video.account_id == account_id, Video.status == "completed", Video.test.is_(False)))
    return float(total or 0.0)


def in_flight(session: Session, account_id: str) -> int:
    """The account's videos queued or rendering."""
    return session.scalar(select(func.count()).where(
        Video.account_id == account_id, Video.status.in_(("pending", "processing"))))


def count_by_status(session: Session) -> dict[str, int]:
    return dict(session.execute(select(Video.status, func.count()).group_by(Video.status)).all())

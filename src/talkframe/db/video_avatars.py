"""Video-avatar rows: pending -> training -> ready | failed."""

from __future__ import annotations

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from talkframe.core.clock import now
from talkframe.core.ids import new_id
from talkframe.db import claims
from talkframe.db.models import VideoAvatar

BUSY = "training"
MAX_ATTEMPTS = 3


def create(session: Session, account_id: str, name: str, source_key: str, transcript: str | None,
           avatar_id: str | None = None) -> VideoAvatar:
    t = now()
    row = VideoAvatar(id=avatar_id or new_id(), account_id=account_id, name=name, status="pending", progress=0,
                      source_key=source_key, transcript=transcript, attempts=0, created_at=t, updated_at=t)
    session.add(row)
    session.flush()
    return row


def get(session: Session, avatar_id: str) -> VideoAvatar | None:
    return session.get(VideoAvatar, avatar_id)


def list_owned(session: Session, account_id: str, ready_only: bool = False) -> list[VideoAvatar]:
    stmt = select(VideoAvatar).where(VideoAvatar.account_id == account_id)
    if ready_only:
        stmt = stmt.where(VideoAvatar.status == "ready")
    return list(session.scalars(stmt.order_by(VideoAvatar.created_at.desc())))


def claim_next(session: Session, worker_id: str) -> VideoAvatar | None:
    return claims.claim_oldest(session, VideoAvatar, worker_id, BUSY)


def heartbeat(session: Session, avatar_id: str, worker_id: str, progress: int) -> bool:
    return claims.heartbeat(session, VideoAvatar, avatar_id, worker_id, BUSY, progress)


def finish(session: Session, avatar_id: str, worker_id: str, **values: object) -> bool:
    """End a training run we own: `status` ready (with model/preview keys) or failed (with error fields)."""
    result = session.execute(
        update(VideoAvatar).where(VideoAvatar.id == avatar_id, VideoAvatar.worker_id == worker_id,
                                  VideoAvatar.status == BUSY).values(updated_at=now(), **values)
    )
    return result.rowcount == 1


def requeue_abandoned(session: Session, dead_worker_prefixes: list[str], stale_before: float) -> list[str]:
    requeued = []
    for row in claims.abandoned(session, VideoAvatar, BUSY, dead_worker_prefixes, stale_before):
        if row.attempts >= MAX_ATTEMPTS:
            row.status, row.error_code, row.updated_at = "failed", "worker_died", now()
            row.error_message = f"Training stopped {row.attempts} times without finishing"
        else:
            claims.requeue(row)
            requeued.append(row.id)
    return requeued

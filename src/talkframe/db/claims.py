"""Work queues kept in database tables (videos to render, avatars to train), shared by any number of workers.

Claiming is a conditional UPDATE (`... WHERE id = ? AND status = 'pending'`), atomic on SQLite and PostgreSQL
alike, so workers can race for the same row and exactly one wins. Rows whose worker died go back to `pending`.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from talkframe.core.clock import now


def claim_oldest(session: Session, model: Any, worker_id: str, busy_status: str) -> Any | None:
    """Move the oldest `pending` row of `model` to `busy_status` for `worker_id`; None when there is none."""
    for _ in range(5):
        candidate = session.scalar(
            select(model.id).where(model.status == "pending").order_by(model.created_at).limit(1)
        )
        if candidate is None:
            return None
        t = now()
        result = session.execute(
            update(model)
            .where(model.id == candidate, model.status == "pending")
            .values(status=busy_status, worker_id=worker_id, heartbeat_at=t, updated_at=t,
                    attempts=model.attempts + 1, progress=1)
        )
        session.commit()
        if result.rowcount == 1:
            return session.get(model, candidate, populate_existing=True)
    return None


def heartbeat(session: Session, model: Any, row_id: str, worker_id: str, busy_status: str, progress: int) -> bool:
    """Record liveness and progress; False if the row is no longer ours (deleted or re-queued)."""
    result = session.execute(
        update(model)
        .where(model.id == row_id, model.worker_id == worker_id, model.status == busy_status)
        .values(heartbeat_at=now(), updated_at=now(), progress=progress)
    )
    session.commit()
    return result.rowcount == 1


def abandoned(session: Session, model: Any, busy_status: str, dead_worker_prefixes: list[str],
              stale_before: float) -> list[Any]:
    """`busy_status` rows whose worker is gone: a dead process of this host, or a heartbeat older than
    `stale_before`."""
    rows = session.scalars(select(model).where(model.status == busy_status)).all()
    return [r for r in rows if any((r.worker_id or "").startswith(p) for p in dead_worker_prefixes)
            or (r.heartbeat_at or 0) < stale_before]


def busy_worker_ids(session: Session, model: Any, busy_status: str) -> list[str]:
    """The worker ids on `busy_status` rows of `model`."""
    return [w for w in session.scalars(select(model.worker_id).where(model.status == busy_status)) if w]


def unclaim(session: Session, model: Any, row_id: str, worker_id: str) -> None:
    """Undo a claim that was never started (the task could not be sent): back to pending, the attempt uncounted."""
    session.execute(update(model).where(model.id == row_id, model.worker_id == worker_id)
                    .values(status="pending", worker_id=None, progress=0, updated_at=now(),
                            attempts=model.attempts - 1))


def requeue(row: Any) -> None:
    row.status, row.worker_id, row.progress, row.updated_at = "pending", None, 0, now()

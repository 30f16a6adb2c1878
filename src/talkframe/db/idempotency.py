"""v3 `Idempotency-Key` rows: claimed while the first request runs, then its answer kept until `expires_at`."""

from __future__ import annotations

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from talkframe.core.ids import new_id
from talkframe.db.models import IdempotencyKey


def find(session: Session, account_id: str, scope: str, key: str) -> IdempotencyKey | None:
    return session.scalar(select(IdempotencyKey).where(
        IdempotencyKey.account_id == account_id, IdempotencyKey.scope == scope, IdempotencyKey.key == key))


def create(session: Session, account_id: str, scope: str, key: str, created_at: float,
           expires_at: float) -> IdempotencyKey:
    """An `in_progress` claim; a concurrent claim of the same key fails the flush with IntegrityError."""
    row = IdempotencyKey(id=new_id(), account_id=account_id, scope=scope, key=key, status="in_progress",
                         created_at=created_at, expires_at=expires_at)
    session.add(row)
    session.flush()
    return row


def discard(session: Session, row: IdempotencyKey) -> None:
    session.delete(row)
    session.flush()


def get(session: Session, row_id: str) -> IdempotencyKey | None:
    return session.get(IdempotencyKey, row_id)


def remove(session: Session, row_id: str) -> None:
    session.execute(delete(IdempotencyKey).where(IdempotencyKey.id == row_id))

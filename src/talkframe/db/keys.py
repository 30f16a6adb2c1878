"""API keys: only a SHA-256 of each key is stored; the key is shown once, at creation."""

from __future__ import annotations

import hashlib
import secrets

from sqlalchemy import select
from sqlalchemy.orm import Session

from talkframe.core.clock import now
from talkframe.core.ids import new_id
from talkframe.db.models import ApiKey


def hash_key(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def create_key(session: Session, name: str = "", account_id: str | None = None) -> tuple[ApiKey, str]:
    """Create a key (in a new account unless one is given); returns the row and the plain key."""
    plain = "tf_" + secrets.token_urlsafe(32)
    row = ApiKey(id=new_id(), account_id=account_id or new_id(), name=name, key_hash=hash_key(plain),
                 prefix=plain[:10], created_at=now())
    session.add(row)
    session.flush()
    return row, plain


def find_key(session: Session, plain: str) -> ApiKey | None:
    row = session.scalar(select(ApiKey).where(ApiKey.key_hash == hash_key(plain)))
    return row if row is not None and row.revoked_at is None else None


def list_keys(session: Session) -> list[ApiKey]:
    return list(session.scalars(select(ApiKey).order_by(ApiKey.created_at)))


def revoke_key(session: Session, key_id: str) -> bool:
    row = session.get(ApiKey, key_id)
    if row is None or row.revoked_at is not None:
        return False
    row.revoked_at = now()
    return True


def any_active_key(session: Session) -> bool:
    return session.scalar(select(ApiKey.id).where(ApiKey.revoked_at.is_(None)).limit(1)) is not None

"""Talking-photo rows: an uploaded portrait (face checked at upload) that animates as a `talking_photo`."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from talkframe.core.clock import now
from talkframe.db.models import TalkingPhoto


def create(session: Session, photo_id: str, account_id: str, name: str, image_key: str,
           faces_found: int) -> TalkingPhoto:
    row = TalkingPhoto(id=photo_id, account_id=account_id, name=name, image_key=image_key, faces_found=faces_found,
                       created_at=now())
    session.add(row)
    session.flush()
    return row


def get(session: Session, photo_id: str) -> TalkingPhoto | None:
    return session.get(TalkingPhoto, photo_id)


def list_owned(session: Session, account_id: str) -> list[TalkingPhoto]:
    """The account's uploads, newest first."""
    return list(session.scalars(select(TalkingPhoto).where(TalkingPhoto.account_id == account_id)
                                .order_by(TalkingPhoto.created_at.desc())))

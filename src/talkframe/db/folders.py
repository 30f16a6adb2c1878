"""Folder rows: names for grouping videos and assets (one level of `parent_id`)."""

from __future__ import annotations

from sqlalchemy import Select, select
from sqlalchemy.orm import Session

from talkframe.core.clock import now
from talkframe.core.ids import new_id
from talkframe.db.models import Folder


def create(session: Session, account_id: str, name: str, project_type: str = "mixed",
           parent_id: str | None = None) -> Folder:
    t = now()
    folder = Folder(id=new_id(), account_id=account_id, name=name, project_type=project_type, parent_id=parent_id,
                    created_at=t, updated_at=t)
    session.add(folder)
    session.flush()
    return folder


def rename(folder: Folder, name: str) -> None:
    folder.name, folder.updated_at = name, now()


def folders_query(account_id: str, parent_id: str | None = None, name_contains: str | None = None) -> Select:
    """The account's folders, newest first (optionally one parent's, or those whose name contains a text)."""
    stmt = select(Folder).where(Folder.account_id == account_id)
    if parent_id:
        stmt = stmt.where(Folder.parent_id == parent_id)
    if name_contains:
        stmt = stmt.where(Folder.name.contains(name_contains))
    return stmt.order_by(Folder.created_at.desc(), Folder.id)


def list_by_name(session: Session, account_id: str) -> list[Folder]:
    return list(session.scalars(select(Folder).where(Folder.account_id == account_id).order_by(Folder.name)))

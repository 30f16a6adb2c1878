"""Asset rows: uploaded images, videos and audio, usable as `*_asset_id` in requests."""

from __future__ import annotations

from sqlalchemy import Select, select
from sqlalchemy.orm import Session

from talkframe.core.clock import now
from talkframe.db.models import Asset


def create(session: Session, asset_id: str, account_id: str, *, name: str, file_type: str, content_type: str,
           storage_key: str, size: int, folder_id: str | None = None) -> Asset:
    asset = Asset(id=asset_id, account_id=account_id, name=name, file_type=file_type, content_type=content_type,
                  storage_key=storage_key, size=size, folder_id=folder_id, created_at=now())
    session.add(asset)
    session.flush()
    return asset


def get(session: Session, asset_id: str) -> Asset | None:
    return session.get(Asset, asset_id)


def assets_query(account_id: str, file_types: tuple[str, ...] = (), folder_id: str | None = None) -> Select:
    """The account's assets, newest first (optionally only some file types, or one folder's)."""
    stmt = select(Asset).where(Asset.account_id == account_id)
    if file_types:
        stmt = stmt.where(Asset.file_type.in_(file_types))
    if folder_id:
        stmt = stmt.where(Asset.folder_id == folder_id)
    return stmt.order_by(Asset.created_at.desc(), Asset.id)


def list_owned(session: Session, account_id: str, file_types: tuple[str, ...] = ()) -> list[Asset]:
    return list(session.scalars(assets_query(account_id, file_types)))

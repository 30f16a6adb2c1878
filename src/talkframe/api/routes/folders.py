"""Folders: `GET /v1/folders`, `POST /v1/folders/create`, `POST /v1/folders/{id}` (rename)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Body, Query
from sqlalchemy import select
from sqlalchemy.orm import Session

from talkframe.api.deps import CallerDep, SessionDep
from talkframe.api.envelope import v1
from talkframe.api.pagination import page
from talkframe.core.clock import now
from talkframe.core.errors import ApiError
from talkframe.core.ids import new_id
from talkframe.db.models import Folder

router = APIRouter(tags=["folders"])
PROJECT_TYPES = ("video_translate", "instant_avatar", "video", "asset", "brand_kit", "mixed")


def folder_view(folder: Folder) -> dict[str, Any]:
    return {"id": folder.id, "name": folder.name, "project_type": folder.project_type,
            "parent_id": folder.parent_id, "created_ts": int(folder.created_at),
            "updated_ts": int(folder.updated_at)}


def require_folder(session: Session, account_id: str, folder_id: str) -> Folder:
    folder = session.get(Folder, folder_id)
    if folder is None or folder.account_id != account_id:
        raise ApiError(404, "folder_not_found", f"Folder {folder_id} not found", v1_code=400175)
    return folder


@router.get("/v1/folders", summary="List folders")
def list_folders(caller: CallerDep, session: SessionDep, limit: int = Query(default=100, ge=0, le=100),
                 token: str | None = None, parent_id: str | None = None, name_filter: str | None = None,
                 is_trash: bool = False) -> dict[str, Any]:
    stmt = select(Folder).where(Folder.account_id == caller.account_id)
    if parent_id:
        stmt = stmt.where(Folder.parent_id == parent_id)
    if name_filter:
        stmt = stmt.where(Folder.name.contains(name_filter))
    if is_trash:  # deleted folders are removed, so the trash is always empty
        return v1({"folders": [], "token": None})
    rows, next_token = page(session, stmt.order_by(Folder.created_at.desc(), Folder.id), limit, token)
    return v1({"folders": [folder_view(f) for f in rows], "token": next_token})


@router.post("/v1/folders/create", summary="Create a folder")
def create_folder(caller: CallerDep, session: SessionDep,
                  name: str = Body(..., embed=True, min_length=1, max_length=300),
                  project_type: str = Body("mixed", embed=True),
                  parent_id: str | None = Body(None, embed=True)) -> dict[str, Any]:
    if parent_id:
        require_folder(session, caller.account_id, parent_id)
    t = now()
    folder = Folder(id=new_id(), account_id=caller.account_id, name=name,
                    project_type=project_type if project_type in PROJECT_TYPES else "mixed", parent_id=parent_id,
                    created_at=t, updated_at=t)
    session.add(folder)
    session.flush()
    return v1(folder_view(folder))


@router.post("/v1/folders/{folder_id}", summary="Rename a folder")
def rename_folder(folder_id: str, caller: CallerDep, session: SessionDep,
                  name: str = Body(..., embed=True, min_length=1, max_length=300)) -> dict[str, Any]:
    folder = require_folder(session, caller.account_id, folder_id)
    folder.name, folder.updated_at = name, now()
    return v1(folder_view(folder))

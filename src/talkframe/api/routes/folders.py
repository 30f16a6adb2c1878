"""Folders: `GET /v1/folders`, `POST /v1/folders/create`, `POST /v1/folders/{id}` (rename)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Body
from sqlalchemy.orm import Session

from talkframe.api.deps import CallerDep, SessionDep
from talkframe.api.envelope import v1
from talkframe.api.pagination import PageLimit, page
from talkframe.core.errors import ApiError
from talkframe.db import folders as repo
from talkframe.db.models import Folder
from talkframe.db.owned import require_owned

router = APIRouter(tags=["folders"])
PROJECT_TYPES = ("video_translate", "instant_avatar", "video", "asset", "brand_kit", "mixed")
FolderName = Annotated[str, Body(embed=True, min_length=1, max_length=300)]


def folder_view(folder: Folder) -> dict[str, Any]:
    return {"id": folder.id, "name": folder.name, "project_type": folder.project_type,
            "parent_id": folder.parent_id, "created_ts": int(folder.created_at),
            "updated_ts": int(folder.updated_at)}


def require_folder(session: Session, account_id: str, folder_id: str) -> Folder:
    return require_owned(session, Folder, account_id, folder_id,
                         ApiError(404, "folder_not_found", f"Folder {folder_id} not found", v1_code=400175))


@router.get("/v1/folders", summary="List folders")
def list_folders(caller: CallerDep, session: SessionDep, limit: PageLimit = 100, token: str | None = None,
                 parent_id: str | None = None, name_filter: str | None = None,
                 is_trash: bool = False) -> dict[str, Any]:
    if is_trash:  # deleted folders are removed, so the trash is always empty
        return v1({"folders": [], "token": None})
    rows, next_token = page(session, repo.folders_query(caller.account_id, parent_id, name_filter), limit, token)
    return v1({"folders": [folder_view(f) for f in rows], "token": next_token})


@router.post("/v1/folders/create", summary="Create a folder")
def create_folder(caller: CallerDep, session: SessionDep, name: FolderName,
                  project_type: Annotated[str, Body(embed=True)] = "mixed",
                  parent_id: Annotated[str | None, Body(embed=True)] = None) -> dict[str, Any]:
    if parent_id:
        require_folder(session, caller.account_id, parent_id)
    folder = repo.create(session, caller.account_id, name,
                         project_type if project_type in PROJECT_TYPES else "mixed", parent_id)
    return v1(folder_view(folder))


@router.post("/v1/folders/{folder_id}", summary="Rename a folder")
def rename_folder(folder_id: str, caller: CallerDep, session: SessionDep, name: FolderName) -> dict[str, Any]:
    folder = require_folder(session, caller.account_id, folder_id)
    repo.rename(folder, name)
    return v1(folder_view(folder))

"""Assets: `POST /v1/asset` (raw body, also on the API host), list and delete. Ids work as `*_asset_id`."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool

from talkframe.api.deps import CallerDep, ServicesDep, SessionDep, run_db
from talkframe.api.envelope import v1
from talkframe.api.pagination import PageLimit, page
from talkframe.api.routes.folders import require_folder
from talkframe.api.uploads import check_label, receive_upload
from talkframe.core.errors import ApiError
from talkframe.core.ids import new_id
from talkframe.db import assets as repo
from talkframe.db.models import Asset
from talkframe.db.owned import require_owned
from talkframe.services import Services

router = APIRouter(tags=["assets"])


def asset_view(asset: Asset, services: Services) -> dict[str, Any]:
    ext = asset.storage_key.rsplit(".", 1)[-1]
    return {
        "id": asset.id,
        "name": asset.name,
        "file_type": asset.file_type,
        "folder_id": asset.folder_id or "",
        "meta": None,
        "image_key": f"image/{asset.id}/original.{ext}" if asset.file_type == "image" else None,
        "created_ts": int(asset.created_at),
        "url": services.url_for(asset.storage_key),
        "size": asset.size,
        "content_type": asset.content_type,
    }


@router.post("/v1/asset", summary="Upload an asset (raw file body with its Content-Type)")
async def upload_asset(request: Request, caller: CallerDep, services: ServicesDep, name: str | None = None,
                       folder_id: str | None = None) -> dict[str, Any]:
    check_label("name", name)
    if folder_id:
        await run_db(services, require_folder, caller.account_id, folder_id)
    upload = await receive_upload(request, services.settings.data_dir / "tmp")
    asset_id = new_id()
    try:
        key = await run_in_threadpool(services.storage.put_file, f"assets/{asset_id}/original.{upload.ext}",
                                      upload.path)
    finally:
        upload.path.unlink(missing_ok=True)
    asset = await run_db(services, lambda session: repo.create(
        session, asset_id, caller.account_id, name=name or f"{asset_id}.{upload.ext}", file_type=upload.file_type,
        content_type=upload.content_type, storage_key=key, size=upload.size, folder_id=folder_id))
    return {**v1(asset_view(asset, services)), "msg": None}


@router.get("/v1/asset/list", summary="List assets")
def list_assets(caller: CallerDep, session: SessionDep, services: ServicesDep, file_type: str | None = None,
                folder_id: str | None = None, limit: PageLimit = 100, token: str | None = None) -> dict[str, Any]:
    stmt = repo.assets_query(caller.account_id, (file_type,) if file_type else (), folder_id)
    rows, next_token = page(session, stmt, limit, token)
    return v1({"assets": [asset_view(a, services) for a in rows], "token": next_token})


def owned_asset(session: Session, account_id: str, asset_id: str) -> Asset:
    return require_owned(session, Asset, account_id, asset_id,
                         ApiError(404, "asset_not_found", f"Asset {asset_id} not found", v1_code=400175))


@router.post("/v1/asset/{asset_id}/delete", summary="Delete an asset")
@router.delete("/v1/asset/{asset_id}", summary="Delete an asset")
def delete_asset(asset_id: str, caller: CallerDep, session: SessionDep, services: ServicesDep) -> dict[str, Any]:
    asset = owned_asset(session, caller.account_id, asset_id)
    services.storage.delete_prefix(f"assets/{asset.id}")
    session.delete(asset)
    return v1(None)

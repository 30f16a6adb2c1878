"""Assets: `POST /v1/asset` (raw body, also on the API host), list and delete. Ids work as `*_asset_id`."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Query, Request
from sqlalchemy import select
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool

from talkframe.api.deps import CallerDep, ServicesDep, SessionDep, run_db
from talkframe.api.envelope import v1
from talkframe.api.pagination import page
from talkframe.api.routes.folders import require_folder
from talkframe.api.uploads import check_label, receive_upload
from talkframe.core.clock import now
from talkframe.core.errors import ApiError
from talkframe.core.ids import new_id
from talkframe.db.models import Asset
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
    asset = Asset(id=asset_id, account_id=caller.account_id, name=name or f"{asset_id}.{upload.ext}",
                  file_type=upload.file_type, content_type=upload.content_type, storage_key=key, size=upload.size,
                  folder_id=folder_id, created_at=now())
    await run_db(services, Session.add, asset)
    return {**v1(asset_view(asset, services)), "msg": None}


@router.get("/v1/asset/list", summary="List assets")
def list_assets(caller: CallerDep, session: SessionDep, services: ServicesDep, file_type: str | None = None,
                folder_id: str | None = None, limit: int = Query(default=100, ge=0, le=100),
                token: str | None = None) -> dict[str, Any]:
    stmt = select(Asset).where(Asset.account_id == caller.account_id)
    if file_type:
        stmt = stmt.where(Asset.file_type == file_type)
    if folder_id:
        stmt = stmt.where(Asset.folder_id == folder_id)
    rows, next_token = page(session, stmt.order_by(Asset.created_at.desc(), Asset.id), limit, token)
    return v1({"assets": [asset_view(a, services) for a in rows], "token": next_token})


def owned_asset(session: Session, account_id: str, asset_id: str) -> Asset:
    asset = session.get(Asset, asset_id)
    if asset is None or asset.account_id != account_id:
        raise ApiError(404, "asset_not_found", f"Asset {asset_id} not found", v1_code=400175)
    return asset


@router.post("/v1/asset/{asset_id}/delete", summary="Delete an asset")
@router.delete("/v1/asset/{asset_id}", summary="Delete an asset")
def delete_asset(asset_id: str, caller: CallerDep, session: SessionDep, services: ServicesDep) -> dict[str, Any]:
    asset = owned_asset(session, caller.account_id, asset_id)
    services.storage.delete_prefix(f"assets/{asset.id}")
    session.delete(asset)
    return v1(None)

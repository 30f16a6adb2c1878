"""Video avatars trained from a clip of a real person (talkframe's own endpoints: HeyGen has no public v2 one).

    POST   /v2/video_avatar                 JSON {"video_asset_id" | "video_url", "name", "transcript"?}
                                            or the raw clip (Content-Type video/mp4 or video/webm, ?name=)
    GET    /v2/video_avatar/{avatar_id}     train_status pending | training | ready | failed, progress, error
    GET    /v2/video_avatar.list
    DELETE /v2/video_avatar/{avatar_id}

Once `ready`, the returned `avatar_id` works as `character.avatar_id` in `POST /v2/video/generate`.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Request
from fastapi.concurrency import run_in_threadpool
from sqlalchemy.orm import Session

from talkframe.api.body import json_object
from talkframe.api.deps import Caller, get_caller, get_services, get_session
from talkframe.api.envelope import v2
from talkframe.api.routes.assets import owned_asset
from talkframe.api.uploads import receive_upload
from talkframe.core.errors import ApiError, RenderError
from talkframe.core.ids import new_id
from talkframe.db import video_avatars as repo
from talkframe.db.models import VideoAvatar
from talkframe.media.fetch import fetch_to_file
from talkframe.services import Services

router = APIRouter(tags=["video avatars"])
VIDEO_TYPES = {"video/mp4", "video/webm"}


def video_avatar_view(row: VideoAvatar, services: Services) -> dict[str, Any]:
    error = {"code": row.error_code, "message": row.error_message} if row.status == "failed" else None
    return {"avatar_id": row.id, "name": row.name, "train_status": row.status, "progress": row.progress,
            "error": error, "preview_image_url": services.url_for(row.preview_key),
            "preview_video_url": services.url_for(row.source_key) if row.status == "ready" else None,
            "created_at": int(row.created_at)}


@router.post("/v2/video_avatar", summary="Train an avatar from a 30-120 s clip of one person talking to camera")
async def create(request: Request, name: str | None = None, caller: Caller = Depends(get_caller),
                 session: Session = Depends(get_session), services: Services = Depends(get_services)) -> dict:
    avatar_id = new_id()
    key = f"video_avatars/{avatar_id}/source"
    transcript = None
    content_type = (request.headers.get("content-type") or "").split(";")[0].strip().lower()
    if content_type in VIDEO_TYPES:
        up = await receive_upload(request, services.settings.data_dir / "tmp", allowed=VIDEO_TYPES)
        try:
            key = services.storage.put_file(f"{key}.{up.ext}", up.path)
        finally:
            up.path.unlink(missing_ok=True)
    else:
        body = await json_object(request, empty="{}")
        name = body.get("name") or name
        transcript = body.get("transcript") or None
        if body.get("video_asset_id"):
            asset = owned_asset(session, caller.account_id, str(body["video_asset_id"]))
            if asset.file_type != "video":
                raise ApiError(400, "invalid_parameter", f"Asset {asset.id} is not a video")
            key = asset.storage_key
        elif body.get("video_url"):
            work = services.settings.data_dir / "tmp" / avatar_id
            try:
                path = await run_in_threadpool(fetch_to_file, str(body["video_url"]), "video", work,
                                               services.fetch_policy())
            except RenderError as exc:
                raise ApiError(400, "invalid_parameter", exc.message) from exc
            key = services.storage.put_file(f"{key}.{path.suffix.lstrip('.')}", path)
            path.unlink(missing_ok=True)
        else:
            raise ApiError(400, "invalid_parameter", "Either video_url or video_asset_id needs to be provided, "
                           "or send the clip itself with Content-Type video/mp4 or video/webm")
    row = repo.create(session, caller.account_id, name or f"Video avatar {avatar_id[:8]}", key, transcript, avatar_id)
    request.app.state.wake_workers()
    return v2(video_avatar_view(row, services))


def _owned(session: Session, caller: Caller, avatar_id: str) -> VideoAvatar:
    row = repo.get_owned(session, caller.account_id, avatar_id)
    if row is None:
        raise ApiError(404, "avatar_not_found", f"Avatar {avatar_id} not found or no longer available.")
    return row


@router.get("/v2/video_avatar.list", summary="Your video avatars and their training status")
def list_video_avatars(caller: Caller = Depends(get_caller), session: Session = Depends(get_session),
                       services: Services = Depends(get_services)) -> dict:
    return v2({"video_avatars": [video_avatar_view(r, services) for r in repo.list_owned(session, caller.account_id)]})


@router.get("/v2/video_avatar/{avatar_id}", summary="Training status of a video avatar")
def get_video_avatar(avatar_id: str, caller: Caller = Depends(get_caller), session: Session = Depends(get_session),
                     services: Services = Depends(get_services)) -> dict:
    return v2(video_avatar_view(_owned(session, caller, avatar_id), services))


@router.delete("/v2/video_avatar/{avatar_id}", summary="Delete a video avatar and its model")
def delete_video_avatar(avatar_id: str, caller: Caller = Depends(get_caller), session: Session = Depends(get_session),
                        services: Services = Depends(get_services)) -> dict:
    row = _owned(session, caller, avatar_id)
    services.storage.delete_prefix(f"video_avatars/{row.id}")
    session.delete(row)
    return v2({"avatar_id": avatar_id, "deleted": True})

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

from fastapi import APIRouter, Request
from fastapi.concurrency import run_in_threadpool
from sqlalchemy.orm import Session

from talkframe.api.body import json_object
from talkframe.api.deps import Caller, CallerDep, ServicesDep, SessionDep, run_db
from talkframe.api.envelope import v2
from talkframe.api.routes.assets import owned_asset
from talkframe.api.uploads import MAX_LABEL_CHARS, check_label, receive_upload
from talkframe.core.errors import ApiError, FieldProblem, RenderError
from talkframe.core.ids import new_id
from talkframe.db import video_avatars as repo
from talkframe.db.models import VideoAvatar
from talkframe.db.owned import require_owned
from talkframe.media.fetch import fetch_to_file
from talkframe.services import Services

router = APIRouter(tags=["video avatars"])
VIDEO_TYPES = {"video/mp4", "video/webm"}
MAX_TRANSCRIPT_CHARS = 20_000


def video_avatar_view(row: VideoAvatar, services: Services) -> dict[str, Any]:
    error = {"code": row.error_code, "message": row.error_message} if row.status == "failed" else None
    return {"avatar_id": row.id, "name": row.name, "train_status": row.status, "progress": row.progress,
            "error": error, "preview_image_url": services.url_for(row.preview_key),
            "preview_video_url": services.url_for(row.source_key) if row.status == "ready" else None,
            "created_at": int(row.created_at)}


@router.post("/v2/video_avatar", summary="Train an avatar from a 30-120 s clip of one person talking to camera")
async def create(request: Request, caller: CallerDep, services: ServicesDep, name: str | None = None) -> dict:
    avatar_id = new_id()
    key = f"video_avatars/{avatar_id}/source"
    transcript = None
    content_type = (request.headers.get("content-type") or "").split(";")[0].strip().lower()
    if content_type in VIDEO_TYPES:
        check_label("name", name)
        up = await receive_upload(request, services.settings.data_dir / "tmp", allowed=VIDEO_TYPES)
        try:
            key = await run_in_threadpool(services.storage.put_file, f"{key}.{up.ext}", up.path)
        finally:
            up.path.unlink(missing_ok=True)
    else:
        body = await json_object(request, empty="{}")
        name = _text(body, "name", MAX_LABEL_CHARS) or name
        check_label("name", name)
        transcript = _text(body, "transcript", MAX_TRANSCRIPT_CHARS)
        asset_id, url = _text(body, "video_asset_id", MAX_LABEL_CHARS), _text(body, "video_url", 2048)
        if asset_id:
            asset = await run_db(services, owned_asset, caller.account_id, asset_id)
            if asset.file_type != "video":
                raise ApiError(400, "invalid_parameter", f"Asset {asset.id} is not a video")
            key = asset.storage_key
        elif url:
            work = services.settings.data_dir / "tmp" / avatar_id
            try:
                path = await run_in_threadpool(fetch_to_file, url, "video", work, services.fetch_policy())
            except RenderError as exc:
                raise ApiError(400, "invalid_parameter", exc.message) from exc
            try:
                key = await run_in_threadpool(services.storage.put_file, f"{key}.{path.suffix.lstrip('.')}", path)
            finally:
                path.unlink(missing_ok=True)
        else:
            raise ApiError(400, "invalid_parameter", "Either video_url or video_asset_id needs to be provided, "
                           "or send the clip itself with Content-Type video/mp4 or video/webm")
    row = await run_db(services, repo.create, caller.account_id, name or f"Video avatar {avatar_id[:8]}", key,
                       transcript, avatar_id)
    request.app.state.wake_workers()
    return v2(video_avatar_view(row, services))


def _text(body: dict[str, Any], field: str, limit: int) -> str | None:
    """An optional string field of the JSON body: a 400 naming it when it is another type or too long."""
    value = body.get(field)
    if value is None or value == "":
        return None
    if not isinstance(value, str) or len(value) > limit:
        raise ApiError(400, "invalid_parameter", f"{field} must be a string of at most {limit} characters",
                       problems=[FieldProblem(field, f"a string of at most {limit} characters")])
    return value


def _owned(session: Session, caller: Caller, avatar_id: str) -> VideoAvatar:
    return require_owned(session, VideoAvatar, caller.account_id, avatar_id,
                         ApiError(404, "avatar_not_found", f"Avatar {avatar_id} not found or no longer available."))


@router.get("/v2/video_avatar.list", summary="Your video avatars and their training status")
def list_video_avatars(caller: CallerDep, session: SessionDep, services: ServicesDep) -> dict:
    return v2({"video_avatars": [video_avatar_view(r, services) for r in repo.list_owned(session, caller.account_id)]})


@router.get("/v2/video_avatar/{avatar_id}", summary="Training status of a video avatar")
def get_video_avatar(avatar_id: str, caller: CallerDep, session: SessionDep, services: ServicesDep) -> dict:
    return v2(video_avatar_view(_owned(session, caller, avatar_id), services))


@router.delete("/v2/video_avatar/{avatar_id}", summary="Delete a video avatar and its model")
def delete_video_avatar(avatar_id: str, caller: CallerDep, session: SessionDep, services: ServicesDep) -> dict:
    row = _owned(session, caller, avatar_id)
    services.storage.delete_prefix(f"video_avatars/{row.id}")
    session.delete(row)
    return v2({"avatar_id": avatar_id, "deleted": True})

"""Talking photos: `POST /v1/talking_photo` (raw JPEG/PNG body), `GET /v1/talking_photo.list`, and
`DELETE /v2/talking_photo/{id}`.

The photo is analysed at upload so that a photo without a face is refused at once (400), not at render time.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.concurrency import run_in_threadpool
from sqlalchemy.orm import Session

from talkframe.api.deps import CallerDep, ServicesDep, SessionDep, run_db
from talkframe.api.envelope import v1, v2
from talkframe.api.uploads import check_label, receive_upload
from talkframe.avatar.catalog import BUILTIN_PHOTOS, builtin_photo_path
from talkframe.core.errors import ApiError
from talkframe.core.ids import new_id
from talkframe.db import talking_photos as repo
from talkframe.db.models import TalkingPhoto
from talkframe.db.owned import require_owned
from talkframe.media.photo import read_photo
from talkframe.services import Services

router = APIRouter(tags=["talking photos"])
IMAGE_TYPES = {"image/png", "image/jpeg", "image/jpg"}


def _analyse(path) -> tuple[int, str | None]:  # type: ignore[no-untyped-def]
    from talkframe.avatar.face import NoFaceError, analyse_photo

    try:
        rgb = read_photo(path)
    except Exception as exc:  # noqa: BLE001 - any decoder failure is the user's file
        raise ApiError(400, "invalid_parameter", "The image could not be decoded", v1_code=400652) from exc
    try:
        analysis = analyse_photo(rgb)
    except NoFaceError as exc:
        raise ApiError(400, "no_face_found", "no face found in the photo: upload a photo with a clearly visible "
                       "face", v1_code=400175) from exc
    return analysis.faces_found, analysis.note


def photo_view(photo_id: str, name: str, services: Services, key: str) -> dict[str, Any]:
    url = services.url_for(key)
    return {"id": photo_id, "talking_photo_id": photo_id, "talking_photo_name": name, "image_url": url,
            "circle_image": url, "preview_image_url": url}


@router.post("/v1/talking_photo", summary="Upload a photo to animate (raw JPEG/PNG body)")
async def upload(request: Request, caller: CallerDep, services: ServicesDep, name: str | None = None) -> dict:
    check_label("name", name)
    up = await receive_upload(request, services.settings.data_dir / "tmp", allowed=IMAGE_TYPES)
    try:
        faces, note = await run_in_threadpool(_analyse, up.path)
        photo_id = new_id()
        key = await run_in_threadpool(services.storage.put_file, f"talking_photos/{photo_id}/original.{up.ext}",
                                      up.path)
    finally:
        up.path.unlink(missing_ok=True)
    await run_db(services, repo.create, photo_id, caller.account_id, name or photo_id, key, faces)
    return v1({"talking_photo_id": photo_id, "talking_photo_url": services.url_for(key), "faces_found": faces,
               "note": note})


def list_photos(session: Session, account_id: str, services: Services) -> list[dict[str, Any]]:
    """Built-in photos first, then the account's uploads (newest first)."""
    out = []
    for photo in BUILTIN_PHOTOS.values():
        key = f"builtin/{photo.photo_id}.png"
        if not services.storage.exists(key):
            services.storage.put_file(key, builtin_photo_path(photo.photo_id, services.settings.cache_dir))
        out.append(photo_view(photo.photo_id, photo.name, services, key))
    out += [photo_view(r.id, r.name, services, r.image_key) for r in repo.list_owned(session, account_id)]
    return out


@router.get("/v1/talking_photo.list", summary="List talking photos")
def talking_photo_list(caller: CallerDep, session: SessionDep, services: ServicesDep) -> dict[str, Any]:
    return v1(list_photos(session, caller.account_id, services))


@router.delete("/v2/talking_photo/{photo_id}", summary="Delete an uploaded talking photo")
def delete(photo_id: str, caller: CallerDep, session: SessionDep, services: ServicesDep) -> dict[str, Any]:
    row = require_owned(session, TalkingPhoto, caller.account_id, photo_id,
                        ApiError(404, "talking_photo_not_found", f"Talking photo {photo_id} not found"))
    services.storage.delete_prefix(f"talking_photos/{photo_id}")
    session.delete(row)
    return v2({"talking_photo_id": photo_id, "deleted": True})

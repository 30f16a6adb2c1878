"""Signed downloads of stored files: `GET /files/{key}?expires=&signature=` (403 when expired or tampered)."""

from __future__ import annotations

import mimetypes

from fastapi import APIRouter
from fastapi.responses import FileResponse

from talkframe.api.deps import ServicesDep
from talkframe.core.errors import ApiError
from talkframe.storage.local import LocalStorage
from talkframe.storage.signing import verify

router = APIRouter(tags=["files"])

FORBIDDEN = ApiError(403, "forbidden", "The link is invalid or has expired; query the status again for a new one",
                     v1_code=400562)


@router.get("/files/{key:path}", summary="Download a stored file through a signed URL")
def download(key: str, services: ServicesDep, expires: int = 0, signature: str = "") -> FileResponse:
    if not isinstance(services.storage, LocalStorage):  # S3: status responses carry presigned store URLs
        raise ApiError(404, "not_found", "Files are served by the object store", v1_code=404)
    if not verify(services.secret, key, expires, signature):
        raise FORBIDDEN
    try:
        path = services.storage.path(key)
    except ValueError as exc:
        raise FORBIDDEN from exc
    if not path.is_file():
        raise ApiError(404, "not_found", "File not found", v1_code=404)
    media_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
    return FileResponse(path, media_type=media_type, filename=path.name)

"""`/v3/assets`: multipart upload (part `file`, 32 MB cap enforced while the body streams in, type from the
bytes), get and delete. The ids are ordinary assets: they work in v3 AssetRefs and as v2 `*_asset_id`."""

from __future__ import annotations

import mmap
import os
import re
import tempfile
from pathlib import Path
from typing import Any

from fastapi import APIRouter, Request
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool

from talkframe.api.deps import Caller, CallerDep, ServicesDep, SessionDep
from talkframe.api.v3.errors import V3Error, invalid, not_found
from talkframe.api.v3.materialize import CONTENT_TYPES, FILE_TYPES, store_asset
from talkframe.api.v3.routing import V3Route
from talkframe.api.v3.schemas import ERRORS, Data
from talkframe.db.models import Asset
from talkframe.db.owned import require_owned
from talkframe.db.session import session_scope
from talkframe.media.fetch import sniff
from talkframe.services import Services

router = APIRouter(tags=["v3 assets"], route_class=V3Route, responses=ERRORS)
MB = 1024 * 1024
MAX_FILE = 32 * MB
MAX_OVERHEAD = 64 * 1024  # part headers and boundaries around the file
_UPLOAD_BODY = {"requestBody": {"required": True, "content": {"multipart/form-data": {"schema": {
    "type": "object", "required": ["file"],
    "properties": {"file": {"type": "string", "format": "binary",
                            "description": "png, jpeg, mp4, webm, mp3 or wav; at most 32 MB"}}}}}}}


def _too_large() -> V3Error:
    return V3Error(413, "payload_too_large", f"The file is larger than {MAX_FILE // MB} MB", "file")


async def _spool(request: Request, work: Path) -> Path:
    declared = request.headers.get("content-length")
    if declared and declared.isdigit() and int(declared) > MAX_FILE + MAX_OVERHEAD:
        raise _too_large()
    fd, name = tempfile.mkstemp(dir=work, suffix=".multipart")
    size = 0
    with os.fdopen(fd, "wb") as out:
        async for chunk in request.stream():
            size += len(chunk)
            if size > MAX_FILE + MAX_OVERHEAD:
                raise _too_large()
            out.write(chunk)
    return Path(name)


def _file_part(body: Path, boundary: bytes) -> tuple[int, int, str | None]:
    """(start, end, filename) of the part named `file` in a multipart body on disk."""
    with open(body, "rb") as f:
        if os.fstat(f.fileno()).st_size == 0:
            raise invalid("file", "file: Field required (send multipart/form-data with a part named file)")
        with mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_READ) as m:
            delim = b"--" + boundary
            pos = m.find(delim)
            while pos != -1:
                head_start = pos + len(delim) + 2
                head_end = m.find(b"\r\n\r\n", head_start)
                if head_end == -1:
                    break
                headers = m[head_start:head_end].decode("latin-1")
                nxt = m.find(b"\r\n" + delim, head_end + 4)
                if nxt == -1:
                    break
                disposition = re.search(r"content-disposition:[^\r\n]*", headers, re.I)
                if disposition and re.search(r';\s*name="?file"?(;|\s|$)', disposition.group(0)):
                    fname = re.search(r'filename="([^"]*)"', disposition.group(0))
                    return head_end + 4, nxt, fname.group(1) if fname else None
                pos = nxt + 2
    raise invalid("file", "file: Field required (send multipart/form-data with a part named file)")


def asset_view(asset: Asset, services: Services) -> dict[str, Any]:
    return {"id": asset.id, "name": asset.name, "owner": asset.account_id, "space_id": asset.account_id,
            "type": asset.file_type, "uploaded_at": int(asset.created_at),
            "url": services.url_for(asset.storage_key), "folder_id": asset.folder_id}


@router.post("/v3/assets", summary="Upload a file (multipart part `file`, at most 32 MB)",
             openapi_extra=_UPLOAD_BODY, response_model=Data)
async def upload(request: Request, caller: CallerDep, services: ServicesDep) -> dict[str, Any]:
    ctype = request.headers.get("content-type", "")
    m = re.search(r'boundary="?([^";]+)"?', ctype)
    if not ctype.lower().startswith("multipart/form-data") or not m:
        raise invalid("file", "Send the file as multipart/form-data with a part named file")
    work = services.settings.data_dir / "tmp"
    work.mkdir(parents=True, exist_ok=True)
    body = await _spool(request, work)
    try:
        return await run_in_threadpool(_store_upload, body, m.group(1).encode("latin-1"), work, caller, services)
    finally:
        body.unlink(missing_ok=True)


def _store_upload(body: Path, boundary: bytes, work: Path, caller: Caller, services: Services) -> dict[str, Any]:
    """Cut the `file` part out of the spooled body, type it by its bytes and store it (on a worker thread)."""
    start, end, filename = _file_part(body, boundary)
    size = end - start
    if size > MAX_FILE:
        raise _too_large()
    if size == 0:
        raise invalid("file", "The file is empty")
    with open(body, "rb") as f:
        f.seek(start)
        ext = sniff(f.read(64))
        if ext not in FILE_TYPES:
            raise invalid("file", f"Unsupported file type ({ext or 'unknown'}); upload png, jpeg, mp4, webm, "
                          "mp3 or wav")
        f.seek(start)
        payload = work / f"{body.stem}.{ext}"
        with open(payload, "wb") as out:
            remaining = size
            while remaining:
                chunk = f.read(min(remaining, 1 << 20))
                out.write(chunk)
                remaining -= len(chunk)
    try:
        name = (filename or "").strip()[:300] or None
        with session_scope(services.db_url, services.api_pool) as session:
            asset = store_asset(session, services, caller.account_id, payload, ext, size, name)
    finally:
        payload.unlink(missing_ok=True)
    return {"data": {"asset_id": asset.id, "url": services.url_for(asset.storage_key),
                     "mime_type": CONTENT_TYPES[ext], "size_bytes": size}}


def _owned(session: Session, caller: Caller, asset_id: str) -> Asset:
    return require_owned(session, Asset, caller.account_id, asset_id,
                         not_found("Asset", asset_id, "asset_not_found", "asset_id"))


@router.get("/v3/assets/{asset_id}", summary="One asset", response_model=Data)
def get_asset(asset_id: str, caller: CallerDep, session: SessionDep, services: ServicesDep) -> dict[str, Any]:
    return {"data": asset_view(_owned(session, caller, asset_id), services)}


@router.delete("/v3/assets/{asset_id}", summary="Delete an asset", response_model=Data)
def delete_asset(asset_id: str, caller: CallerDep, session: SessionDep, services: ServicesDep) -> dict[str, Any]:
    asset = _owned(session, caller, asset_id)
    services.storage.delete_prefix(f"assets/{asset.id}")
    session.delete(asset)
    return {"data": {"id": asset_id}}

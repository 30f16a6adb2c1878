"""Raw-body uploads (HeyGen's upload host style): streamed to disk under a size cap, typed by magic bytes."""

from __future__ import annotations

import os
import tempfile
from dataclasses import dataclass
from pathlib import Path

from fastapi import Request

from talkframe.core.errors import ApiError, FieldProblem
from talkframe.media.fetch import sniff

MB = 1024 * 1024
# Declared Content-Type -> (file_type, size cap, sniffed extensions that may carry it).
UPLOAD_TYPES: dict[str, tuple[str, int, set[str]]] = {
    "image/png": ("image", 50 * MB, {"png"}),
    "image/jpeg": ("image", 50 * MB, {"jpg"}),
    "image/jpg": ("image", 50 * MB, {"jpg"}),
    "video/mp4": ("video", 100 * MB, {"mp4", "mov"}),
    "video/webm": ("video", 100 * MB, {"webm"}),
    "audio/mpeg": ("audio", 50 * MB, {"mp3"}),
    "audio/mp3": ("audio", 50 * MB, {"mp3"}),
    "audio/wav": ("audio", 50 * MB, {"wav"}),
    "audio/x-wav": ("audio", 50 * MB, {"wav"}),
    "audio/wave": ("audio", 50 * MB, {"wav"}),
}


@dataclass
class Upload:
    path: Path
    size: int
    content_type: str
    file_type: str
    ext: str


MAX_LABEL_CHARS = 255


def check_label(field: str, value: str | None) -> None:
    """Names given with an upload come back in every list answer: keep them short."""
    if value is not None and len(value) > MAX_LABEL_CHARS:
        raise ApiError(400, "invalid_parameter", f"{field} must be at most {MAX_LABEL_CHARS} characters, "
                       f"got {len(value)}", problems=[FieldProblem(field, f"at most {MAX_LABEL_CHARS} characters")])


def too_large(limit: int) -> ApiError:
    return ApiError(413, "payload_too_large", f"File is too large: the limit is {limit // MB} MB", v1_code=400175)


async def receive_upload(request: Request, work_dir: Path, allowed: set[str] | None = None,
                         limits: dict[str, int] | None = None) -> Upload:
    """Stream the body to a temporary file; refuse a wrong type or an oversize body without buffering it."""
    content_type = (request.headers.get("content-type") or "").split(";")[0].strip().lower()
    if content_type not in UPLOAD_TYPES or (allowed is not None and content_type not in allowed):
        accepted = ", ".join(sorted(allowed or UPLOAD_TYPES))
        raise ApiError(400, "invalid_parameter", f"Unsupported Content-Type {content_type or '(none)'}; "
                       f"use one of: {accepted}", v1_code=400175)
    file_type, limit, extensions = UPLOAD_TYPES[content_type]
    limit = (limits or {}).get(file_type, limit)
    declared = request.headers.get("content-length")
    if declared and declared.isdigit() and int(declared) > limit:
        raise too_large(limit)
    work_dir.mkdir(parents=True, exist_ok=True)
    fd, name = tempfile.mkstemp(dir=work_dir, suffix=".upload")
    path, size = Path(name), 0
    try:
        with os.fdopen(fd, "wb") as out:
            async for chunk in request.stream():
                size += len(chunk)
                if size > limit:
                    raise too_large(limit)
                out.write(chunk)
        if size == 0:
            raise ApiError(400, "invalid_parameter", "The request body is empty: send the file's bytes",
                           v1_code=400175)
        with open(path, "rb") as f:
            ext = sniff(f.read(64))
        if ext not in extensions:
            raise ApiError(400, "invalid_parameter", f"The file's content ({ext or 'unknown type'}) does not match "
                           f"its Content-Type {content_type}", v1_code=400175)
        return Upload(path, size, content_type, file_type, ext)
    except BaseException:
        path.unlink(missing_ok=True)
        raise

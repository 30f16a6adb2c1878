"""HeyGen's two response envelopes; the family is chosen by path (`/v2/...` or everything else = v1)."""

from __future__ import annotations

import uuid
from typing import Any

from fastapi.responses import JSONResponse

from talkframe.core.errors import ApiError


def v1(data: Any = None, message: str = "Success") -> dict[str, Any]:
    return {"code": 100, "data": data, "message": message}


def v2(data: Any) -> dict[str, Any]:
    return {"error": None, "data": data}


def is_v2_path(path: str) -> bool:
    return path.startswith("/v2/")


def error_response(path: str, err: ApiError) -> JSONResponse:
    if path.startswith("/v3/") or path == "/v3":
        from talkframe.api.v3.errors import error_response as v3_error

        return v3_error(err, "req_" + uuid.uuid4().hex)
    if is_v2_path(path):
        error: dict[str, Any] = {"code": err.code, "message": err.message}
        if err.problems:
            error["fields"] = [{"field": p.field, "message": p.message} for p in err.problems]
        body: dict[str, Any] = {"data": None, "error": error}
    else:
        body = {"code": err.v1_code, "message": err.message, "data": None}
        if err.problems:
            body["fields"] = [{"field": p.field, "message": p.message} for p in err.problems]
    return JSONResponse(body, status_code=err.status, headers=err.headers)

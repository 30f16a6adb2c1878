"""v3 errors: `{"error": {"code", "message", "param", "doc_url"}}` with the HTTP status of HeyGen's table."""

from __future__ import annotations

from typing import Any

from fastapi.responses import JSONResponse

from talkframe.core.errors import INVALID_PARAMETER, ApiError

DOC_URL = "https://developers.heygen.com/docs/error-codes#"


class V3Error(ApiError):
    """An ApiError that names the offending request field (`param`), as v3's validation errors do."""

    def __init__(self, status: int, code: str, message: str, param: str | None = None,
                 headers: dict[str, str] | None = None) -> None:
        super().__init__(status, code, message, INVALID_PARAMETER, headers=headers)
        self.param = param


def invalid(param: str, message: str) -> V3Error:
    return V3Error(400, "invalid_parameter", message, param)


def not_found(what: str, ident: str, code: str = "not_found", param: str | None = None) -> V3Error:
    return V3Error(404, code, f"{what} {ident} not found", param)


def error_body(err: ApiError) -> dict[str, Any]:
    param = getattr(err, "param", None)
    if param is None and err.problems:
        param = err.problems[0].field
    return {"error": {"code": err.code, "message": err.message, "param": param,
                      "doc_url": DOC_URL + err.code.replace("_", "-")}}


def error_response(err: ApiError, request_id: str | None = None) -> JSONResponse:
    headers = dict(err.headers)
    if request_id:
        headers["X-Request-Id"] = request_id
    return JSONResponse(error_body(err), status_code=err.status, headers=headers)

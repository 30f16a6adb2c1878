"""The v3 route class: every answer carries `X-Request-Id`; every error (auth, validation, limits, bugs) leaves in
v3's envelope with `param`; POSTs honour `Idempotency-Key`."""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable, Coroutine
from typing import Any

from fastapi import Request, Response
from fastapi.concurrency import run_in_threadpool
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from fastapi.routing import APIRoute

from talkframe.api.deps import _presented_key
from talkframe.api.v3 import idempotency
from talkframe.api.v3.errors import V3Error, error_response
from talkframe.core.errors import ApiError

log = logging.getLogger(__name__)
Handler = Callable[[Request], Coroutine[Any, Any, Response]]


def validation_error(exc: RequestValidationError) -> V3Error:
    first = exc.errors()[0] if exc.errors() else {}
    loc = [str(p) for p in first.get("loc", ())]
    param = ".".join(loc[1:]) if len(loc) > 1 else (loc[0] if loc else "request")
    return V3Error(400, "invalid_parameter", f"{param}: {first.get('msg', 'invalid')}", param)


async def _idempotent(request: Request, handler: Handler, key: str) -> Response:
    if not idempotency.valid_key(key):
        raise V3Error(400, "invalid_parameter", "Idempotency-Key must be 1-255 characters of A-Z a-z 0-9 _ - : .",
                      "Idempotency-Key")
    db_url = request.app.state.services.db_url
    account = await run_in_threadpool(idempotency.account_of, db_url, _presented_key(request))
    if account is None:
        return await handler(request)  # answers 401
    scope = f"{request.method} {request.url.path}"
    got = await run_in_threadpool(idempotency.claim, db_url, account, scope, key)
    if got.state == "replay":
        return JSONResponse(got.body, status_code=got.status or 200, headers={"Idempotent-Replayed": "true"})
    if got.state == "busy":
        raise V3Error(409, "request_in_progress", "A request with this Idempotency-Key is still in progress; retry "
                      "when it has finished", "Idempotency-Key", headers={"Retry-After": "1"})
    assert got.row_id is not None
    try:
        response = await handler(request)
    except BaseException:
        await run_in_threadpool(idempotency.release, db_url, got.row_id)
        raise
    if 200 <= response.status_code < 300 and isinstance(response.body, bytes | bytearray):
        await run_in_threadpool(idempotency.finish, db_url, got.row_id, response.status_code, bytes(response.body))
    else:
        await run_in_threadpool(idempotency.release, db_url, got.row_id)
    return response


class V3Route(APIRoute):
    def get_route_handler(self) -> Handler:
        original = super().get_route_handler()

        async def handler(request: Request) -> Response:
            request_id = "req_" + uuid.uuid4().hex
            request.state.request_id = request_id
            try:
                key = request.headers.get("idempotency-key")
                if request.method == "POST" and key is not None:
                    response = await _idempotent(request, original, key)
                else:
                    response = await original(request)
            except RequestValidationError as exc:
                response = error_response(validation_error(exc), request_id)
            except ApiError as exc:
                response = error_response(exc, request_id)
            except Exception:  # noqa: BLE001 - a bug must still answer in v3's shape, without a traceback
                log.exception("v3 %s %s failed (request %s)", request.method, request.url.path, request_id)
                response = error_response(V3Error(500, "internal_error", "Internal server error; quote the "
                                                  f"request id {request_id}"), request_id)
            response.headers["X-Request-Id"] = request_id
            return response

        return handler

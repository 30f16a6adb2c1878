"""What every request passes before any route sees it, so that no input can crash or stall the server.

- Paths and query strings with NUL or other control characters are refused (they reach database lookups).
- A request body that is not a file upload is read up to `max_json_body_bytes` while it streams (413 beyond it,
  before anything is parsed); a JSON body nested deeper than `max_json_depth` is refused (400), and so is any
  string in it holding a NUL, an unpaired surrogate or a control character, with the field named.

File uploads (image/video/audio/multipart bodies) pass through untouched: their routes stream them to disk under
their own caps.
"""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import unquote_to_bytes

from starlette.concurrency import run_in_threadpool
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from talkframe.api.envelope import error_response
from talkframe.core.errors import ApiError, FieldProblem

UPLOAD_PREFIXES = ("image/", "video/", "audio/", "multipart/", "application/octet-stream")
# v3 bodies may carry a picture inline (AssetRef `base64`): a 32 MB file is about 43 MB of base64.
MEDIA_JSON_PATHS = ("/v3/videos", "/v3/avatars")
MEDIA_JSON_BYTES = 48 * 1024 * 1024
THREAD_PARSE_BYTES = 256 * 1024  # bigger bodies are parsed off the event loop
_CONTROL = {c for c in range(0x20) if c not in (0x09, 0x0A, 0x0D)} | {0x7F}


def text_problem(value: str) -> str | None:
    """Why a string cannot be stored or spoken, or None: NUL, unpaired surrogates and control characters."""
    for ch in value:
        code = ord(ch)
        if code == 0:
            return "contains a NUL character"
        if 0xD800 <= code <= 0xDFFF:
            return "contains an unpaired surrogate (invalid Unicode)"
        if code in _CONTROL:
            return f"contains a control character (U+{code:04X})"
    return None


def _depth_and_strings(doc: Any, max_depth: int) -> tuple[bool, list[FieldProblem]]:
    """Walk the parsed body without recursion: (too deep?, strings that cannot be accepted)."""
    problems: list[FieldProblem] = []
    stack: list[tuple[Any, str, int]] = [(doc, "", 1)]
    while stack:
        node, at, depth = stack.pop()
        if isinstance(node, dict | list):
            if depth > max_depth:
                return True, problems
            items = node.items() if isinstance(node, dict) else enumerate(node)
            for k, v in items:
                name = f"{at}[{k}]" if isinstance(node, list) else (f"{at}.{k}" if at else str(k))
                if isinstance(k, str) and (why := text_problem(k)):
                    problems.append(FieldProblem(name, f"{name}: the key {why}"))
                stack.append((v, name, depth + 1))
        elif isinstance(node, str) and (why := text_problem(node)):
            problems.append(FieldProblem(at or "body", f"{at or 'body'} {why}"))
    return False, problems


class RequestGuard:
    """Pure ASGI middleware (no per-request task or thread) in front of every route."""

    def __init__(self, app: ASGIApp, max_body_bytes: int, max_depth: int) -> None:
        self.app, self.max_body_bytes, self.max_depth = app, max_body_bytes, max_depth

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path = scope["path"]
        if text_problem(path) or any(b in _CONTROL for b in unquote_to_bytes(scope.get("query_string", b""))):
            await self._refuse(scope, receive, send, ApiError(400, "invalid_parameter",
                                                              "The URL contains control characters"))
            return
        headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope.get("headers", [])}
        content_type = headers.get("content-type", "").lower()
        if scope["method"] in ("GET", "HEAD", "OPTIONS") or content_type.startswith(UPLOAD_PREFIXES):
            await self.app(scope, receive, send)
            return
        limit = MEDIA_JSON_BYTES if path.rstrip("/") in MEDIA_JSON_PATHS else self.max_body_bytes
        declared = headers.get("content-length", "")
        if declared.isdigit() and int(declared) > limit:
            await self._refuse(scope, receive, send, self._too_large(limit))
            return
        chunks, size, more = [], 0, True
        while more:
            message = await receive()
            if message["type"] == "http.disconnect":
                return
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > limit:
                await self._refuse(scope, receive, send, self._too_large(limit))
                return
            chunks.append(chunk)
            more = message.get("more_body", False)
        body = b"".join(chunks)
        refusal = (await run_in_threadpool(self._check_json, body) if len(body) > THREAD_PARSE_BYTES
                   else self._check_json(body))
        if refusal is not None:
            await self._refuse(scope, receive, send, refusal)
            return
        await self.app(scope, _replay(body, receive), send)

    def _check_json(self, body: bytes) -> ApiError | None:
        if body.strip()[:1] not in (b"{", b"["):
            return None  # not JSON: the route gives its own answer
        try:
            doc = json.loads(body)
        except RecursionError:
            return self._too_deep()
        except ValueError:
            return None  # malformed JSON: the route's own 400 says where
        too_deep, problems = _depth_and_strings(doc, self.max_depth)
        if too_deep:
            return self._too_deep()
        if problems:
            return ApiError(400, "invalid_parameter", "; ".join(p.message for p in problems[:5]), problems=problems)
        return None

    @staticmethod
    def _too_large(limit: int) -> ApiError:
        return ApiError(413, "payload_too_large", f"Request body is too large: the limit is {limit} bytes",
                        v1_code=400175)

    def _too_deep(self) -> ApiError:
        return ApiError(400, "invalid_parameter", f"Request body is nested too deeply: the limit is "
                        f"{self.max_depth} levels")

    @staticmethod
    async def _refuse(scope: Scope, receive: Receive, send: Send, err: ApiError) -> None:
        await error_response(scope["path"], err)(scope, receive, send)


def _replay(body: bytes, receive: Receive) -> Receive:
    """A `receive` that hands the buffered body over once, then passes on (e.g. disconnects)."""
    sent = False

    async def replay() -> Message:
        nonlocal sent
        if not sent:
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}
        return await receive()

    return replay

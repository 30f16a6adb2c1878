"""Reading a JSON request body ourselves, so that malformed bodies get HeyGen's 400 envelope, not FastAPI's 422."""

from __future__ import annotations

import json
from typing import Any

from fastapi import Request

from talkframe.core.errors import ApiError


async def json_object(request: Request, empty: str = "null") -> dict[str, Any]:
    """The body as a JSON object; a 400 for anything else. `empty` is what an empty body counts as."""
    try:
        body = json.loads(await request.body() or empty)
    except ValueError as exc:
        raise ApiError(400, "invalid_parameter", f"Request body is not valid JSON: {exc}") from exc
    if not isinstance(body, dict):
        raise ApiError(400, "invalid_parameter", "Request body must be a JSON object")
    return body

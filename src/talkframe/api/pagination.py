"""Cursor pagination as HeyGen lists do it: an opaque `token`, null on the last page."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Select
from sqlalchemy.orm import Session

from talkframe.core.errors import ApiError


def page(session: Session, stmt: Select, limit: int, token: str | None) -> tuple[list[Any], str | None]:
    try:
        offset = int(token) if token else 0
    except ValueError as exc:
        raise ApiError(400, "invalid_parameter", "token is not a token this server issued") from exc
    size = limit or 100
    rows = list(session.scalars(stmt.offset(offset).limit(size + 1)))
    return rows[:size], (str(offset + size) if len(rows) > size else None)

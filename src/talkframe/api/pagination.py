"""Cursor pagination as HeyGen lists do it: an opaque `token`, null on the last page."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import Query
from sqlalchemy import Select
from sqlalchemy.orm import Session

from talkframe.core.errors import ApiError
from talkframe.db.paging import window

PageLimit = Annotated[int, Query(ge=0, le=100)]
"""`limit` of a v1 list: 0 to 100 rows (0: the default page of 100)."""


def page(session: Session, stmt: Select, limit: int, token: str | None) -> tuple[list[Any], str | None]:
    try:
        offset = int(token) if token else 0
    except ValueError as exc:
        raise ApiError(400, "invalid_parameter", "token is not a token this server issued") from exc
    size = limit or 100
    rows, more = window(session, stmt, offset, size)
    return rows, (str(offset + size) if more else None)

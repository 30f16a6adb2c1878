"""v3 lists: `limit` and an opaque `token` in, `{"data": [...], "has_more", "next_token"}` out."""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Sequence
from typing import Annotated, Any

from fastapi import Query
from sqlalchemy import Select
from sqlalchemy.orm import Session

from talkframe.api.v3.errors import invalid
from talkframe.db.paging import window

Limit = Annotated[str | None, Query(description="1-100, default 10")]
"""`limit` of the lists of videos, endpoints and events."""


def parse_limit(raw: str | int | None, default: int, maximum: int) -> int:
    if raw is None or raw == "":
        return default
    try:
        value = int(raw)
    except (TypeError, ValueError):
        raise invalid("limit", f"limit must be an integer between 1 and {maximum}") from None
    if not 1 <= value <= maximum:
        raise invalid("limit", f"limit must be between 1 and {maximum}, got {value}")
    return value


def encode_token(offset: int) -> str:
    return base64.urlsafe_b64encode(json.dumps({"start": offset}).encode()).decode().rstrip("=")


def decode_token(token: str | None) -> int:
    if not token:
        return 0
    try:
        data = json.loads(base64.urlsafe_b64decode(token + "=" * (-len(token) % 4)))
        offset = int(data["start"])
    except (ValueError, KeyError, TypeError, binascii.Error, UnicodeDecodeError):
        raise invalid("token", "token is not a token this server issued") from None
    if offset < 0:
        raise invalid("token", "token is not a token this server issued")
    return offset


def listing(items: list[Any], has_more: bool, offset: int, size: int) -> dict[str, Any]:
    return {"data": items, "has_more": has_more, "next_token": encode_token(offset + size) if has_more else None}


def page_query(session: Session, stmt: Select, limit: int, token: str | None) -> tuple[list[Any], bool, int]:
    offset = decode_token(token)
    rows, more = window(session, stmt, offset, limit)
    return rows, more, offset


def page_list(items: Sequence[Any], limit: int, token: str | None) -> tuple[list[Any], bool, int]:
    offset = decode_token(token)
    return list(items[offset:offset + limit]), len(items) > offset + limit, offset

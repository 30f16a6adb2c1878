"""Request dependencies: the shared services, a database session, and the caller's account from its key."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from fastapi import Depends, Request
from sqlalchemy.orm import Session

from talkframe.core.errors import UNAUTHORIZED, ApiError
from talkframe.db.keys import find_key
from talkframe.db.session import session_scope
from talkframe.services import Services


def get_services(request: Request) -> Services:
    return request.app.state.services


def get_session(services: Services = Depends(get_services)) -> Iterator[Session]:
    with session_scope(services.db_url) as session:
        yield session


@dataclass(frozen=True)
class Caller:
    account_id: str
    key_id: str


def _presented_key(request: Request) -> str | None:
    key = request.headers.get("x-api-key")  # header names are case-insensitive
    if key:
        return key.strip()
    auth = request.headers.get("authorization", "")
    if auth[:7].lower() == "bearer ":
        return auth[7:].strip()
    return None


def get_caller(request: Request, session: Session = Depends(get_session)) -> Caller:
    key = _presented_key(request)
    row = find_key(session, key) if key else None
    if row is None:
        raise ApiError(401, "unauthorized", "Unauthorized", v1_code=UNAUTHORIZED)
    return Caller(row.account_id, row.id)

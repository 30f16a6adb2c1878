"""The one lookup of a row by id for every account-owned table: a row is found only with its own account's id."""

from __future__ import annotations

from typing import Any, TypeVar

from sqlalchemy.orm import Session

Row = TypeVar("Row")


def get_owned(session: Session, model: type[Row], account_id: str, row_id: str) -> Row | None:
    """The `model` row `row_id` if `account_id` owns it, else None (another account's row does not exist)."""
    row: Any = session.get(model, row_id)
    return row if row is not None and row.account_id == account_id else None


def require_owned(session: Session, model: type[Row], account_id: str, row_id: str, missing: Exception) -> Row:
    """`get_owned`, or raise `missing` (the caller's not-found error: a 404 at the API edge) when there is none."""
    row = get_owned(session, model, account_id, row_id)
    if row is None:
        raise missing
    return row

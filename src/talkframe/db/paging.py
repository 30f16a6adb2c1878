"""One window of a listing query, as both API families page them (offset and size from their own tokens)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Select
from sqlalchemy.orm import Session


def window(session: Session, stmt: Select, offset: int, size: int) -> tuple[list[Any], bool]:
    """Up to `size` rows from `offset` on, and whether more follow."""
    rows = list(session.scalars(stmt.offset(offset).limit(size + 1)))
    return rows[:size], len(rows) > size

"""Identifiers in HeyGen's shape: 32 lowercase hex characters."""

from __future__ import annotations

import uuid


def new_id() -> str:
    return uuid.uuid4().hex

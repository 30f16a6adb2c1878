"""`Idempotency-Key` on v3 POSTs, stored in the database so that it holds across restarts and API replicas.

The first request with a key claims it (a unique row per account, method+path and key); a retry while it runs gets
409 `request_in_progress`; once it answered 2xx, the same key replays that answer for 24 hours. An answer that is
not 2xx (a 400, a 429 under the concurrency limit, a 5xx) releases the key, so the client may retry with it.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any

from sqlalchemy.exc import IntegrityError

from talkframe.core.clock import now
from talkframe.db import idempotency as repo
from talkframe.db.keys import find_key
from talkframe.db.session import session_scope

TTL_SECONDS = 24 * 3600
STALE_SECONDS = 600  # a claim this old belongs to a request that died with its process
KEY_RE = re.compile(r"^[A-Za-z0-9_\-:.]{1,255}$")


@dataclass
class Claim:
    state: str  # "claimed" (run the request) | "busy" (409) | "replay"
    row_id: str | None = None
    status: int | None = None
    body: Any = None


def valid_key(key: str) -> bool:
    return bool(KEY_RE.match(key))


def account_of(db_url: str, api_key: str | None) -> str | None:
    if not api_key:
        return None
    with session_scope(db_url) as session:
        row = find_key(session, api_key)
        return row.account_id if row is not None else None


def claim(db_url: str, account_id: str, scope: str, key: str) -> Claim:
    t = now()
    try:
        with session_scope(db_url) as session:
            row = repo.find(session, account_id, scope, key)
            if row is not None and (row.expires_at < t or (row.status == "in_progress"
                                                            and row.created_at < t - STALE_SECONDS)):
                repo.discard(session, row)
                row = None
            if row is not None:
                if row.status == "done":
                    return Claim("replay", row.id, row.response_status, json.loads(row.response_body or "null"))
                return Claim("busy", row.id)
            return Claim("claimed", repo.create(session, account_id, scope, key, t, t + TTL_SECONDS).id)
    except IntegrityError:  # another request claimed it between our read and insert
        return Claim("busy")


def finish(db_url: str, row_id: str, status: int, body: bytes) -> None:
    with session_scope(db_url) as session:
        row = repo.get(session, row_id)
        if row is not None:
            row.status, row.response_status, row.response_body = "done", status, body.decode()
            row.expires_at = now() + TTL_SECONDS


def release(db_url: str, row_id: str) -> None:
    with session_scope(db_url) as session:
        repo.remove(session, row_id)

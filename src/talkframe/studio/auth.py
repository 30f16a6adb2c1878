"""Studio sessions and CSRF tokens.

Signing in with an API key yields a session cookie: `base64url(json).hmac`, signed with the service's secret,
carrying the account, the key's id (so revoking the key ends the session) and an expiry. The key itself is never
stored or shown again. Every form and every script call carries a CSRF token: an HMAC of a random per-browser
nonce held in its own HttpOnly cookie (double submit, signed), checked on each POST/DELETE.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import secrets
import time
from dataclasses import dataclass

from fastapi import Request
from fastapi.responses import Response
from sqlalchemy.orm import Session

from talkframe.db.models import ApiKey
from talkframe.db.owned import get_owned

SESSION_COOKIE = "tf_studio"
CSRF_COOKIE = "tf_csrf"
SESSION_SECONDS = 12 * 3600
PATH = "/studio"


@dataclass(frozen=True)
class StudioCaller:
    """The signed-in account (same shape as the API's `Caller`: account and key id)."""

    account_id: str
    key_id: str


def _mac(secret: bytes, purpose: str, data: str) -> str:
    return hmac.new(secret, f"{purpose}|{data}".encode(), hashlib.sha256).hexdigest()


def make_session(secret: bytes, account_id: str, key_id: str, now: float | None = None) -> str:
    payload = json.dumps({"a": account_id, "k": key_id, "e": int((now or time.time()) + SESSION_SECONDS)},
                         separators=(",", ":"))
    body = base64.urlsafe_b64encode(payload.encode()).decode().rstrip("=")
    return f"{body}.{_mac(secret, 'session', body)}"


def read_session(secret: bytes, value: str | None, now: float | None = None) -> StudioCaller | None:
    """The caller a cookie names, or None when it is missing, tampered with or expired."""
    if not value or "." not in value:
        return None
    body, mac = value.rsplit(".", 1)
    if not hmac.compare_digest(mac, _mac(secret, "session", body)):
        return None
    try:
        data = json.loads(base64.urlsafe_b64decode(body + "=" * (-len(body) % 4)))
    except ValueError:
        return None
    if not isinstance(data, dict) or int(data.get("e", 0)) < (now or time.time()):
        return None
    return StudioCaller(str(data["a"]), str(data["k"]))


def key_active(session: Session, caller: StudioCaller) -> bool:
    """Whether the key a session cookie names still exists, belongs to its account and is not revoked."""
    key = get_owned(session, ApiKey, caller.account_id, caller.key_id)
    return key is not None and key.revoked_at is None


def _secure(request: Request) -> bool:
    """Secure cookies when served over HTTPS, directly or behind a TLS proxy named in the public base URL."""
    base = str(getattr(request.app.state.services.settings, "public_base_url", ""))
    return request.url.scheme == "https" or base.startswith("https://")


def set_session_cookie(response: Response, request: Request, value: str) -> None:
    response.set_cookie(SESSION_COOKIE, value, max_age=SESSION_SECONDS, path=PATH, httponly=True, samesite="strict",
                        secure=_secure(request))


def clear_session_cookie(response: Response) -> None:
    response.delete_cookie(SESSION_COOKIE, path=PATH, httponly=True, samesite="strict")


def csrf_nonce(request: Request) -> tuple[str, bool]:
    """This browser's CSRF nonce, and whether it is new (then the response must set it)."""
    nonce = request.cookies.get(CSRF_COOKIE)
    if nonce and len(nonce) >= 16:
        return nonce, False
    return secrets.token_urlsafe(24), True


def csrf_token(secret: bytes, nonce: str) -> str:
    return _mac(secret, "csrf", nonce)


def set_csrf_cookie(response: Response, request: Request, nonce: str) -> None:
    response.set_cookie(CSRF_COOKIE, nonce, path=PATH, httponly=True, samesite="strict", secure=_secure(request))


def csrf_ok(request: Request, secret: bytes, token: str | None) -> bool:
    nonce = request.cookies.get(CSRF_COOKIE)
    return bool(nonce and token) and hmac.compare_digest(str(token), csrf_token(secret, nonce))

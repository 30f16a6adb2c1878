"""HMAC-signed, expiring URLs for stored files (HeyGen's output links expire after 7 days)."""

from __future__ import annotations

import hashlib
import hmac
import time
from urllib.parse import quote, urlencode


def signature(secret: bytes, key: str, expires: int) -> str:
    return hmac.new(secret, f"{key}\n{expires}".encode(), hashlib.sha256).hexdigest()


def signed_url(base_url: str, secret: bytes, key: str, ttl_seconds: int, now: float | None = None) -> str:
    expires = int((now if now is not None else time.time()) + ttl_seconds)
    query = urlencode({"expires": expires, "signature": signature(secret, key, expires)})
    return f"{base_url.rstrip('/')}/files/{quote(key)}?{query}"


def verify(secret: bytes, key: str, expires: int, sig: str, now: float | None = None) -> bool:
    """True when `sig` is this key's signature and `expires` has not passed."""
    if expires < (now if now is not None else time.time()):
        return False
    # bytes on both sides: a str with non-ASCII characters would make compare_digest raise TypeError
    return hmac.compare_digest(signature(secret, key, expires).encode(), sig.encode("utf-8", "surrogatepass"))

"""One outbound HTTP request to a user's URL, under the same SSRF rules as every URL input.

The host is resolved once and refused if private (unless allowed); the connection goes to that pinned address.
"""

from __future__ import annotations

import http.client
import socket
import ssl
from dataclasses import dataclass

from talkframe.media.fetch import FetchPolicy, check_url


@dataclass
class Reply:
    status: int
    body: bytes


class SendError(Exception):
    """The request could not be made or answered (refused URL, connect failure, timeout)."""


def send(method: str, url: str, body: bytes | None, headers: dict[str, str], policy: FetchPolicy,
         timeout: float) -> Reply:
    try:
        target = check_url(url, policy)
    except Exception as exc:  # FetchError carries a user-facing message
        raise SendError(str(getattr(exc, "message", exc))) from exc
    try:
        sock = socket.create_connection((target.ip, target.port), timeout=timeout)
        sock.settimeout(timeout)
        conn: http.client.HTTPConnection
        if target.scheme == "https":
            context = ssl.create_default_context()
            sock = context.wrap_socket(sock, server_hostname=target.host)
            conn = http.client.HTTPSConnection(target.host, target.port, timeout=timeout, context=context)
        else:
            conn = http.client.HTTPConnection(target.host, target.port, timeout=timeout)
        conn.sock = sock
        try:
            conn.request(method, target.path, body=body, headers={"User-Agent": "talkframe-webhooks/1", **headers})
            response = conn.getresponse()
            return Reply(response.status, response.read(64 * 1024))
        finally:
            conn.close()
    except (OSError, http.client.HTTPException, ssl.SSLError) as exc:
        raise SendError(f"{type(exc).__name__}: {exc}") from exc

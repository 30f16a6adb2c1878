"""One outbound HTTP request to a user's URL, under the same SSRF rules as every URL input.

The host is resolved once and refused if private (unless allowed); the connection goes to that pinned address.
"""

from __future__ import annotations

from dataclasses import dataclass

from talkframe.media.fetch import FetchError, FetchPolicy, RefusedURL, check_url, open_pinned


@dataclass
class Reply:
    status: int
    body: bytes


class SendError(Exception):
    """The request could not be made or answered (refused URL, connect failure, timeout).

    `refused` is True when the URL itself is forbidden (a private address, a bad scheme): retrying cannot help.
    """

    def __init__(self, message: str, refused: bool = False) -> None:
        super().__init__(message)
        self.refused = refused


def send(method: str, url: str, body: bytes | None, headers: dict[str, str], policy: FetchPolicy,
         timeout: float) -> Reply:
    try:
        target = check_url(url, policy)
        conn, response = open_pinned(target, method, body, {"User-Agent": "talkframe-webhooks/1", **headers},
                                     timeout, timeout)
    except FetchError as exc:
        raise SendError(f"{exc.message} ({exc.detail})" if exc.detail and exc.detail != url else exc.message,
                        refused=isinstance(exc, RefusedURL)) from exc
    try:
        return Reply(response.status, response.read(64 * 1024))
    except OSError as exc:
        raise SendError(f"{type(exc).__name__}: {exc}") from exc
    finally:
        conn.close()

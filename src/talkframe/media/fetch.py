"""The one safe downloader for every URL a request carries (audio, images, videos; webhooks reuse `check_url`).

Why so careful: a user-supplied URL is a server-side request forgery vector. For each hop we

1. accept only http/https;
2. resolve the host once, refuse it if ANY address is loopback, private, link-local (cloud metadata
   169.254.169.254), CGNAT, multicast, reserved or unspecified (IPv4-mapped IPv6 unwrapped), unless the host or
   address is in `FetchPolicy.allow_private` (host names or CIDRs);
3. connect to that exact address (no second DNS lookup, so no rebinding) while sending the original Host header
   and, for https, the original name for SNI and certificate checks;
4. follow redirects by hand, re-checking every hop, at most `max_redirects`;
5. stream with connect/read timeouts and an overall deadline, aborting past the size cap of the kind;
6. trust neither the extension nor Content-Type: the file's type comes from its magic bytes and must fit the kind.

Files are stored under `dest_dir` by content hash, so a repeated URL costs no extra disk.
"""

from __future__ import annotations

import hashlib
import http.client
import ipaddress
import os
import socket
import ssl
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urljoin, urlsplit

from talkframe.core.errors import FILE_CORRUPTED, RenderError

MB = 1024 * 1024
SIZE_LIMITS = {"audio": 50 * MB, "image": 50 * MB, "video": 100 * MB}
_CHUNK = 64 * 1024
IpAddress = ipaddress.IPv4Address | ipaddress.IPv6Address


class FetchError(RenderError):
    """A URL that cannot be used: blocked, unreachable, too big, or not the promised kind of file."""

    def __init__(self, message: str, detail: str | None = None, code: int = FILE_CORRUPTED) -> None:
        super().__init__(code, message, detail)


class RefusedURL(FetchError):
    """A URL the rules forbid (scheme, or a non-public address): refused, never retried."""


class UnresolvedHost(FetchError):
    """A host name that does not resolve now (it may later: DNS decides at fetch time)."""


@dataclass(frozen=True)
class FetchPolicy:
    """Limits for one download. `allow_private` holds host names or CIDRs (e.g. {"127.0.0.1", "10.0.0.0/8"})."""

    allow_private: frozenset[str] = field(default_factory=frozenset)
    size_limits: dict[str, int] = field(default_factory=lambda: dict(SIZE_LIMITS))
    connect_timeout: float = 10.0
    read_timeout: float = 30.0
    total_timeout: float = 300.0
    max_redirects: int = 5
    user_agent: str = "talkframe-fetch/1"

    def allows(self, host: str, ip: IpAddress) -> bool:
        for entry in self.allow_private:
            if entry.lower() == host.lower():
                return True
            try:
                if ip in ipaddress.ip_network(entry, strict=False):
                    return True
            except ValueError:
                continue
        return False


@dataclass(frozen=True)
class Target:
    """One checked hop: where to connect and what to tell the server."""

    scheme: str
    host: str
    port: int
    path: str
    ip: str


def is_public(ip: IpAddress) -> bool:
    """True only for globally routable unicast addresses."""
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    if isinstance(ip, ipaddress.IPv6Address) and ip.sixtofour is not None:
        ip = ip.sixtofour
    return ip.is_global and not (ip.is_multicast or ip.is_reserved or ip.is_unspecified or ip.is_loopback)


def resolve(host: str, port: int) -> list[IpAddress]:
    """All addresses of `host` (an IP literal resolves to itself)."""
    try:
        return [ipaddress.ip_address(host)]
    except ValueError:
        pass
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as exc:
        raise UnresolvedHost(f"Could not resolve host {host}", str(exc)) from exc
    out: list[IpAddress] = []
    for info in infos:
        addr = ipaddress.ip_address(info[4][0].split("%")[0])
        if addr not in out:
            out.append(addr)
    if not out:
        raise UnresolvedHost(f"Could not resolve host {host}")
    return out


def check_url(url: str, policy: FetchPolicy | None = None) -> Target:
    """Validate a URL and pin it to one permitted address; raise `FetchError` when it is not allowed."""
    policy = policy or FetchPolicy()
    parts = urlsplit(url.strip())
    scheme = parts.scheme.lower()
    if scheme not in ("http", "https"):
        raise RefusedURL(f"URL scheme {scheme or '(none)'} is not allowed: use http or https", url)
    try:
        host = parts.hostname
        port = parts.port or (443 if scheme == "https" else 80)
    except ValueError as exc:
        raise RefusedURL("URL has an invalid host or port", url) from exc
    if not host:
        raise RefusedURL("URL has no host", url)
    addresses = resolve(host, port)
    for ip in addresses:
        if not is_public(ip) and not policy.allows(host, ip):
            raise RefusedURL(f"URL host {host} resolves to a non-public address ({ip}) and was refused", url)
    path = parts.path or "/"
    if parts.query:
        path += "?" + parts.query
    return Target(scheme, host, port, path, str(addresses[0]))


def refusal_at_submit(url: str, policy: FetchPolicy) -> str | None:
    """Why a request's URL is refused when it is submitted, or None. The same rules run again at fetch time,
    since DNS may change; a host that does not resolve yet is let through to that check."""
    try:
        check_url(url, policy)
    except UnresolvedHost:
        return None
    except FetchError as exc:
        return exc.message
    return None


def fetch_to_file(url: str, kind: str, dest_dir: Path, policy: FetchPolicy | None = None) -> Path:
    """Download `url` as a file of `kind` ("audio" | "image" | "video") into `dest_dir`; return its path.

    The name is `<sha256 prefix>.<sniffed extension>`. Raises `FetchError` (code 400652) with a message for the
    user on any refusal or failure.
    """
    policy = policy or FetchPolicy()
    if kind not in policy.size_limits:
        raise ValueError(f"unknown kind {kind}")
    limit = policy.size_limits[kind]
    deadline = time.monotonic() + policy.total_timeout
    dest_dir.mkdir(parents=True, exist_ok=True)
    current = url
    for _hop in range(policy.max_redirects + 1):
        target = check_url(current, policy)
        conn, response = _open(target, policy)
        try:
            if response.status in (301, 302, 303, 307, 308):
                location = response.getheader("Location")
                if not location:
                    raise FetchError(f"Redirect without a Location from {target.host}", current)
                current = urljoin(current, location)
                continue
            if response.status != 200:
                raise FetchError(f"Fetching {_short(url)} failed with HTTP {response.status}", current)
            return _store(response, kind, limit, dest_dir, deadline, policy, url)
        finally:
            conn.close()
    raise FetchError(f"Too many redirects (more than {policy.max_redirects}) for {_short(url)}", url)


def _open(target: Target, policy: FetchPolicy) -> tuple[http.client.HTTPConnection, http.client.HTTPResponse]:
    headers = {"User-Agent": policy.user_agent, "Accept": "*/*", "Accept-Encoding": "identity"}
    return open_pinned(target, "GET", None, headers, policy.connect_timeout, policy.read_timeout)


def open_pinned(target: Target, method: str, body: bytes | None, headers: dict[str, str], connect_timeout: float,
                read_timeout: float) -> tuple[http.client.HTTPConnection, http.client.HTTPResponse]:
    """Connect to the checked, pinned address and send one request with the original Host (and SNI)."""
    try:
        sock = _connect(target.ip, target.port, connect_timeout)
    except OSError as exc:
        raise FetchError(f"Could not connect to {target.host}", str(exc)) from exc
    sock.settimeout(read_timeout)
    conn: http.client.HTTPConnection
    try:
        if target.scheme == "https":
            context = ssl.create_default_context()
            sock = context.wrap_socket(sock, server_hostname=target.host)
            conn = http.client.HTTPSConnection(target.host, target.port, timeout=read_timeout, context=context)
        else:
            conn = http.client.HTTPConnection(target.host, target.port, timeout=read_timeout)
        conn.sock = sock  # already connected to the checked address: http.client will not resolve again
        conn.request(method, target.path, body=body, headers=headers)
        return conn, conn.getresponse()
    except (OSError, http.client.HTTPException, ssl.SSLError) as exc:
        sock.close()
        raise FetchError(f"Could not reach {target.host}", str(exc)) from exc


def _connect(ip: str, port: int, timeout: float) -> socket.socket:
    """A TCP connection to a literal address: no name lookup happens here at all."""
    addr = ipaddress.ip_address(ip)
    family = socket.AF_INET6 if addr.version == 6 else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.settimeout(timeout)
    try:
        sock.connect((ip, port))
    except OSError:
        sock.close()
        raise
    return sock


def _store(response: http.client.HTTPResponse, kind: str, limit: int, dest_dir: Path, deadline: float,
           policy: FetchPolicy, url: str) -> Path:
    length = response.getheader("Content-Length")
    if length and length.isdigit() and int(length) > limit:
        raise FetchError(f"The {kind} file is too large ({int(length) // MB} MB > {limit // MB} MB)", url)
    digest = hashlib.sha256()
    total = 0
    fd, tmp_name = tempfile.mkstemp(dir=dest_dir, suffix=".part")
    tmp = Path(tmp_name)
    try:
        with os.fdopen(fd, "wb") as out:
            while True:
                if time.monotonic() > deadline:
                    raise FetchError(f"Downloading {_short(url)} took too long", url)
                try:
                    chunk = response.read(_CHUNK)
                except (OSError, http.client.HTTPException) as exc:
                    raise FetchError(f"Download of {_short(url)} was interrupted", str(exc)) from exc
                if not chunk:
                    break
                total += len(chunk)
                if total > limit:
                    raise FetchError(f"The {kind} file is too large (over {limit // MB} MB)", url)
                digest.update(chunk)
                out.write(chunk)
        if total == 0:
            raise FetchError(f"The {kind} file at {_short(url)} is empty", url)
        with open(tmp, "rb") as f:
            head = f.read(64)
        ext = sniff(head)
        if ext is None or ext not in ACCEPTED[kind]:
            raise FetchError(f"The file at {_short(url)} is not a supported {kind} file"
                             f" ({'unknown type' if ext is None else ext})", url)
        final = dest_dir / f"{digest.hexdigest()[:24]}.{ext}"
        tmp.replace(final)
        return final
    finally:
        tmp.unlink(missing_ok=True)


ACCEPTED: dict[str, set[str]] = {
    "audio": {"wav", "mp3", "ogg", "flac", "m4a", "webm", "aac", "mp4"},
    "image": {"jpg", "png", "webp", "gif"},
    "video": {"mp4", "mov", "webm", "m4a"},
}


def sniff(head: bytes) -> str | None:
    """File type from its first bytes (never from the URL or Content-Type)."""
    if head.startswith(b"RIFF") and head[8:12] == b"WAVE":
        return "wav"
    if head.startswith(b"RIFF") and head[8:12] == b"WEBP":
        return "webp"
    if head.startswith(b"ID3") or (len(head) > 1 and head[0] == 0xFF and head[1] & 0xE0 == 0xE0
                                   and head[1] & 0x06 != 0):
        return "mp3"
    if len(head) > 1 and head[0] == 0xFF and head[1] & 0xF6 == 0xF0:
        return "aac"
    if head.startswith(b"OggS"):
        return "ogg"
    if head.startswith(b"fLaC"):
        return "flac"
    if head[4:8] == b"ftyp":
        brand = head[8:12]
        if brand in (b"M4A ", b"M4B "):
            return "m4a"
        return "mov" if brand == b"qt  " else "mp4"
    if head.startswith(b"\x1a\x45\xdf\xa3"):
        return "webm"
    if head.startswith(b"\xff\xd8\xff"):
        return "jpg"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if head.startswith((b"GIF87a", b"GIF89a")):
        return "gif"
    return None


def _short(url: str, n: int = 80) -> str:
    return url if len(url) <= n else url[: n - 3] + "..."

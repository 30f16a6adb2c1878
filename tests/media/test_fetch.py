"""The safe fetcher against real loopback servers that count every connection they receive."""

from __future__ import annotations

import io
import socket
import threading
import wave
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import numpy as np
import pytest

from talkframe.media import fetch
from talkframe.media.fetch import FetchError, FetchPolicy, fetch_to_file

LOOPBACK_OK = FetchPolicy(allow_private=frozenset({"127.0.0.1"}))


def wav_bytes(seconds: float = 0.5) -> bytes:
    buf = io.BytesIO()
    with wave.open(buf, "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(16000)
        t = np.arange(int(16000 * seconds)) / 16000
        w.writeframes((np.sin(2 * np.pi * 300 * t) * 8000).astype("<i2").tobytes())
    return buf.getvalue()


class Server:
    """A loopback HTTP server with a few routes; `connections` counts accepted TCP connections."""

    def __init__(self, host: str) -> None:
        self.connections = 0
        self.hosts: list[str] = []
        self.sent_bytes = 0
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: object) -> None:
                pass

            def do_GET(self) -> None:  # noqa: N802
                outer.hosts.append(self.headers.get("Host", ""))
                path = self.path
                if path.startswith("/redirect?to="):
                    self.send_response(302)
                    self.send_header("Location", path.split("=", 1)[1])
                    self.end_headers()
                elif path.startswith("/loop"):
                    n = int(path[5:] or 0)
                    self.send_response(302)
                    self.send_header("Location", f"/loop{n + 1}")
                    self.end_headers()
                elif path == "/speech.mp3":  # a WAV lying about its name: sniffed as wav
                    self._send(wav_bytes(), "audio/mpeg")
                elif path == "/page.wav":
                    self._send(b"<html><body>not audio</body></html>" * 10, "audio/wav")
                elif path == "/big-declared":
                    self.send_response(200)
                    self.send_header("Content-Length", str(200 * 1024 * 1024))
                    self.end_headers()
                elif path == "/big-stream":  # no Content-Length: the cap must hold while streaming
                    self.send_response(200)
                    self.end_headers()
                    chunk = wav_bytes()[:44] + bytes(64 * 1024 - 44)
                    try:
                        for _ in range(400):  # 25 MB if nobody stops us
                            self.wfile.write(chunk)
                            outer.sent_bytes += len(chunk)
                            chunk = bytes(64 * 1024)
                    except OSError:
                        pass
                else:
                    self.send_response(404)
                    self.end_headers()

            def _send(self, body: bytes, ctype: str) -> None:
                self.send_response(200)
                self.send_header("Content-Type", ctype)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

        class CountingServer(ThreadingHTTPServer):
            daemon_threads = True

            def get_request(self):  # type: ignore[no-untyped-def]
                outer.connections += 1
                return super().get_request()

        self.httpd = CountingServer((host, 0), Handler)
        self.port = self.httpd.server_address[1]
        self.base = f"http://{host}:{self.port}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, kwargs={"poll_interval": 0.02},
                                       daemon=True)
        self.thread.start()

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.fixture
def server() -> Iterator[Server]:
    s = Server("127.0.0.1")
    yield s
    s.close()


@pytest.fixture
def victim() -> Iterator[Server]:
    """An internal service on another loopback address that must never be reached."""
    s = Server("127.0.0.2")
    yield s
    s.close()


@pytest.fixture
def no_connect(monkeypatch: pytest.MonkeyPatch) -> list[tuple]:
    calls: list[tuple] = []
    real = fetch._connect

    def spy(ip: str, port: int, timeout: float) -> socket.socket:
        calls.append((ip, port))
        return real(ip, port, timeout)

    monkeypatch.setattr(fetch, "_connect", spy)
    return calls


def test_fetches_and_sniffs_real_type(server: Server, tmp_path: Path) -> None:
    path = fetch_to_file(f"{server.base}/speech.mp3", "audio", tmp_path, LOOPBACK_OK)
    assert path.suffix == ".wav" and path.read_bytes() == wav_bytes()
    again = fetch_to_file(f"{server.base}/speech.mp3", "audio", tmp_path, LOOPBACK_OK)
    assert again == path  # stored by content hash
    assert not list(tmp_path.glob("*.part"))


@pytest.mark.parametrize("url", [
    "http://127.0.0.1:{port}/speech.mp3",
    "http://localhost:{port}/speech.mp3",
    "http://[::1]:{port}/speech.mp3",
    "http://[::ffff:127.0.0.1]:{port}/speech.mp3",
    "http://10.1.2.3/speech.mp3",
    "http://192.168.0.10/speech.mp3",
    "http://169.254.169.254/latest/meta-data/",
    "http://100.100.100.200/latest/meta-data/",
    "http://0.0.0.0:{port}/speech.mp3",
    "http://224.0.0.1/x",
    "http://2130706433:{port}/speech.mp3",
    "ftp://example.com/a.wav",
    "file:///etc/passwd",
])
def test_blocked_before_any_connection(url: str, server: Server, tmp_path: Path, no_connect: list) -> None:
    with pytest.raises(FetchError) as exc:
        fetch_to_file(url.format(port=server.port), "audio", tmp_path, FetchPolicy())
    assert exc.value.code == 400652 and exc.value.message
    assert no_connect == [] and server.connections == 0
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("target", [
    "http://127.0.0.2:{vport}/speech.mp3",
    "http://[::1]:{vport}/speech.mp3",
    "http://10.0.0.1/speech.mp3",
    "http://169.254.169.254/latest/meta-data/",
])
def test_redirect_to_internal_is_refused(target: str, server: Server, victim: Server, tmp_path: Path,
                                         no_connect: list) -> None:
    url = f"{server.base}/redirect?to={target.format(vport=victim.port)}"
    with pytest.raises(FetchError) as exc:
        fetch_to_file(url, "audio", tmp_path, LOOPBACK_OK)
    assert "refused" in exc.value.message
    assert server.connections == 1 and victim.connections == 0
    assert no_connect == [("127.0.0.1", server.port)]


def test_redirect_chain_limit(server: Server, tmp_path: Path) -> None:
    with pytest.raises(FetchError) as exc:
        fetch_to_file(f"{server.base}/loop0", "audio", tmp_path, LOOPBACK_OK)
    assert "Too many redirects" in exc.value.message
    assert server.connections == 6  # the first request plus 5 redirects, then stop


def test_allowed_redirect_is_followed(server: Server, tmp_path: Path) -> None:
    path = fetch_to_file(f"{server.base}/redirect?to=/speech.mp3", "audio", tmp_path, LOOPBACK_OK)
    assert path.read_bytes() == wav_bytes()


def test_connection_is_pinned_to_the_resolved_address(server: Server, tmp_path: Path,
                                                      monkeypatch: pytest.MonkeyPatch, no_connect: list) -> None:
    lookups: list[str] = []

    def fake_getaddrinfo(host, port, *args, **kwargs):  # type: ignore[no-untyped-def]
        lookups.append(host)
        return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", ("127.0.0.1", port))]

    monkeypatch.setattr(fetch.socket, "getaddrinfo", fake_getaddrinfo)
    path = fetch_to_file(f"http://media.example.test:{server.port}/speech.mp3", "audio", tmp_path, LOOPBACK_OK)
    assert path.is_file()
    assert lookups == ["media.example.test"]  # resolved once
    assert no_connect == [("127.0.0.1", server.port)]  # connected to that address
    assert server.hosts == [f"media.example.test:{server.port}"]  # with the original Host header


def test_hostname_allow_list(server: Server, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    policy = FetchPolicy(allow_private=frozenset({"localhost"}))
    monkeypatch.setattr(fetch.socket, "getaddrinfo", lambda host, port, *a, **k: [
        (socket.AF_INET, socket.SOCK_STREAM, 6, "", ("127.0.0.1", port))])
    assert fetch_to_file(f"http://localhost:{server.port}/speech.mp3", "audio", tmp_path, policy).is_file()


def test_declared_oversize_is_refused(server: Server, tmp_path: Path) -> None:
    with pytest.raises(FetchError) as exc:
        fetch_to_file(f"{server.base}/big-declared", "audio", tmp_path, LOOPBACK_OK)
    assert "too large" in exc.value.message


def test_streamed_oversize_is_aborted(server: Server, tmp_path: Path) -> None:
    policy = FetchPolicy(allow_private=frozenset({"127.0.0.1"}), size_limits={"audio": 1024 * 1024})
    with pytest.raises(FetchError) as exc:
        fetch_to_file(f"{server.base}/big-stream", "audio", tmp_path, policy)
    assert "too large" in exc.value.message
    assert server.sent_bytes < 25 * 1024 * 1024
    assert list(tmp_path.iterdir()) == []


def test_content_is_sniffed_not_trusted(server: Server, tmp_path: Path) -> None:
    with pytest.raises(FetchError) as exc:
        fetch_to_file(f"{server.base}/page.wav", "audio", tmp_path, LOOPBACK_OK)
    assert "not a supported audio file" in exc.value.message
    with pytest.raises(FetchError) as exc:
        fetch_to_file(f"{server.base}/speech.mp3", "image", tmp_path, LOOPBACK_OK)
    assert "not a supported image file" in exc.value.message


def test_http_errors_and_timeouts(server: Server, tmp_path: Path) -> None:
    with pytest.raises(FetchError) as exc:
        fetch_to_file(f"{server.base}/missing", "audio", tmp_path, LOOPBACK_OK)
    assert "HTTP 404" in exc.value.message
    silent = socket.socket()
    silent.bind(("127.0.0.1", 0))
    silent.listen(1)  # accepts the TCP connection but never answers
    try:
        policy = FetchPolicy(allow_private=frozenset({"127.0.0.1"}), read_timeout=0.5)
        with pytest.raises(FetchError):
            fetch_to_file(f"http://127.0.0.1:{silent.getsockname()[1]}/x", "audio", tmp_path, policy)
    finally:
        silent.close()


def test_sniff_table() -> None:
    assert fetch.sniff(b"ID3\x04") == "mp3"
    assert fetch.sniff(b"\xff\xfb\x90\x00") == "mp3"
    assert fetch.sniff(b"OggS\x00") == "ogg"
    assert fetch.sniff(b"\x00\x00\x00\x20ftypM4A ") == "m4a"
    assert fetch.sniff(b"\x00\x00\x00\x20ftypisom") == "mp4"
    assert fetch.sniff(b"\x1a\x45\xdf\xa3") == "webm"
    assert fetch.sniff(b"\xff\xd8\xff\xe0") == "jpg"
    assert fetch.sniff(b"<html>") is None

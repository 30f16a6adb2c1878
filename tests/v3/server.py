"""A real `talkframe serve` on loopback for the v3 acceptance tests, and a file server for URL inputs."""

from __future__ import annotations

import io
import os
import socket
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import httpx
import numpy as np
from PIL import Image


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class Server:
    data_dir: Path
    port: int = field(default_factory=free_port)
    env: dict[str, str] = field(default_factory=dict)
    key: str = ""
    proc: subprocess.Popen | None = None

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> Server:
        env = {**os.environ, "TALKFRAME_DATA_DIR": str(self.data_dir), "TALKFRAME_PORT": str(self.port),
               "TALKFRAME_POLL_INTERVAL_SECONDS": "0.1", "TALKFRAME_PUBLIC_BASE_URL": self.base,
               "TALKFRAME_SIGNING_SECRET": "v3-tests", "TALKFRAME_ALLOW_PRIVATE_HOSTS": "127.0.0.1",
               **self.env}
        self.proc = subprocess.Popen([sys.executable, "-m", "talkframe.cli", "serve"], env=env,
                                     stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        if not self.key:  # the first start prints the first key, once
            while not self.key:
                line = self.proc.stdout.readline() if self.proc.stdout else ""
                assert line, "server exited before printing a key"
                if line.strip().startswith("tf_"):
                    self.key = line.strip()
        threading.Thread(target=self._drain, daemon=True).start()
        deadline = time.time() + 60
        while time.time() < deadline:
            assert self.proc.poll() is None, "server exited"
            try:
                if httpx.get(f"{self.base}/health", timeout=1).status_code == 200:
                    return self
            except httpx.HTTPError:
                time.sleep(0.2)
        raise AssertionError("server did not start")

    def _drain(self) -> None:
        proc = self.proc
        if proc is not None and proc.stdout is not None:
            for _line in proc.stdout:
                pass

    def stop(self) -> None:
        if self.proc is not None:
            self.proc.terminate()
            try:
                self.proc.wait(15)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(10)
            self.proc = None

    def client(self) -> httpx.Client:
        return httpx.Client(base_url=self.base, headers={"x-api-key": self.key}, timeout=60)


def wait_v3(client: httpx.Client, video_id: str, timeout: float = 240.0) -> dict:
    deadline = time.time() + timeout
    data: dict = {}
    while time.time() < deadline:
        data = client.get(f"/v3/videos/{video_id}").json()["data"]
        if data["status"] in ("completed", "failed"):
            return data
        time.sleep(0.3)
    raise AssertionError(f"video {video_id} never finished; last: {data}")


def face_png() -> bytes:
    """The bundled test photo (public domain), as PNG bytes."""
    from talkframe.avatar.catalog import astronaut_rgb

    buf = io.BytesIO()
    Image.fromarray(np.asarray(astronaut_rgb())).save(buf, format="PNG")
    return buf.getvalue()


class FileServer:
    """Serves fixed bytes at /<name> on loopback (URL inputs; the server allows 127.0.0.1 for these tests)."""

    def __init__(self, files: dict[str, bytes]) -> None:
        files_ = files

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802
                data = files_.get(self.path.lstrip("/").split("?")[0])
                if data is None:
                    self.send_response(404)
                    self.end_headers()
                    return
                self.send_response(200)
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def url(self, name: str) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}/{name}"

    def close(self) -> None:
        self.server.shutdown()

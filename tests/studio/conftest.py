"""A live `talkframe serve` on loopback and Debian's chromium driven by Playwright, for the studio browser tests."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import pytest

from talkframe.core.config import Settings
from talkframe.db.keys import create_key
from talkframe.db.session import session_scope

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
SCREENSHOTS = Path(__file__).resolve().parents[2] / "out" / "studio-screenshots"
AXE = Path(__file__).parent / "vendor" / "axe-core" / "axe.min.js"


@dataclass
class Server:
    base: str
    key: str
    other_key: str
    proc: subprocess.Popen
    data_dir: Path


@dataclass
class Console:
    """Console errors and uncaught exceptions of every page a context opened."""

    errors: list[str] = field(default_factory=list)

    def watch(self, context) -> None:  # type: ignore[no-untyped-def]
        def on_page(page) -> None:  # type: ignore[no-untyped-def]
            page.on("console", lambda m: self.errors.append(f"{page.url}: {m.text}") if m.type == "error" else None)
            page.on("pageerror", lambda e: self.errors.append(f"{page.url}: {e}"))
        context.on("page", on_page)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    data_dir, port = tmp_path_factory.mktemp("studio") / "data", _free_port()
    base = f"http://127.0.0.1:{port}"
    env = {**os.environ, "TALKFRAME_DATA_DIR": str(data_dir), "TALKFRAME_PORT": str(port),
           "TALKFRAME_POLL_INTERVAL_SECONDS": "0.1", "TALKFRAME_PUBLIC_BASE_URL": base,
           "TALKFRAME_ALLOW_PRIVATE_HOSTS": "127.0.0.1"}
    proc = subprocess.Popen([sys.executable, "-m", "talkframe.cli", "serve"], env=env, stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, text=True)
    try:
        key = ""
        while not key:
            line = proc.stdout.readline()  # type: ignore[union-attr]
            assert line, "server exited before printing a key"
            if line.strip().startswith("tf_"):
                key = line.strip()
        deadline = time.time() + 60
        while True:
            assert proc.poll() is None and time.time() < deadline, "server did not start"
            try:
                if httpx.get(f"{base}/health", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                time.sleep(0.2)
        with session_scope(Settings(data_dir=data_dir).resolved_database_url) as s:
            other_key = create_key(s, name="second account")[1]
        yield Server(base, key, other_key, proc, data_dir)
    finally:
        proc.kill()
        proc.wait(10)


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    from playwright.sync_api import sync_playwright

    assert Path(CHROMIUM).exists(), "Debian's chromium is missing: run scripts/test-setup.sh as root"
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield b
        b.close()

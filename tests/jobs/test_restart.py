"""Kill `talkframe serve` mid-render; after a restart the same video completes. Nothing is lost or stuck."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx

from tests.helpers import body, silent_scene


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _serve(data_dir: Path, port: int) -> subprocess.Popen:
    env = {**os.environ, "TALKFRAME_DATA_DIR": str(data_dir), "TALKFRAME_PORT": str(port),
           "TALKFRAME_POLL_INTERVAL_SECONDS": "0.1", "TALKFRAME_PUBLIC_BASE_URL": f"http://127.0.0.1:{port}"}
    return subprocess.Popen([sys.executable, "-m", "talkframe.cli", "serve"], env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)


def _wait_up(port: int, proc: subprocess.Popen) -> None:
    deadline = time.time() + 60
    while time.time() < deadline:
        assert proc.poll() is None, proc.stdout.read() if proc.stdout else ""
        try:
            if httpx.get(f"http://127.0.0.1:{port}/health", timeout=1).status_code == 200:
                return
        except httpx.HTTPError:
            time.sleep(0.2)
    raise AssertionError("server did not start")


def _worker_pid(data_dir: Path, vid: str) -> int:
    """The pid inside the row's worker id (`host:pid:index`)."""
    import sqlite3

    with sqlite3.connect(data_dir / "talkframe.db") as db:
        (worker_id,) = db.execute("SELECT worker_id FROM videos WHERE id = ?", (vid,)).fetchone()
    return int(worker_id.split(":")[1])


def _state(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/stat").read_text().split(") ", 1)[1][0]
    except (OSError, IndexError):
        return "gone"


def _status(port: int, key: str, vid: str) -> dict:
    return httpx.get(f"http://127.0.0.1:{port}/v1/video_status.get", params={"video_id": vid},
                     headers={"X-Api-Key": key}, timeout=5).json()["data"]


def test_killed_mid_render_completes_after_restart(tmp_path: Path) -> None:
    data_dir, port = tmp_path / "data", _free_port()
    proc = _serve(data_dir, port)
    try:
        # the first start prints the first key, once
        key = ""
        while not key:
            line = proc.stdout.readline()
            assert line, "server exited before printing a key"
            if line.strip().startswith("tf_"):
                key = line.strip()
        _wait_up(port, proc)
        resp = httpx.post(f"http://127.0.0.1:{port}/v2/video/generate", headers={"X-Api-Key": key}, timeout=10,
                          json=body(silent_scene(12.0), width=640, height=360))
        vid = resp.json()["data"]["video_id"]
        deadline = time.time() + 60
        while _status(port, key, vid)["progress"] < 10:
            assert time.time() < deadline, "render never progressed"
            time.sleep(0.05)
        assert _status(port, key, vid)["status"] == "processing"
        render_pid = _worker_pid(data_dir, vid)
        assert render_pid != proc.pid  # renders run in a child process, off the API's GIL
        proc.send_signal(signal.SIGKILL)
        proc.wait(10)
        deadline = time.time() + 10
        while Path(f"/proc/{render_pid}").exists() and _state(render_pid) != "Z":
            assert time.time() < deadline, "the render process outlived its killed parent"
            time.sleep(0.1)

        proc = _serve(data_dir, port)
        _wait_up(port, proc)
        deadline = time.time() + 120
        while (data := _status(port, key, vid))["status"] not in ("completed", "failed"):
            assert time.time() < deadline, data
            time.sleep(0.2)
        assert data["status"] == "completed", data["error"]
        assert abs(data["duration"] - 12.0) < 0.05
    finally:
        proc.kill()
        proc.wait(10)

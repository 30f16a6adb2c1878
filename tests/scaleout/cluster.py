"""A scale-out deployment as separate processes: `talkframe serve` (API + enqueuer) and N `talkframe worker`s,
each with its own data directory (as on separate machines), sharing PostgreSQL, Redis and S3.
"""

from __future__ import annotations

import os
import secrets
import subprocess
import sys
import time
from pathlib import Path

import httpx
from celery import Celery

from talkframe.core.config import Settings
from talkframe.jobs.celery_app import make_celery
from tests.scaleout.services import Seaweed, free_ports, stop


class Cluster:
    def __init__(self, root: Path, pg_url: str, broker_url: str, s3: Seaweed, bucket: str | None = None) -> None:
        self.root = root
        self.queue = f"talkframe-test-{secrets.token_hex(4)}"
        self.bucket = bucket or f"tf-test-{secrets.token_hex(4)}"
        self.port = free_ports(1)[0]
        self.base = f"http://127.0.0.1:{self.port}"
        self.env = {**os.environ, "TALKFRAME_DATABASE_URL": pg_url, "TALKFRAME_BROKER_URL": broker_url,
                    "TALKFRAME_QUEUE_NAME": self.queue, "TALKFRAME_STORAGE": "s3",
                    "TALKFRAME_S3_ENDPOINT_URL": s3.endpoint, "TALKFRAME_S3_BUCKET": self.bucket,
                    "TALKFRAME_S3_ACCESS_KEY": s3.access_key, "TALKFRAME_S3_SECRET_KEY": s3.secret_key,
                    "TALKFRAME_SIGNING_SECRET": "scaleout-test", "TALKFRAME_POLL_INTERVAL_SECONDS": "0.1",
                    "TALKFRAME_PORT": str(self.port), "TALKFRAME_PUBLIC_BASE_URL": self.base,
                    "TALKFRAME_VIDEO_AVATAR_MIN_SECONDS": "5", "TALKFRAME_ALLOW_PRIVATE_HOSTS": "127.0.0.1",
                    "TALKFRAME_WEBHOOK_RETRY_BASE_SECONDS": "0.5"}
        self.settings = Settings(database_url=pg_url, broker_url=broker_url, queue_name=self.queue, storage="s3",
                                 s3_endpoint_url=s3.endpoint, s3_bucket=self.bucket, s3_access_key=s3.access_key,
                                 s3_secret_key=s3.secret_key, signing_secret="scaleout-test",
                                 data_dir=root / "client")
        self.celery: Celery = make_celery(self.settings)
        self.procs: list[subprocess.Popen] = []
        self.workers: dict[str, subprocess.Popen] = {}
        self.key = ""

    def _spawn(self, args: list[str], data_dir: Path, log_name: str) -> subprocess.Popen:
        env = {**self.env, "TALKFRAME_DATA_DIR": str(data_dir)}
        log = open(self.root / log_name, "w")  # noqa: SIM115 - the child owns it
        proc = subprocess.Popen([sys.executable, "-m", "talkframe.cli", *args], env=env, stdout=log,
                                stderr=subprocess.STDOUT, text=True, start_new_session=True)
        self.procs.append(proc)
        return proc

    def start_api(self) -> None:
        proc = self._spawn(["serve"], self.root / "api", "api.log")
        deadline = time.time() + 90
        while True:
            assert proc.poll() is None, self.log("api.log")
            try:
                if httpx.get(f"{self.base}/health", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            assert time.time() < deadline, "API did not start: " + self.log("api.log")
            time.sleep(0.2)
        self.key = next(line.strip() for line in self.log("api.log").splitlines() if line.strip().startswith("tf_"))

    def start_worker(self, name: str, concurrency: int = 1) -> str:
        """Start a worker on its own data directory; returns its Celery node name."""
        node = f"{name}-{self.queue}@localhost"
        self.workers[node] = self._spawn(["worker", "--hostname", node, "--concurrency", str(concurrency)],
                                         self.root / name, f"{name}.log")
        return node

    def wait_workers(self, timeout: float = 120.0) -> None:
        deadline = time.time() + timeout
        while True:
            for node, proc in self.workers.items():
                assert proc.poll() is None, f"{node} exited: " + self.log(f"{node.split('-')[0]}.log")[-3000:]
            replies = self.celery.control.ping(destination=list(self.workers), timeout=1.0) or []
            if {n for r in replies for n in r} >= set(self.workers):
                return
            assert time.time() < deadline, f"workers never answered a ping: {replies}"

    def log(self, name: str) -> str:
        path = self.root / name
        return path.read_text(errors="replace") if path.exists() else ""

    def get(self, path: str, **params: str) -> dict:
        return httpx.get(f"{self.base}{path}", params=params, headers={"X-Api-Key": self.key}, timeout=10).json()

    def generate(self, body: dict) -> str:
        resp = httpx.post(f"{self.base}/v2/video/generate", json=body, headers={"X-Api-Key": self.key}, timeout=10)
        assert resp.status_code == 200, resp.text
        return resp.json()["data"]["video_id"]

    def status(self, video_id: str) -> dict:
        return self.get("/v1/video_status.get", video_id=video_id)["data"]

    def close(self) -> None:
        for proc in reversed(self.procs):
            stop(proc, grace=10)

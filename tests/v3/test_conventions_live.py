"""Idempotency-Key and the concurrency limit on a live API-only server (TALKFRAME_WORKERS=0)."""

from __future__ import annotations

import base64
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import httpx
import pytest

from talkframe.avatar.catalog import BUILTIN_AVATAR_ID
from tests.v3.server import Server, face_png

BODY = {"type": "avatar", "avatar_id": BUILTIN_AVATAR_ID, "script": "Hi.", "resolution": "240p"}


@pytest.fixture(scope="module")
def api(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    srv = Server(Path(tmp_path_factory.mktemp("v3api")) / "data",
                 env={"TALKFRAME_WORKERS": "0", "TALKFRAME_MAX_CONCURRENT_VIDEOS": "3"}).start()
    try:
        yield srv
    finally:
        srv.stop()


def _count(c: httpx.Client) -> int:
    return len(c.get("/v3/videos", params={"limit": 100}).json()["data"])


def test_replay_same_answer_and_survives_restart(api: Server) -> None:
    with api.client() as c:
        first = c.post("/v3/videos", json=BODY, headers={"Idempotency-Key": "replay-1"})
        assert first.status_code == 200
        again = c.post("/v3/videos", json=BODY, headers={"Idempotency-Key": "replay-1"})
        assert again.status_code == 200 and again.json() == first.json()
        assert again.headers["idempotent-replayed"] == "true"
        other = c.post("/v3/videos", json=BODY, headers={"Idempotency-Key": "replay-2"})
        assert other.json()["data"]["video_id"] != first.json()["data"]["video_id"]
        api.stop()
        api.start()
        after = c.post("/v3/videos", json=BODY, headers={"Idempotency-Key": "replay-1"})
        assert after.json() == first.json()  # stored in the database, not in memory
        for vid in (first.json()["data"]["video_id"], other.json()["data"]["video_id"]):
            c.delete(f"/v3/videos/{vid}")


class _SlowImage:
    """Serves a face PNG after `delay` seconds, keeping a POST /v3/videos in flight."""

    def __init__(self, delay: float) -> None:
        png = face_png()

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802
                time.sleep(delay)
                self.send_response(200)
                self.send_header("Content-Length", str(len(png)))
                self.end_headers()
                self.wfile.write(png)

            def log_message(self, *args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/face.png"


def test_overlap_is_409_request_in_progress(api: Server) -> None:
    slow = _SlowImage(3.0)
    body = {"type": "image", "image": {"type": "url", "url": slow.url}, "script": "Hi.", "resolution": "240p"}
    results: dict[str, httpx.Response] = {}
    with api.client() as c:
        t = threading.Thread(target=lambda: results.setdefault(
            "first", c.post("/v3/videos", json=body, headers={"Idempotency-Key": "overlap"})))
        t.start()
        time.sleep(1.0)
        second = c.post("/v3/videos", json=body, headers={"Idempotency-Key": "overlap"})
        t.join(30)
        assert second.status_code == 409
        err = second.json()["error"]
        assert err["code"] == "request_in_progress" and err["param"] == "Idempotency-Key"
        assert results["first"].status_code == 200, results["first"].text
        replay = c.post("/v3/videos", json=body, headers={"Idempotency-Key": "overlap"})
        assert replay.json() == results["first"].json()
        c.delete(f"/v3/videos/{replay.json()['data']['video_id']}")
    slow.server.shutdown()


def test_429_retry_after_and_no_job_left(api: Server) -> None:
    png_b64 = base64.b64encode(face_png()).decode()
    image_body = {"type": "image", "image": {"type": "base64", "data": png_b64}, "script": "Hi.",
                  "resolution": "240p"}
    with api.client() as c:
        made = [c.post("/v3/videos", json=BODY).json()["data"]["video_id"] for _ in range(3)]
        photos = len(c.get("/v1/talking_photo.list").json()["data"])
        assets = len(c.get("/v1/asset/list").json()["data"]["assets"])
        refused = c.post("/v3/videos", json=image_body, headers={"Idempotency-Key": "limited"})
        assert refused.status_code == 429
        assert refused.json()["error"]["code"] == "rate_limit_exceeded"
        assert int(refused.headers["retry-after"]) > 0
        assert _count(c) == 3  # no job behind
        assert len(c.get("/v1/talking_photo.list").json()["data"]) == photos  # nor any stored image
        assert len(c.get("/v1/asset/list").json()["data"]["assets"]) == assets
        c.delete(f"/v3/videos/{made[0]}")
        # the key was released by the 429: the CLI's retry with the same key now goes through
        retry = c.post("/v3/videos", json=image_body, headers={"Idempotency-Key": "limited"})
        assert retry.status_code == 200, retry.text
        for vid in made[1:] + [retry.json()["data"]["video_id"]]:
            c.delete(f"/v3/videos/{vid}")

"""v3 webhooks: endpoint management shapes, and a signed v3 delivery that survives a server restart."""

from __future__ import annotations

import hashlib
import hmac
import json
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from talkframe.avatar.catalog import BUILTIN_AVATAR_ID
from tests.platform.receiver import Receiver
from tests.v3.server import Server, wait_v3
from tests.v3.test_videos_api import _error

ENDPOINT_KEYS = {"endpoint_id", "url", "status", "created_at", "events", "secret"}


@pytest.fixture()
def receiver() -> Iterator[Receiver]:
    r = Receiver()
    yield r
    r.close()


def test_endpoint_management(client: TestClient, receiver: Receiver) -> None:
    client.app.state.services.settings.allow_private_hosts = "127.0.0.1"
    r = client.post("/v3/webhooks/endpoints", json={"url": receiver.url, "events": ["avatar_video.success"]})
    assert r.status_code == 200, r.text
    e = r.json()["data"]
    assert set(e) == ENDPOINT_KEYS and e["secret"].startswith("whsec_") and e["status"] == "enabled"
    assert e["created_at"].endswith("Z") and e["events"] == ["avatar_video.success"]
    listed = client.get("/v3/webhooks/endpoints").json()
    assert listed["has_more"] is False and listed["data"][0]["secret"] is None
    patched = client.patch(f"/v3/webhooks/endpoints/{e['endpoint_id']}", json={"events": None}).json()["data"]
    assert patched["events"] is None and patched["secret"] is None
    rotated = client.post(f"/v3/webhooks/endpoints/{e['endpoint_id']}/rotate-secret").json()["data"]
    assert set(rotated) == {"endpoint_id", "secret"} and rotated["secret"] != e["secret"]
    types = client.get("/v3/webhooks/event-types").json()
    assert {t["event_type"] for t in types["data"]} >= {"avatar_video.success", "avatar_video.fail"}
    assert client.delete(f"/v3/webhooks/endpoints/{e['endpoint_id']}").json() == {"data": {}, "error": None}
    _error(client.delete(f"/v3/webhooks/endpoints/{e['endpoint_id']}"), 404, "not_found", "endpoint_id")
    _error(client.post("/v3/webhooks/endpoints", json={"url": "ftp://x"}), 400, "invalid_parameter", "url")
    _error(client.post("/v3/webhooks/endpoints", json={"url": receiver.url, "events": ["nope"]}), 400,
           "invalid_parameter", "events")
    _error(client.post("/v3/webhooks/endpoints", json={"url": "http://10.0.0.1/x"}), 400, "invalid_parameter",
           "url")


def test_signed_v3_delivery_after_restart(tmp_path: Path) -> None:
    receiver = Receiver(script=[503] * 1000)  # down until the server has been restarted
    srv = Server(tmp_path / "data", env={"TALKFRAME_WEBHOOK_RETRY_BASE_SECONDS": "0.5"}).start()
    try:
        with srv.client() as c:
            e = c.post("/v3/webhooks/endpoints", json={"url": receiver.url}).json()["data"]
            vid = c.post("/v3/videos", json={"type": "avatar", "avatar_id": BUILTIN_AVATAR_ID, "script": "Hi.",
                                             "resolution": "240p", "callback_id": "cb-1"}).json()["data"]["video_id"]
            assert wait_v3(c, vid)["status"] == "completed"
            deadline = time.time() + 30
            while not receiver.posts():
                assert time.time() < deadline, "no attempt before the restart"
                time.sleep(0.1)
            srv.stop()
            receiver.script.clear()  # the receiver comes back while the server is down
            seen = len(receiver.posts())
            srv.start()
            deadline = time.time() + 60
            while not any(json.loads(p.body)["event_type"] == "avatar_video.success"
                          for p in receiver.posts()[seen:]):
                assert time.time() < deadline, "not delivered after the restart"
                time.sleep(0.2)
            post = next(p for p in receiver.posts()[seen:]
                        if json.loads(p.body)["event_type"] == "avatar_video.success")
            headers = {k.lower(): v for k, v in post.headers.items()}
            # the spec's recipe: hex HMAC-SHA256 of the raw body under the secret string, whsec_ prefix included
            expected = hmac.new(e["secret"].encode(), post.body, hashlib.sha256).hexdigest()
            assert hmac.compare_digest(headers["heygen-signature"], expected)
            assert headers["signature"] == headers["x-heygen-signature"] == expected
            assert abs(int(headers["heygen-timestamp"]) - time.time()) < 300
            body = json.loads(post.body)
            assert set(body) == {"event_id", "event_type", "event", "event_data", "created_at"}
            assert headers["heygen-event-id"] == body["event_id"] and body["event"] == body["event_type"]
            data = body["event_data"]
            assert data["video_id"] == vid and data["callback_id"] == "cb-1" and data["url"].startswith("http")
            assert {"gif_download_url", "video_page_url", "video_share_page_url", "folder_id", "duration",
                    "thumbnail_url", "subtitle_url", "captioned_video_url"} <= set(data)
            log = c.get("/v3/webhooks/events", params={"entity_id": vid}).json()
            assert {ev["event_type"] for ev in log["data"]} == {"avatar_video.success", "avatar_video_gif.success"}
            assert body["event_id"] in {ev["event_id"] for ev in log["data"]}
    finally:
        srv.stop()
        receiver.close()

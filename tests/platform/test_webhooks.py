"""Webhooks against real HTTP receivers on loopback: signed, durable, retried, at least once."""

from __future__ import annotations

import hashlib
import hmac
import json
import socket
import time

from talkframe.services import build_services
from tests.helpers import body, silent_scene, wait_for_status
from tests.platform.conftest import serve
from tests.platform.receiver import Receiver


def _wait(predicate, timeout: float = 30.0) -> None:  # type: ignore[no-untyped-def]
    deadline = time.time() + timeout
    while not predicate():
        assert time.time() < deadline, "condition not met in time"
        time.sleep(0.05)


def _add(client, url: str, events=None) -> dict:  # type: ignore[no-untyped-def]
    resp = client.post("/v1/webhook/endpoint.add", json={"url": url, "events": events})
    assert resp.status_code == 200, resp.text
    return resp.json()["data"]


def test_signed_delivery_verifies_against_raw_body(services, api_key, receiver: Receiver) -> None:  # type: ignore[no-untyped-def]
    with serve(services, api_key) as c:
        endpoint = _add(c, receiver.url, ["avatar_video.success"])
        assert receiver.requests[0].method == "OPTIONS"  # validated at registration
        assert set(endpoint) >= {"endpoint_id", "url", "secret", "status", "events", "created_at"}
        vid = c.post("/v2/video/generate", json=body(silent_scene(0.5), callback_id="cb-7")).json()["data"]["video_id"]
        wait_for_status(c, vid, {"completed"})
        _wait(lambda: len(receiver.posts()) == 1)
    post = receiver.posts()[0]
    expected = hmac.new(endpoint["secret"].encode(), post.body, hashlib.sha256).hexdigest()
    assert post.headers["Signature"] == expected
    assert post.headers["X-HeyGen-Signature"] == expected
    payload = json.loads(post.body)
    assert payload["event_type"] == payload["event"] == "avatar_video.success"
    data = payload["event_data"]
    assert data["video_id"] == vid and data["callback_id"] == "cb-7"
    assert data["url"].startswith("http://testserver/files/") and data["gif_download_url"]


def test_failing_receiver_gets_exactly_one_success_after_retries(services, api_key) -> None:  # type: ignore[no-untyped-def]
    receiver = Receiver(script=[500, 503])
    try:
        with serve(services, api_key) as c:
            _add(c, receiver.url, ["avatar_video.success"])
            vid = c.post("/v2/video/generate", json=body(silent_scene(0.5))).json()["data"]["video_id"]
            wait_for_status(c, vid, {"completed"})
            _wait(lambda: len(receiver.posts()) == 3)
            time.sleep(1.0)  # no further attempt after the success
        assert len(receiver.posts()) == 3
        assert len({p.body for p in receiver.posts()}) == 1  # the same stored body each time
    finally:
        receiver.close()
    from talkframe.db.models import WebhookDelivery
    from talkframe.db.session import session_scope

    with session_scope(services.db_url) as s:
        (row,) = s.query(WebhookDelivery).all()
        assert (row.status, row.attempts, row.last_status_code) == ("delivered", 3, 200)


def test_restart_between_attempts_still_delivers(settings, api_key) -> None:  # type: ignore[no-untyped-def]
    settings.webhook_retry_base_seconds = 2.0
    services = build_services(settings)
    receiver = Receiver()
    url = receiver.url
    with serve(services, api_key) as c:
        _add(c, url, ["avatar_video.success"])
        receiver.close()  # the receiver goes down before the video finishes
        vid = c.post("/v2/video/generate", json=body(silent_scene(0.5))).json()["data"]["video_id"]
        wait_for_status(c, vid, {"completed"})
        from talkframe.db.models import WebhookDelivery
        from talkframe.db.session import session_scope

        def attempted() -> bool:
            with session_scope(services.db_url) as s:
                return any(d.attempts >= 1 for d in s.query(WebhookDelivery).all())

        _wait(attempted)
    # the server is down; the receiver comes back on the same port; a new server process takes over
    port = int(url.rsplit(":", 1)[1].split("/")[0])
    back = Receiver(port=port)
    try:
        with serve(build_services(settings), api_key):
            _wait(lambda: len(back.posts()) == 1, timeout=30)
        assert json.loads(back.posts()[0].body)["event_data"]["video_id"] == vid
    finally:
        back.close()


def test_callback_url_gets_the_same_body_unsigned(services, api_key, receiver: Receiver) -> None:  # type: ignore[no-untyped-def]
    with serve(services, api_key) as c:
        vid = c.post("/v2/video/generate", json=body(silent_scene(0.5), callback_url=receiver.url)).json()["data"][
            "video_id"]
        wait_for_status(c, vid, {"completed"})
        _wait(lambda: len(receiver.posts()) == 1)
    post = receiver.posts()[0]
    assert "Signature" not in post.headers and "X-HeyGen-Signature" not in post.headers
    assert json.loads(post.body)["event_data"]["video_id"] == vid


def test_failed_video_sends_fail_event(settings, api_key, receiver: Receiver) -> None:  # type: ignore[no-untyped-def]
    settings.max_video_seconds = 0.2
    with serve(build_services(settings), api_key) as c:
        _add(c, receiver.url)
        vid = c.post("/v2/video/generate", json=body(silent_scene(0.5))).json()["data"]["video_id"]
        wait_for_status(c, vid, {"failed"})
        _wait(lambda: len(receiver.posts()) == 2)
    events = {json.loads(p.body)["event_type"]: json.loads(p.body)["event_data"] for p in receiver.posts()}
    assert set(events) == {"avatar_video.fail", "avatar_video_gif.fail"}
    assert events["avatar_video.fail"]["msg"].startswith("Video is too long")


def test_endpoint_add_with_unreachable_url_fails_clearly(client) -> None:  # type: ignore[no-untyped-def]
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]  # nothing listens here once the socket closes
    resp = client.post("/v1/webhook/endpoint.add", json={"url": f"http://127.0.0.1:{port}/hook"})
    assert resp.status_code == 400
    assert resp.json()["message"].startswith("The webhook URL could not be validated")


def test_private_targets_are_refused_unless_allowed(client) -> None:  # type: ignore[no-untyped-def]
    for url in ("http://10.1.2.3/hook", "http://169.254.169.254/latest", "http://[::1]:9/hook", "ftp://x/y"):
        resp = client.post("/v1/webhook/endpoint.add", json={"url": url})
        assert resp.status_code == 400, url


def test_endpoint_crud_and_event_list(services, api_key, receiver: Receiver) -> None:  # type: ignore[no-untyped-def]
    with serve(services, api_key) as c:
        e = _add(c, receiver.url)
        assert c.get("/v1/webhook/endpoint.list").json()["data"][0]["endpoint_id"] == e["endpoint_id"]
        upd = c.patch("/v1/webhook/endpoint.update",
                      json={"endpoint_id": e["endpoint_id"], "events": ["avatar_video.fail"]}).json()["data"]
        assert upd["events"] == ["avatar_video.fail"]
        bad = c.patch("/v1/webhook/endpoint.update", json={"endpoint_id": e["endpoint_id"], "events": ["nope"]})
        assert bad.status_code == 400
        assert c.delete("/v1/webhook/endpoint.delete", params={"endpoint_id": e["endpoint_id"]}).status_code == 200
        assert c.get("/v1/webhook/endpoint.list").json()["data"] == []
        events = c.get("/v1/webhook/webhook.list").json()["data"]
        assert "avatar_video.success" in events and "avatar_video.fail" in events


def test_a_delivery_to_a_forbidden_address_is_failed_not_retried(services, receiver: Receiver) -> None:  # type: ignore[no-untyped-def]
    """A stored delivery whose URL is now refused (allow-list changed, DNS moved inward) ends `failed` after one
    refused attempt instead of being retried against a private address."""
    from talkframe.core.clock import now
    from talkframe.db.models import WebhookDelivery
    from talkframe.db.session import session_scope
    from talkframe.media.fetch import FetchPolicy
    from talkframe.webhooks.delivery import RetryPolicy, deliver_due

    with session_scope(services.db_url) as s:
        s.add(WebhookDelivery(id="d1", account_id="a", endpoint_id=None, url=receiver.url,
                              event_type="avatar_video.success", body="{}", next_attempt_at=now(), created_at=now()))
    assert deliver_due(services, FetchPolicy(), RetryPolicy(base_seconds=0.01)) == 1  # no private allow-list
    assert deliver_due(services, FetchPolicy(), RetryPolicy(base_seconds=0.01)) == 0
    with session_scope(services.db_url) as s:
        row = s.get(WebhookDelivery, "d1")
        assert (row.status, row.attempts) == ("failed", 1)
        assert "non-public address" in row.last_error
    assert receiver.requests == []


def test_endpoint_delete_takes_the_id_as_a_path_segment(services, api_key, receiver: Receiver) -> None:  # type: ignore[no-untyped-def]
    with serve(services, api_key) as c:
        e = _add(c, receiver.url)
        assert c.delete(f"/v1/webhook/endpoint.delete/{e['endpoint_id']}").json()["code"] == 100
        assert c.get("/v1/webhook/endpoint.list").json()["data"] == []
        gone = c.delete(f"/v1/webhook/endpoint.delete/{e['endpoint_id']}")
        assert gone.status_code == 404 and gone.json()["message"]

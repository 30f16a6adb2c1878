"""Inputs a hostile or careless client sends get a clear 4xx in HeyGen's envelope, never a 500, a hang or a
traceback; and the server keeps answering afterwards."""

from __future__ import annotations

import json
import re

import pytest
from fastapi.testclient import TestClient

from talkframe.api.app import create_app
from talkframe.db.session import get_engine
from talkframe.services import build_services
from tests.helpers import body, scene

GENERATE = "/v2/video/generate"


def _healthy(client) -> None:  # type: ignore[no-untyped-def]
    assert client.get("/health").status_code == 200


def _no_internals(text: str) -> None:
    assert "Traceback" not in text and 'File "' not in text and "/site-packages/" not in text


def test_non_ascii_signature_is_a_403_not_a_crash(client, services) -> None:  # type: ignore[no-untyped-def]
    services.storage.put_bytes("videos/x/video.mp4", b"\x00\x00\x00\x18ftypmp42")
    resp = client.get("/files/videos/x/video.mp4?expires=99999999999&signature=%C3%A9")
    assert resp.status_code == 403
    assert resp.json()["message"].startswith("The link is invalid or has expired")
    _healthy(client)


def test_non_ascii_share_token_is_a_404_page(client) -> None:  # type: ignore[no-untyped-def]
    resp = client.get("/share/abc?t=%C3%A9", headers={"X-Api-Key": ""})
    assert resp.status_code == 404
    assert "not available" in resp.text
    _healthy(client)


@pytest.mark.parametrize("path", [GENERATE, "/v2/video_avatar", "/v1/webhook/endpoint.add", "/v1/folders/create"])
def test_deeply_nested_json_is_refused(client, path: str) -> None:  # type: ignore[no-untyped-def]
    deep = "[" * 10_000 + "]" * 10_000
    resp = client.post(path, content=f'{{"x": {deep}}}', headers={"Content-Type": "application/json"})
    assert resp.status_code == 400
    message = resp.json()["error"]["message"] if path.startswith("/v2/") else resp.json()["message"]
    assert message == "Request body is nested too deeply: the limit is 64 levels"
    _healthy(client)


def test_a_body_over_the_cap_is_refused_before_parsing(client) -> None:  # type: ignore[no-untyped-def]
    big = json.dumps(body(scene("Hello."), title="t" * 1_100_000))
    resp = client.post(GENERATE, content=big, headers={"Content-Type": "application/json"})
    assert resp.status_code == 413
    assert resp.json()["error"] == {"code": "payload_too_large",
                                    "message": "Request body is too large: the limit is 1048576 bytes"}
    _healthy(client)


def test_a_long_title_is_refused_with_the_field(client) -> None:  # type: ignore[no-untyped-def]
    resp = client.post(GENERATE, json=body(scene("Hello."), title="t" * 300))
    assert resp.status_code == 400
    assert resp.json()["error"]["fields"] == [{"field": "title", "message": "title must be at most 255 characters, "
                                                                            "got 300"}]


@pytest.mark.parametrize(("raw", "why"), [
    ("Hello\\u0000world", "contains a NUL character"),
    ("Hello \\ud800 world", "contains an unpaired surrogate (invalid Unicode)"),
    ("Hello\\u0007world", "contains a control character (U+0007)"),
])
def test_unusable_text_is_refused_at_submit(client, raw: str, why: str) -> None:  # type: ignore[no-untyped-def]
    doc = json.dumps(body(scene("PLACEHOLDER"))).replace("PLACEHOLDER", raw)
    resp = client.post(GENERATE, content=doc, headers={"Content-Type": "application/json"})
    assert resp.status_code == 400
    field = "video_inputs[0].voice.input_text"
    assert resp.json()["error"]["fields"] == [{"field": field, "message": f"{field} {why}"}]
    assert client.get("/v1/video.list").json()["data"]["videos"] == []  # nothing was stored


def test_newlines_and_tabs_in_a_script_are_fine(client) -> None:  # type: ignore[no-untyped-def]
    assert client.post(GENERATE, json=body(scene("Hello,\n\tworld."))).status_code == 200


def test_control_characters_in_the_url_are_refused(client) -> None:  # type: ignore[no-untyped-def]
    for url in ("/v1/video_status.get?video_id=%00", "/v2/talking_photo/%01x"):
        resp = client.get(url) if "status" in url else client.delete(url)
        assert resp.status_code == 400, url
        _no_internals(resp.text)
    _healthy(client)


@pytest.mark.parametrize(("field", "patch"), [
    ("callback_url", {"callback_url": "http://127.0.0.1:9/hook"}),
    ("callback_url", {"callback_url": "http://[::ffff:10.0.0.1]/hook"}),
    ("video_inputs[0].background.url", {"video_inputs": [scene("Hi.", background={
        "type": "image", "url": "http://169.254.169.254/latest/meta-data"})]}),
    ("video_inputs[0].voice.audio_url", {"video_inputs": [{**scene("Hi."), "voice": {
        "type": "audio", "audio_url": "http://10.1.2.3/a.wav"}}]}),
])
def test_inward_urls_are_refused_at_submit(client, field: str, patch: dict) -> None:  # type: ignore[no-untyped-def]
    resp = client.post(GENERATE, json={**body(scene("Hi.")), **patch})
    assert resp.status_code == 400
    [problem] = resp.json()["error"]["fields"]
    assert problem["field"] == field
    assert "resolves to a non-public address" in problem["message"] and "was refused" in problem["message"]


def test_a_url_that_does_not_resolve_yet_is_left_to_fetch_time(client) -> None:  # type: ignore[no-untyped-def]
    resp = client.post(GENERATE, json=body(scene("Hi.", background={"type": "image",
                                                                    "url": "https://no-such-host.invalid/a.png"})))
    assert resp.status_code == 200


def test_an_unexpected_error_answers_an_id_not_a_traceback(services, api_key, monkeypatch, caplog) -> None:  # type: ignore[no-untyped-def]
    import talkframe.api.routes.user as user_routes

    def broken(*_a, **_k):  # type: ignore[no-untyped-def]
        raise RuntimeError("secret internal state at /srv/talkframe/x.py")

    monkeypatch.setattr(user_routes, "remaining_seconds", broken)
    with TestClient(create_app(services), raise_server_exceptions=False) as c:
        c.headers["X-Api-Key"] = api_key
        resp = c.get("/v2/user/remaining_quota")
        assert resp.status_code == 500
        _no_internals(resp.text)
        assert "secret internal state" not in resp.text
        error_id = re.search(r"error id ([0-9a-f]{16})", resp.json()["error"]["message"]).group(1)
        assert any(error_id in r.getMessage() and r.exc_info for r in caplog.records)
        _healthy(c)


def test_an_exhausted_database_pool_answers_503_with_retry_after(settings, api_key) -> None:  # type: ignore[no-untyped-def]
    settings.api_threads, settings.db_acquire_timeout_seconds = 2, 0.2
    services = build_services(settings)
    engine = get_engine(services.db_url, services.api_pool)
    with TestClient(create_app(services)) as c:
        c.headers["X-Api-Key"] = api_key
        held = [engine.connect() for _ in range(services.api_pool.size * 2)]
        try:
            resp = c.get("/v1/video.list")
            assert resp.status_code == 503
            assert resp.headers["Retry-After"] == "1"
            assert resp.json()["message"] == "The service is busy; retry shortly"
        finally:
            for conn in held:
                conn.close()
        assert c.get("/v1/video.list").status_code == 200


def test_a_body_that_does_not_fit_the_model_is_a_400_naming_the_field(client) -> None:  # type: ignore[no-untyped-def]
    """Found by schemathesis: `video_inputs: [[null, null]]` raised inside the route (500)."""
    resp = client.post(GENERATE, json={"video_inputs": [[None, None]]})
    assert resp.status_code == 400
    assert resp.json()["error"]["fields"][0]["field"] == "video_inputs[0]"
    _healthy(client)

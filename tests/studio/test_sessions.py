"""Studio sessions without a browser: signed expiring cookies, CSRF on every write, one account's data only, and
generate through the studio stores the same request as the API."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient

from talkframe.api.app import create_app
from talkframe.db.keys import create_key, revoke_key
from talkframe.db.models import Video
from talkframe.db.session import session_scope
from talkframe.studio import auth
from tests.helpers import body, silent_scene


def _csrf(client: TestClient, path: str = "/studio/login") -> str:
    html = client.get(path).text
    return re.search(r'name="csrf-token" content="([0-9a-f]+)"', html).group(1)


def _sign_in(client: TestClient, key: str) -> str:
    token = _csrf(client)
    resp = client.post("/studio/login", data={"api_key": key, "csrf": token}, follow_redirects=False)
    assert resp.status_code == 303, resp.text
    return resp.headers["set-cookie"]


def test_cookie_is_signed_and_expires() -> None:
    secret = b"s" * 32
    value = auth.make_session(secret, "acc", "key", now=1000.0)
    assert auth.read_session(secret, value, now=1001.0) == auth.StudioCaller("acc", "key")
    assert auth.read_session(secret, value, now=1000.0 + auth.SESSION_SECONDS + 1) is None  # expired
    assert auth.read_session(b"other" * 8, value, now=1001.0) is None  # another server's secret
    body_part, mac = value.rsplit(".", 1)
    assert auth.read_session(secret, body_part[:-2] + "xx." + mac, now=1001.0) is None  # tampered
    assert auth.read_session(secret, None) is None


def test_sign_in_sets_a_strict_httponly_cookie_without_the_key(services, api_key) -> None:  # type: ignore[no-untyped-def]
    client = TestClient(create_app(services))
    assert client.get("/", follow_redirects=False).headers["location"] == "/studio"
    assert client.get("/studio", follow_redirects=False).headers["location"] == "/studio/login"
    cookie = _sign_in(client, api_key)
    assert "HttpOnly" in cookie and "SameSite=strict" in cookie.replace("Strict", "strict") and "Max-Age=" in cookie
    assert api_key not in cookie and api_key[3:20] not in cookie
    page = client.get("/studio/videos")
    assert page.status_code == 200 and "Sign out" in page.text
    assert api_key not in page.text
    assert "script-src 'self'" in page.headers["content-security-policy"]
    assert page.headers["cache-control"] == "no-store"


def test_wrong_key_and_missing_csrf_are_refused(services, api_key) -> None:  # type: ignore[no-untyped-def]
    client = TestClient(create_app(services))
    token = _csrf(client)
    bad = client.post("/studio/login", data={"api_key": "tf_nope", "csrf": token}, follow_redirects=False)
    assert bad.status_code == 200 and "not valid" in bad.text and "tf_studio" not in bad.headers.get("set-cookie", "")
    no_csrf = client.post("/studio/login", data={"api_key": api_key}, follow_redirects=False)
    assert no_csrf.status_code == 403
    forged = client.post("/studio/login", data={"api_key": api_key, "csrf": "0" * 64}, follow_redirects=False)
    assert forged.status_code == 403
    _sign_in(client, api_key)
    resp = client.post("/studio/api/generate", json=body(silent_scene(0.5)))
    assert resp.status_code == 403 and resp.json()["error"]["code"] == "csrf"
    assert client.post("/studio/logout", data={}, follow_redirects=False).status_code == 403


def test_sign_out_and_revoked_key_end_the_session(services, api_key) -> None:  # type: ignore[no-untyped-def]
    client = TestClient(create_app(services))
    _sign_in(client, api_key)
    token = _csrf(client, "/studio/videos")
    out = client.post("/studio/logout", data={"csrf": token}, follow_redirects=False)
    assert out.status_code == 303 and 'tf_studio=""' in out.headers["set-cookie"]
    assert client.get("/studio/videos", follow_redirects=False).headers["location"] == "/studio/login"

    _sign_in(client, api_key)
    assert client.get("/studio/videos", follow_redirects=False).status_code == 200
    with session_scope(services.db_url) as s:
        from talkframe.db.keys import find_key

        revoke_key(s, find_key(s, api_key).id)
    assert client.get("/studio/videos", follow_redirects=False).status_code == 303


def test_generate_stores_the_api_request_and_accounts_are_separate(services, api_key) -> None:  # type: ignore[no-untyped-def]
    app = create_app(services)
    studio, api = TestClient(app), TestClient(app)
    _sign_in(studio, api_key)
    token = _csrf(studio, "/studio/create")
    request = body(silent_scene(0.5), title="Same JSON", test=True)
    via_studio = studio.post("/studio/api/generate", json=request, headers={"X-CSRF-Token": token}).json()["video_id"]
    via_api = api.post("/v2/video/generate", json=request, headers={"X-Api-Key": api_key}).json()["data"]["video_id"]
    with session_scope(services.db_url) as s:
        assert s.get(Video, via_studio).request == s.get(Video, via_api).request
    invalid = studio.post("/studio/api/generate", headers={"X-CSRF-Token": token},
                          json={"video_inputs": [{"character": {"type": "avatar", "avatar_id": "nobody"}}]})
    assert invalid.json()["error"]["code"] == "avatar_not_found" and invalid.json()["error"]["status"] == 400
    assert "Same JSON" in studio.get("/studio/videos").text

    with session_scope(services.db_url) as s:
        other_key = create_key(s, name="other")[1]
    other = TestClient(app)
    _sign_in(other, other_key)
    assert "Same JSON" not in other.get("/studio/videos").text
    assert other.get(f"/studio/videos/{via_studio}").status_code == 404
    assert other.get(f"/studio/api/videos/{via_studio}").status_code == 404
    other_token = _csrf(other, "/studio/videos")
    deleted = other.post(f"/studio/videos/{via_studio}/delete", data={"csrf": other_token}, follow_redirects=False)
    assert deleted.status_code == 404
    assert studio.get(f"/studio/api/videos/{via_studio}").json()["video_id"] == via_studio


def test_every_page_renders(services, api_key) -> None:  # type: ignore[no-untyped-def]
    client = TestClient(create_app(services))
    _sign_in(client, api_key)
    for path in ("/studio/create", "/studio/videos", "/studio/photos", "/studio/avatars", "/studio/assets",
                 "/studio/folders", "/studio/webhooks"):
        resp = client.get(path)
        assert resp.status_code == 200, path
        assert 'aria-current="page"' in resp.text, path
    static = client.get("/studio/static/studio.css")
    assert static.status_code == 200 and "max-age" in static.headers["cache-control"]


def test_stage_follows_the_pipeline_progress() -> None:
    from talkframe.studio.api import stage

    def at(status: str, progress: int, scenes: int = 1) -> str:
        return stage({"status": status, "progress": progress}, scenes)

    assert at("pending", 0) == "queued"
    assert at("processing", 5) == "speech"  # each scene starts with its speech (first tenth)
    assert at("processing", 50) == "face and compose"
    assert at("processing", 49, scenes=2) == "speech"  # the second scene's speech
    assert at("processing", 97) == "encode"
    assert at("completed", 100) == "completed" and at("failed", 40) == "failed"


def test_pages_load_nothing_from_other_hosts(services, api_key) -> None:  # type: ignore[no-untyped-def]
    """No CDN: every script, stylesheet and icon is served by talkframe itself."""
    client = TestClient(create_app(services))
    _sign_in(client, api_key)
    for path in ("/studio/login", "/studio/create", "/studio/videos", "/studio/photos", "/studio/webhooks"):
        html = client.get(path).text
        for url in re.findall(r'<(?:script|link)[^>]+(?:src|href)="([^"]+)"', html):
            assert url.startswith("/studio/static/"), (path, url)

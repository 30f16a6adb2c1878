"""Authentication and the two HeyGen envelopes."""

from __future__ import annotations

from fastapi.testclient import TestClient

from talkframe.api.app import create_app


def _anon(services) -> TestClient:  # type: ignore[no-untyped-def]
    return TestClient(create_app(services))


def test_missing_key_v1_envelope(services) -> None:  # type: ignore[no-untyped-def]
    resp = _anon(services).get("/v1/video_status.get", params={"video_id": "x"})
    assert resp.status_code == 401
    assert resp.json()["code"] == 400112
    assert resp.json()["message"] == "Unauthorized"


def test_bad_key_v2_envelope(services) -> None:  # type: ignore[no-untyped-def]
    resp = _anon(services).post("/v2/video/generate", json={}, headers={"x-api-key": "tf_wrong"})
    assert resp.status_code == 401
    assert resp.json() == {"data": None, "error": {"code": "unauthorized", "message": "Unauthorized"}}


def test_header_name_is_case_insensitive_and_bearer_works(services, api_key: str) -> None:  # type: ignore[no-untyped-def]
    c = _anon(services)
    for headers in ({"X-API-KEY": api_key}, {"x-api-key": api_key}, {"Authorization": f"Bearer {api_key}"}):
        resp = c.get("/v2/user/remaining_quota", headers=headers)
        assert resp.status_code == 200, headers


def test_revoked_key_is_refused(services, api_key: str) -> None:  # type: ignore[no-untyped-def]
    from talkframe.db.keys import find_key, revoke_key
    from talkframe.db.session import session_scope

    with session_scope(services.db_url) as s:
        assert revoke_key(s, find_key(s, api_key).id)
    assert _anon(services).get("/v1/user/me", headers={"X-Api-Key": api_key}).status_code == 401


def test_remaining_quota_strict_shape(client) -> None:  # type: ignore[no-untyped-def]
    payload = client.get("/v2/user/remaining_quota").json()
    assert payload["error"] is None
    details = payload["data"]["details"]
    for key in ("api", "streaming_avatar", "streaming_avatar_instance_quota", "seat"):
        assert isinstance(details[key], int)
    assert isinstance(payload["data"]["remaining_quota"], int)


def test_user_me_v1_envelope(client) -> None:  # type: ignore[no-untyped-def]
    payload = client.get("/v1/user/me").json()
    assert payload["code"] == 100
    assert set(payload["data"]) == {"username", "email", "first_name", "last_name"}


def test_status_envelope_has_every_key(client) -> None:  # type: ignore[no-untyped-def]
    from tests.helpers import body, silent_scene

    vid = client.post("/v2/video/generate", json=body(silent_scene())).json()["data"]["video_id"]
    payload = client.get("/v1/video_status.get", params={"video_id": vid}).json()
    assert payload["code"] == 100 and payload["message"] == "Success"
    data = payload["data"]
    for key in ("id", "video_id", "status", "callback_id", "caption_url", "created_at", "duration", "error",
                "gif_url", "thumbnail_url", "video_url", "video_url_caption", "progress"):
        assert key in data
    assert data["id"] == vid and data["status"] == "pending" and data["video_url"] is None
    assert isinstance(data["created_at"], int)


def test_unknown_video_is_404_v1(client) -> None:  # type: ignore[no-untyped-def]
    resp = client.get("/v1/video_status.get", params={"video_id": "f" * 32})
    assert resp.status_code == 404 and resp.json()["code"] == 40031


def test_unknown_path_uses_envelope(client) -> None:  # type: ignore[no-untyped-def]
    resp = client.get("/v2/nothing/here")
    assert resp.status_code == 404 and resp.json()["error"]["code"] == "not_found"


def test_other_accounts_videos_are_invisible(client, services) -> None:  # type: ignore[no-untyped-def]
    from talkframe.db.keys import create_key
    from talkframe.db.session import session_scope
    from tests.helpers import body, silent_scene

    vid = client.post("/v2/video/generate", json=body(silent_scene())).json()["data"]["video_id"]
    with session_scope(services.db_url) as s:
        _row, other = create_key(s, name="other")
    resp = client.get("/v1/video_status.get", params={"video_id": vid}, headers={"X-Api-Key": other})
    assert resp.status_code == 404


def test_openapi_docs_served(client) -> None:  # type: ignore[no-untyped-def]
    spec = client.get("/openapi.json").json()
    assert "/v2/video/generate" in spec["paths"]
    assert client.get("/docs").status_code == 200

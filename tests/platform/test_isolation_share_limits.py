"""One key never sees another account's resources; share pages; quota (402) and concurrency (429) limits."""

from __future__ import annotations

from fastapi.testclient import TestClient

from talkframe.api.app import create_app
from talkframe.db.keys import create_key
from talkframe.db.session import session_scope
from talkframe.services import build_services
from tests.helpers import body, silent_scene, wait_for_status
from tests.platform.conftest import serve
from tests.platform.receiver import Receiver
from tests.platform.test_assets_folders import png_bytes


def _other_key(services) -> str:  # type: ignore[no-untyped-def]
    with session_scope(services.db_url) as s:
        return create_key(s, name="other")[1]


def test_cross_account_access_is_404_for_every_resource(client, services, receiver: Receiver) -> None:  # type: ignore[no-untyped-def]
    vid = client.post("/v2/video/generate", json=body(silent_scene())).json()["data"]["video_id"]
    asset = client.post("/v1/asset", content=png_bytes(), headers={"Content-Type": "image/png"}).json()["data"]
    folder = client.post("/v1/folders/create", json={"name": "mine"}).json()["data"]
    endpoint = client.post("/v1/webhook/endpoint.add", json={"url": receiver.url}).json()["data"]

    other = TestClient(create_app(services))
    other.headers["X-Api-Key"] = _other_key(services)
    assert other.get("/v1/video_status.get", params={"video_id": vid}).status_code == 404
    assert other.delete("/v1/video.delete", params={"video_id": vid}).status_code == 404
    assert other.post("/v1/video/share", json={"video_id": vid}).status_code == 404
    assert other.post(f"/v1/asset/{asset['id']}/delete").status_code == 404
    assert other.post(f"/v1/folders/{folder['id']}", json={"name": "x"}).status_code == 404
    assert other.delete("/v1/webhook/endpoint.delete", params={"endpoint_id": endpoint["endpoint_id"]}).status_code \
        == 404
    assert other.get("/v1/video.list").json()["data"]["videos"] == []
    assert other.get("/v1/asset/list").json()["data"]["assets"] == []
    assert other.get("/v1/folders").json()["data"]["folders"] == []
    assert other.get("/v1/webhook/endpoint.list").json()["data"] == []
    # ids of another account are unknown ids in a generate request too
    resp = other.post("/v2/video/generate", json=body(silent_scene(
        background={"type": "image", "image_asset_id": asset["id"]}), folder_id=folder["id"]))
    assert resp.status_code == 400
    assert {f["field"] for f in resp.json()["error"]["fields"]} == {"video_inputs[0].background.image_asset_id",
                                                                    "folder_id"}
    # the owner still sees everything
    assert client.get("/v1/video_status.get", params={"video_id": vid}).status_code == 200


def test_keys_of_one_account_share_its_videos(client, services) -> None:  # type: ignore[no-untyped-def]
    from talkframe.db.keys import find_key

    vid = client.post("/v2/video/generate", json=body(silent_scene())).json()["data"]["video_id"]
    with session_scope(services.db_url) as s:
        account = find_key(s, client.headers["X-Api-Key"]).account_id
        second = create_key(s, name="second", account_id=account)[1]
    resp = client.get("/v1/video_status.get", params={"video_id": vid}, headers={"X-Api-Key": second})
    assert resp.status_code == 200


def test_share_page_plays_the_video(services, api_key) -> None:  # type: ignore[no-untyped-def]
    with serve(services, api_key) as c:
        vid = c.post("/v2/video/generate", json=body(silent_scene(0.5), title="Launch <b>")).json()["data"][
            "video_id"]
        wait_for_status(c, vid, {"completed"})
        url = c.post("/v1/video/share", json={"video_id": vid}).json()["data"]
        assert isinstance(url, str) and url.startswith(f"http://testserver/share/{vid}?t=")
        page = TestClient(create_app(services)).get(url.removeprefix("http://testserver"))  # no API key
        assert page.status_code == 200 and "<video" in page.text and "Launch &lt;b&gt;" in page.text
        src = page.text.split('src="')[1].split('"')[0].replace("&amp;", "&").removeprefix("http://testserver")
        assert c.get(src).content[4:8] == b"ftyp"
        assert c.get(f"/share/{vid}?t=0000").status_code == 404


def test_quota_exhausted_stops_new_videos(settings, api_key) -> None:  # type: ignore[no-untyped-def]
    settings.quota_seconds = 1
    with serve(build_services(settings), api_key) as c:
        before = c.get("/v2/user/remaining_quota").json()["data"]
        assert before["remaining_quota"] == 1 and before["details"]["api"] == 1
        vid = c.post("/v2/video/generate", json=body(silent_scene(1.2))).json()["data"]["video_id"]
        wait_for_status(c, vid, {"completed"})
        assert c.get("/v2/user/remaining_quota").json()["data"]["remaining_quota"] == 0
        resp = c.post("/v2/video/generate", json=body(silent_scene(0.5)))
        assert resp.status_code == 402 and resp.json()["error"]["code"] == "insufficient_credit"
        # test videos cost nothing, but the quota check still applies before rendering
        assert c.post("/v2/video/generate", json=body(silent_scene(0.5), test=True)).status_code == 402


def test_concurrency_limit_answers_429_with_retry_after(settings, api_key) -> None:  # type: ignore[no-untyped-def]
    settings.max_concurrent_videos = 2
    services = build_services(settings)
    with TestClient(create_app(services)) as c:  # no worker: videos stay queued
        c.headers["X-Api-Key"] = api_key
        for _ in range(2):
            assert c.post("/v2/video/generate", json=body(silent_scene())).status_code == 200
        resp = c.post("/v2/video/generate", json=body(silent_scene()))
        assert resp.status_code == 429 and int(resp.headers["Retry-After"]) > 0
        assert resp.json()["error"]["code"] == "rate_limit_exceeded"

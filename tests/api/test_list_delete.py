"""video.list pagination and folder filter; video.delete."""

from __future__ import annotations

from tests.helpers import body, silent_scene


def test_list_paginates_and_filters(client) -> None:  # type: ignore[no-untyped-def]
    f1 = client.post("/v1/folders/create", json={"name": "f1"}).json()["data"]["id"]
    ids = [client.post("/v2/video/generate", json=body(silent_scene(), folder_id=f1 if i % 2 else None))
           .json()["data"]["video_id"] for i in range(5)]
    first = client.get("/v1/video.list", params={"limit": 2}).json()["data"]
    assert len(first["videos"]) == 2 and first["token"]
    assert all(v["status"] == "processing" for v in first["videos"])  # strict list clients know no "pending"
    seen = [v["video_id"] for v in first["videos"]]
    token = first["token"]
    while token:
        page = client.get("/v1/video.list", params={"limit": 2, "token": token}).json()["data"]
        seen += [v["video_id"] for v in page["videos"]]
        token = page["token"]
    assert sorted(seen) == sorted(ids) and len(seen) == 5
    folder = client.get("/v1/video.list", params={"folder_id": f1}).json()["data"]["videos"]
    assert {v["video_id"] for v in folder} == {ids[1], ids[3]}


def test_delete(client) -> None:  # type: ignore[no-untyped-def]
    vid = client.post("/v2/video/generate", json=body(silent_scene())).json()["data"]["video_id"]
    resp = client.delete("/v1/video.delete", params={"video_id": vid})
    assert resp.status_code == 200 and resp.json()["code"] == 100
    assert client.get("/v1/video_status.get", params={"video_id": vid}).status_code == 404
    assert client.delete("/v1/video.delete", params={"video_id": vid}).status_code == 404

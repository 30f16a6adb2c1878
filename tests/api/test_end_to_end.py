"""generate -> poll -> completed -> download through the signed URL -> decode the real MP4."""

from __future__ import annotations

from urllib.parse import urlsplit

from tests.helpers import body, probe_mp4, scene, wait_for_status


def _download(client, url: str, dest) -> None:  # type: ignore[no-untyped-def]
    parts = urlsplit(url)
    resp = client.get(parts.path + "?" + parts.query)
    assert resp.status_code == 200, resp.text
    dest.write_bytes(resp.content)


def test_generate_poll_download_decode(live_client, tmp_path) -> None:  # type: ignore[no-untyped-def]
    payload = body(scene("Hello, this is a short test."), width=640, height=360, callback_id="cb-1",
                   title="first")
    vid = live_client.post("/v2/video/generate", json=payload).json()["data"]["video_id"]
    data = wait_for_status(live_client, vid, {"completed", "failed"})
    assert data["status"] == "completed", data["error"]
    assert data["error"] is None and data["progress"] == 100 and data["callback_id"] == "cb-1"
    assert data["video_url"].startswith("http://testserver/files/videos/")
    mp4 = tmp_path / "v.mp4"
    _download(live_client, data["video_url"], mp4)
    p = probe_mp4(mp4)
    assert (p.width, p.height) == (640, 360)
    assert p.fps == 25.0
    assert abs(p.video_seconds - data["duration"]) < 0.05
    assert abs(p.audio_seconds - p.video_seconds) < 0.1  # audio present and as long as the picture
    assert 1.0 < data["duration"] < 5.0
    for key in ("thumbnail_url", "gif_url"):
        resp = live_client.get(urlsplit(data[key]).path + "?" + urlsplit(data[key]).query)
        assert resp.status_code == 200 and len(resp.content) > 500
    assert mp4.read_bytes()[4:8] == b"ftyp"
    listed = live_client.get("/v1/video.list").json()["data"]["videos"]
    assert [v["video_id"] for v in listed] == [vid] and listed[0]["status"] == "completed"

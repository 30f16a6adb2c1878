"""v3 videos against a live `talkframe serve`: create -> poll -> completed -> download -> decode (PyAV)."""

from __future__ import annotations

import base64
from pathlib import Path

import av
import httpx
import numpy as np
import pytest

from talkframe.avatar.catalog import BUILTIN_AVATAR_ID
from tests.v3.server import FileServer, Server, face_png, wait_v3

DETAIL_KEYS = {"id", "status", "title", "created_at", "completed_at", "video_url", "thumbnail_url", "gif_url",
               "captioned_video_url", "subtitle_url", "duration", "folder_id", "output_language", "failure_code",
               "failure_message", "video_page_url", "progress", "callback_id", "output_format"}
SMALL = {"resolution": "240p", "aspect_ratio": "16:9"}


def _decode(url: str, tmp: Path, name: str) -> tuple[int, int, int, float]:
    path = tmp / name
    path.write_bytes(httpx.get(url, timeout=60).content)
    with av.open(str(path)) as c:
        vs = c.streams.video[0]
        frames = sum(1 for _ in c.decode(video=0))
        w, h = vs.width, vs.height
    with av.open(str(path)) as c:
        audio = sum(f.samples for f in c.decode(audio=0)) / c.streams.audio[0].rate
    return w, h, frames, audio


def _create(client: httpx.Client, body: dict) -> str:
    r = client.post("/v3/videos", json=body)
    assert r.status_code == 200, r.text
    assert r.headers["x-request-id"].startswith("req_")
    data = r.json()
    assert set(data) == {"data"}
    assert data["data"]["status"] == "waiting" and data["data"]["output_format"] == "mp4"
    return data["data"]["video_id"]


def _completed(client: httpx.Client, video_id: str, tmp: Path, size: tuple[int, int]) -> dict:
    done = wait_v3(client, video_id)
    assert done["status"] == "completed", done
    assert set(done) == DETAIL_KEYS
    assert done["failure_code"] is None and done["failure_message"] is None
    assert isinstance(done["created_at"], int) and isinstance(done["completed_at"], int)
    assert done["progress"] == 100
    for key in ("video_url", "thumbnail_url", "gif_url", "subtitle_url", "video_page_url"):
        assert done[key] and httpx.get(done[key], timeout=30).status_code == 200, key
    w, h, frames, audio = _decode(done["video_url"], tmp, f"{video_id}.mp4")
    assert (w, h) == size
    assert frames >= 10 and abs(frames / 25 - done["duration"]) < 0.1
    assert audio == pytest.approx(done["duration"], abs=0.1)
    return done


def test_avatar_video_completes(server: Server, tmp_path: Path) -> None:
    with server.client() as c:
        vid = _create(c, {"type": "avatar", "avatar_id": BUILTIN_AVATAR_ID, "script": "Hello there.",
                          "title": "v3 avatar", "caption": {"file_format": "srt"}, **SMALL})
        done = _completed(c, vid, tmp_path, (426, 240))
        assert done["title"] == "v3 avatar"
        srt = httpx.get(done["subtitle_url"], timeout=30).text
        assert "Hello" in srt and "-->" in srt
        assert done["captioned_video_url"] is None  # only with caption.style
        # a v3 video reads through v1 as well
        v1 = c.get("/v1/video_status.get", params={"video_id": vid}).json()["data"]
        assert v1["status"] == "completed" and v1["duration"] == done["duration"]


@pytest.mark.parametrize("how", ["url", "asset_id", "base64"])
def test_image_video_completes(server: Server, files: FileServer, tmp_path: Path, how: str) -> None:
    png = face_png()
    with server.client() as c:
        if how == "url":
            image = {"type": "url", "url": files.url("face.png")}
        elif how == "asset_id":
            up = c.post("/v1/asset", content=png, headers={"Content-Type": "image/png"})
            image = {"type": "asset_id", "asset_id": up.json()["data"]["id"]}
        else:
            image = {"type": "base64", "media_type": "image/png", "data": base64.b64encode(png).decode()}
        vid = _create(c, {"type": "image", "image": image, "script": "Hi.", **SMALL,
                          "aspect_ratio": "1:1"})
        _completed(c, vid, tmp_path, (240, 240))


def test_studio_three_scenes(server: Server, tmp_path: Path) -> None:
    png_b64 = base64.b64encode(face_png()).decode()
    with server.client() as c:
        vid = _create(c, {"type": "studio", "resolution": "240p", "aspect_ratio": "9:16", "scenes": [
            {"type": "avatar_video", "input": {"type": "avatar", "avatar_id": BUILTIN_AVATAR_ID, "script": "One.",
                                               "background": {"type": "color", "color": "#204080"}}},
            {"type": "image", "source": {"type": "base64", "media_type": "image/png", "data": png_b64},
             "duration": 1.0},
            {"type": "avatar_video", "input": {"type": "image", "script": "Three.",
                                               "image": {"type": "base64", "data": png_b64}}},
        ]})
        done = _completed(c, vid, tmp_path, (240, 426))
        assert done["duration"] > 2.0


def test_v2_video_reads_through_v3(server: Server) -> None:
    with server.client() as c:
        r = c.post("/v2/video/generate", json={
            "video_inputs": [{"character": {"type": "avatar", "avatar_id": BUILTIN_AVATAR_ID},
                              "voice": {"type": "silence", "duration": 0.5}}],
            "dimension": {"width": 320, "height": 240}, "title": "made by v2"})
        vid = r.json()["data"]["video_id"]
        done = wait_v3(c, vid)
        assert done["status"] == "completed" and done["title"] == "made by v2"
        assert done["subtitle_url"] is None  # v2 asked for no captions
        listed = c.get("/v3/videos", params={"title": "made by v2"}).json()
        assert [v["id"] for v in listed["data"]] == [vid] and listed["has_more"] is False
        assert c.delete(f"/v3/videos/{vid}").json() == {"data": {"id": vid, "deleted": True}}
        assert c.get("/v1/video_status.get", params={"video_id": vid}).status_code == 404


def _decode_alpha(url: str, tmp: Path) -> list:  # type: ignore[type-arg]
    import numpy as np

    path = tmp / "video.webm"
    path.write_bytes(httpx.get(url, timeout=60).content)
    frames = []
    with av.open(str(path)) as c:
        stream = c.streams.video[0]
        assert stream.codec_context.name == "vp9" and stream.metadata.get("alpha_mode") == "1"
        decoder = av.codec.CodecContext.create("libvpx-vp9", "r")  # FFmpeg's native vp9 decoder drops alpha
        for packet in c.demux(stream):
            for frame in decoder.decode(packet):
                assert frame.format.name == "yuva420p"
                frames.append(np.asarray(frame.to_ndarray(format="rgba")))
        assert c.streams.audio and c.streams.audio[0].codec_context.name == "opus"
    return frames


@pytest.mark.parametrize("look", ["photo", "presenter"])
def test_webm_has_a_real_alpha_plane(server: Server, tmp_path: Path, look: str) -> None:
    from talkframe.presenters import PRESENTERS

    avatar_id = BUILTIN_AVATAR_ID if look == "photo" else next(iter(PRESENTERS))
    with server.client() as c:
        r = c.post("/v3/videos", json={"type": "avatar", "avatar_id": avatar_id, "script": "Hello there.",
                                       "output_format": "webm", "resolution": "240p"})
        assert r.json()["data"]["output_format"] == "webm"
        done = wait_v3(c, r.json()["data"]["video_id"])
        assert done["status"] == "completed" and done["output_format"] == "webm"
        frames = _decode_alpha(done["video_url"], tmp_path)
    assert abs(len(frames) / 25 - done["duration"]) < 0.1
    for rgba in frames[:: max(1, len(frames) // 5)]:
        h, w = rgba.shape[:2]
        alpha = rgba[:, :, 3]
        for y, x in ((2, 2), (2, w - 3), (h - 3, 2), (h - 3, w - 3)):  # transparent corners
            assert alpha[y, x] < 10, (y, x, alpha[y, x])
        face = alpha[int(h * 0.25):int(h * 0.5), int(w * 0.45):int(w * 0.55)]  # the head, centred
        assert np.median(face) > 245, np.median(face)

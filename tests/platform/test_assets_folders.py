"""Assets and folders: typed by magic bytes, capped while streaming, usable as *_asset_id, private per account."""

from __future__ import annotations

import asyncio
import io
import wave

import numpy as np
from PIL import Image

from talkframe.api.app import create_app
from tests.helpers import body, probe_mp4, silent_scene, wait_for_status
from tests.platform.conftest import serve


def png_bytes(color=(200, 30, 30), size=(64, 48)) -> bytes:  # type: ignore[no-untyped-def]
    buf = io.BytesIO()
    Image.new("RGB", size, color).save(buf, "PNG")
    return buf.getvalue()


def wav_bytes(seconds: float = 1.0, rate: int = 16000) -> bytes:
    t = np.arange(int(seconds * rate)) / rate
    pcm = (0.3 * np.sin(2 * np.pi * 200 * t) * 32767).astype("<i2")
    buf = io.BytesIO()
    with wave.open(buf, "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(rate)
        w.writeframes(pcm.tobytes())
    return buf.getvalue()


def test_upload_list_delete(client) -> None:  # type: ignore[no-untyped-def]
    folder = client.post("/v1/folders/create", json={"name": "brand", "project_type": "asset"}).json()["data"]
    resp = client.post("/v1/asset", content=png_bytes(), params={"name": "red.png", "folder_id": folder["id"]},
                       headers={"Content-Type": "image/png"})
    assert resp.status_code == 200, resp.text
    asset = resp.json()["data"]
    assert asset["file_type"] == "image" and asset["name"] == "red.png" and asset["folder_id"] == folder["id"]
    assert asset["image_key"] == f"image/{asset['id']}/original.png" and isinstance(asset["created_ts"], int)
    url = asset["url"].removeprefix("http://testserver")
    assert client.get(url).content == png_bytes()
    listed = client.get("/v1/asset/list", params={"file_type": "image"}).json()["data"]["assets"]
    assert [a["id"] for a in listed] == [asset["id"]]
    assert client.get("/v1/asset/list", params={"file_type": "audio"}).json()["data"]["assets"] == []
    assert client.post(f"/v1/asset/{asset['id']}/delete").status_code == 200
    assert client.get("/v1/asset/list").json()["data"]["assets"] == []


def test_lying_content_type_is_rejected(client) -> None:  # type: ignore[no-untyped-def]
    for declared in ("audio/mpeg", "image/jpeg", "video/mp4"):
        resp = client.post("/v1/asset", content=png_bytes(), headers={"Content-Type": declared})
        assert resp.status_code == 400, declared
        assert "does not match its Content-Type" in resp.json()["message"]
    resp = client.post("/v1/asset", content=b"hello", headers={"Content-Type": "text/plain"})
    assert resp.status_code == 400 and "Unsupported Content-Type" in resp.json()["message"]


def test_declared_oversize_is_refused_before_reading(client) -> None:  # type: ignore[no-untyped-def]
    resp = client.post("/v1/asset", content=b"\x89PNG" + b"0" * 100,
                       headers={"Content-Type": "image/png", "Content-Length": str(51 * 1024 * 1024)})
    assert resp.status_code == 413 and "limit is 50 MB" in resp.json()["message"]


def test_streamed_oversize_stops_reading_at_the_cap(services, api_key) -> None:  # type: ignore[no-untyped-def]
    """Drive the ASGI app with a 200 MB chunked body: it answers 413 after reading just past 50 MB."""
    app = create_app(services)
    chunk, sent, replies = b"\x89PNG\r\n\x1a\n" + bytes(1024 * 1024 - 8), [0], []

    async def receive():  # type: ignore[no-untyped-def]
        sent[0] += 1
        return {"type": "http.request", "body": chunk, "more_body": sent[0] < 200}

    async def send(message):  # type: ignore[no-untyped-def]
        replies.append(message)

    scope = {"type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1", "method": "POST", "scheme": "http",
             "path": "/v1/asset", "raw_path": b"/v1/asset", "query_string": b"", "root_path": "",
             "headers": [(b"content-type", b"image/png"), (b"x-api-key", api_key.encode()), (b"host", b"t")],
             "client": ("127.0.0.1", 1), "server": ("t", 80), "state": {}}
    asyncio.run(app(scope, receive, send))
    assert replies[0]["status"] == 413
    assert sent[0] <= 52  # stopped at the cap, never read the other ~150 MB
    assert not list((services.settings.data_dir / "tmp").glob("*.upload"))  # nothing left on disk


def test_asset_ids_in_a_real_render(services, api_key) -> None:  # type: ignore[no-untyped-def]
    with serve(services, api_key) as c:
        image = c.post("/v1/asset", content=png_bytes((20, 160, 40), (320, 240)),
                       headers={"Content-Type": "image/png"}).json()["data"]
        audio = c.post("/v1/asset", content=wav_bytes(1.0), headers={"Content-Type": "audio/wav"}).json()["data"]
        assert audio["file_type"] == "audio"
        scene = {"character": {"type": "talking_photo", "talking_photo_id": "tf_astronaut", "scale": 0.3,
                               "offset": {"x": 0.35, "y": 0.3}},
                 "voice": {"type": "audio", "audio_asset_id": audio["id"]},
                 "background": {"type": "image", "image_asset_id": image["id"]}}
        vid = c.post("/v2/video/generate", json=body(scene)).json()["data"]["video_id"]
        data = wait_for_status(c, vid, {"completed", "failed"})
        assert data["status"] == "completed", data["error"]
        mp4 = services.storage.path(f"videos/{vid}/video.mp4")
    p = probe_mp4(mp4)
    assert abs(p.video_seconds - 1.0) < 0.05 and p.audio_seconds > 0.9
    import av

    with av.open(str(mp4)) as container:
        frame = next(container.decode(video=0)).to_ndarray(format="rgb24")
    corner = frame[5:40, 5:40].reshape(-1, 3).mean(axis=0)  # background image shows where the avatar is not
    assert abs(corner[0] - 20) < 12 and abs(corner[1] - 160) < 12 and abs(corner[2] - 40) < 12


def test_unknown_asset_id_is_a_400(client) -> None:  # type: ignore[no-untyped-def]
    scene = silent_scene(0.5, background={"type": "image", "image_asset_id": "f" * 32})
    resp = client.post("/v2/video/generate", json=body(scene))
    assert resp.status_code == 400 and resp.json()["error"]["code"] == "asset_not_found"


def test_folders_create_list_rename(client) -> None:  # type: ignore[no-untyped-def]
    a = client.post("/v1/folders/create", json={"name": "alpha"}).json()["data"]
    client.post("/v1/folders/create", json={"name": "beta", "parent_id": a["id"]})
    names = [f["name"] for f in client.get("/v1/folders").json()["data"]["folders"]]
    assert sorted(names) == ["alpha", "beta"]
    renamed = client.post(f"/v1/folders/{a['id']}", json={"name": "gamma"}).json()["data"]
    assert renamed["name"] == "gamma"
    only = client.get("/v1/folders", params={"name_filter": "gam"}).json()["data"]["folders"]
    assert [f["id"] for f in only] == [a["id"]]
    assert client.post("/v1/folders/create", json={"name": ""}).status_code == 400

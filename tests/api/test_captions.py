"""caption: true -> an .ass caption_url (with .srt/.vtt beside it) and a burned-in video_url_caption."""

from __future__ import annotations

from urllib.parse import urlsplit

import av
import numpy as np
import pysubs2

from tests.helpers import body, probe_mp4, scene, wait_for_status


def _fetch(client, url: str) -> bytes:  # type: ignore[no-untyped-def]
    parts = urlsplit(url)
    resp = client.get(f"{parts.path}?{parts.query}")
    assert resp.status_code == 200, url
    return resp.content


def _bottom(path) -> list[np.ndarray]:  # type: ignore[no-untyped-def]
    with av.open(str(path)) as c:
        return [f.to_ndarray(format="rgb24")[-60:].astype(int) for f in c.decode(video=0)]


def test_caption_files_and_burned_video(live_client, tmp_path) -> None:  # type: ignore[no-untyped-def]
    text = "Captions make every word easy to follow."
    vid = live_client.post("/v2/video/generate", json=body(scene(text), width=480, height=270, caption=True)).json()[
        "data"]["video_id"]
    data = wait_for_status(live_client, vid, {"completed", "failed"})
    assert data["status"] == "completed", data["error"]
    ass = _fetch(live_client, data["caption_url"]).decode()
    subs = pysubs2.SSAFile.from_string(ass)
    spoken = " ".join(e.plaintext.replace("\n", " ") for e in subs)
    assert spoken.split() == text.split()
    assert subs[0].start >= 0 and subs[-1].end <= data["duration"] * 1000 + 1
    main, burned = tmp_path / "main.mp4", tmp_path / "burned.mp4"
    main.write_bytes(_fetch(live_client, data["video_url"]))
    burned.write_bytes(_fetch(live_client, data["video_url_caption"]))
    assert probe_mp4(burned).frames == probe_mp4(main).frames
    diffs = [np.abs(a - b).mean() for a, b in zip(_bottom(main), _bottom(burned), strict=True)]
    mid = len(diffs) // 2
    assert diffs[mid] > 3.0  # caption drawn while speaking
    srt_url = data["caption_url"].replace("captions.ass", "captions.srt")
    assert urlsplit(srt_url).path.endswith("captions.srt")


def test_file_only_mode_has_no_burned_video(live_client) -> None:  # type: ignore[no-untyped-def]
    payload = body(scene("Only a file."), width=320, height=180, caption_mode="file_only")
    vid = live_client.post("/v2/video/generate", json=payload).json()["data"]["video_id"]
    data = wait_for_status(live_client, vid, {"completed", "failed"})
    assert data["status"] == "completed", data["error"]
    assert data["caption_url"] and data["video_url_caption"] is None

"""End to end on real services: `talkframe serve` + Celery workers in separate processes, PostgreSQL, Redis, S3.

One 6-scene video is rendered by three workers (scenes land on different processes, the result matches the
embedded render frame for frame in count and duration, status URLs are presigned S3 URLs that download); then a
worker process is killed mid-scene and the video still completes, with only that scene rendered again.
"""

from __future__ import annotations

import json
import os
import signal
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from talkframe.jobs.segments import segment_key
from talkframe.render.pipeline import render_video
from talkframe.request import GenerateRequest
from talkframe.resolve import LocalResolver
from talkframe.storage.s3 import S3Storage
from tests.helpers import body, probe_mp4, silent_scene
from tests.scaleout.cluster import Cluster
from tests.scaleout.services import Seaweed

pytestmark = pytest.mark.slow
PHOTO = {"type": "talking_photo", "talking_photo_id": "tf_astronaut"}


@pytest.fixture(scope="module")
def cluster(tmp_path_factory: pytest.TempPathFactory, pg_url: str, broker_url: str, s3: Seaweed) -> Iterator[Cluster]:
    c = Cluster(tmp_path_factory.mktemp("cluster"), pg_url, broker_url, s3)
    try:
        c.start_api()
        for n in range(3):
            c.start_worker(f"w{n}")
        c.wait_workers()
        yield c
    finally:
        c.close()


def _scenes(n: int, seconds: float) -> dict:
    return body(*[silent_scene(seconds, character=PHOTO) for _ in range(n)], width=320, height=240)


def _wait_done(cluster: Cluster, video_id: str, timeout: float = 300.0) -> tuple[dict, list[dict]]:
    """Poll until the video ends; returns the last status and every status seen."""
    seen: list[dict] = []
    deadline = time.time() + timeout
    while True:
        data = cluster.status(video_id)
        seen.append(data)
        if data["status"] in ("completed", "failed"):
            return data, seen
        assert time.time() < deadline, f"video stuck: {data}\n{cluster.log('w0.log')[-3000:]}"
        time.sleep(0.25)


def _records(cluster: Cluster, video_id: str, n: int) -> list[dict]:
    storage = S3Storage(cluster.bucket, cluster.root / "s3cache", endpoint_url=cluster.settings.s3_endpoint_url,
                        access_key=cluster.settings.s3_access_key, secret_key=cluster.settings.s3_secret_key)
    return [json.loads(storage.get_bytes(segment_key(video_id, i, "json"))) for i in range(n)]


def _download(url: str, dest: Path) -> Path:
    resp = httpx.get(url, timeout=30)
    assert resp.status_code == 200, (url, resp.status_code, resp.text[:300])
    dest.write_bytes(resp.content)
    return dest


def test_six_scenes_on_three_workers_match_the_embedded_render(cluster: Cluster, tmp_path: Path) -> None:
    request = _scenes(6, 1.0)
    video_id = cluster.generate(request)
    data, seen = _wait_done(cluster, video_id)
    assert data["status"] == "completed", data.get("error")

    statuses = [s["status"] for s in seen]
    assert "processing" in statuses, statuses  # the row is processing while its scenes render
    progress = [s.get("progress", 0) for s in seen if s["status"] == "processing"]
    assert progress == sorted(progress), f"progress went backwards: {progress}"

    records = _records(cluster, video_id, 6)
    assert [r["index"] for r in records] == list(range(6))
    renderers = {(r["host"], r["pid"]) for r in records}
    assert len(renderers) >= 2, f"every scene ran in one process: {renderers}"
    assert {r["worker"] for r in records} <= set(cluster.workers)

    # status URLs are presigned S3 URLs that download without an API key
    assert data["video_url"].startswith(cluster.settings.s3_endpoint_url) and "X-Amz-Signature" in data["video_url"]
    video = probe_mp4(_download(data["video_url"], tmp_path / "scaleout.mp4"))
    assert _download(data["thumbnail_url"], tmp_path / "t.jpg").read_bytes()[:2] == b"\xff\xd8"
    assert _download(data["gif_url"], tmp_path / "p.gif").read_bytes()[:3] == b"GIF"

    with tempfile.TemporaryDirectory() as work:
        embedded = render_video(GenerateRequest.model_validate(request), LocalResolver(tmp_path / "cache"),
                                Path(work))
        reference = probe_mp4(embedded.video)
    assert (video.width, video.height) == (320, 240)
    assert video.frames == reference.frames == embedded.frames
    assert abs(video.video_seconds - reference.video_seconds) < 1e-6
    assert abs(video.audio_seconds - reference.audio_seconds) < 0.03
    assert abs(data["duration"] - embedded.duration) < 1e-6

    metrics = [line for line in httpx.get(f"{cluster.base}/metrics", timeout=10).text.splitlines()
               if line.startswith(("talkframe_videos", "talkframe_queue_depth"))]
    assert 'talkframe_videos{status="completed"} 1.0' in metrics, metrics
    assert f'talkframe_queue_depth{{queue="{cluster.queue}"}} 0.0' in metrics, metrics


def _active_scene(cluster: Cluster, timeout: float = 120.0) -> tuple[int, int]:
    """(pool process pid, scene index) of a scene task some worker is rendering right now."""
    deadline = time.time() + timeout
    while time.time() < deadline:
        active = cluster.celery.control.inspect(destination=list(cluster.workers), timeout=1.0).active() or {}
        for tasks in active.values():
            for task in tasks:
                if task["name"] == "talkframe.render_scene" and task.get("worker_pid"):
                    return int(task["worker_pid"]), int(task["args"][1])
        time.sleep(0.1)
    raise AssertionError("no scene task was ever seen running")


def test_worker_killed_mid_scene_costs_only_that_scene(cluster: Cluster) -> None:
    video_id = cluster.generate(_scenes(6, 2.5))
    pid, index = _active_scene(cluster)
    os.kill(pid, signal.SIGKILL)  # the process rendering scene `index` dies mid-scene

    data, _seen = _wait_done(cluster, video_id)
    assert data["status"] == "completed", data.get("error")
    assert abs(data["duration"] - 6 * 63 / 25) < 1e-6  # ceil(2.5 s * 25 fps) frames per scene
    records = _records(cluster, video_id, 6)
    assert records[index]["pid"] != pid, "the killed scene's segment came from the dead process"
    assert [r["n_frames"] for r in records] == [63] * 6
    logs = "".join(cluster.log(f"w{n}.log") for n in range(3))
    assert "WorkerLostError" in logs or "exited with 'signal 9" in logs, "the pool never saw its process die"


def test_video_avatar_trains_on_a_worker_and_renders_from_s3(cluster: Cluster, tmp_path: Path) -> None:
    """A clip uploaded to the API is trained by a Celery worker; its model lives in S3 and renders a new video."""
    import cv2

    from talkframe.avatar.catalog import astronaut_rgb
    from talkframe.video_avatar.footage import speak, talking_footage

    small = cv2.resize(astronaut_rgb(), (320, 320), interpolation=cv2.INTER_AREA)
    script = "Bob bought a big map of the old boat. We sailed far away, over the blue water, to find fine apples."
    clip = talking_footage(tmp_path / "clip.mp4", small, speak(script))
    headers = {"X-Api-Key": cluster.key, "Content-Type": "video/mp4"}
    resp = httpx.post(f"{cluster.base}/v2/video_avatar", content=clip.read_bytes(), headers=headers, timeout=30)
    assert resp.status_code == 200, resp.text
    avatar_id = resp.json()["data"]["avatar_id"]
    deadline = time.time() + 300
    while (data := cluster.get(f"/v2/video_avatar/{avatar_id}")["data"])["train_status"] not in ("ready", "failed"):
        assert time.time() < deadline, data
        time.sleep(0.5)
    assert data["train_status"] == "ready", data["error"]
    video_id = cluster.generate(body({"character": {"type": "avatar", "avatar_id": avatar_id},
                                      "voice": {"type": "text", "input_text": "Hello again."}}, width=320, height=320))
    done, _seen = _wait_done(cluster, video_id)
    assert done["status"] == "completed", done["error"]
    assert probe_mp4(_download(done["video_url"], tmp_path / "v.mp4")).frames > 10


def test_webhook_from_a_worker_render_carries_presigned_s3_urls(cluster: Cluster, tmp_path: Path) -> None:
    """The join runs on a worker; the API process delivers the signed webhook; its URLs download from S3."""
    import hashlib
    import hmac

    from tests.platform.receiver import Receiver

    receiver = Receiver()
    try:
        resp = httpx.post(f"{cluster.base}/v1/webhook/endpoint.add", headers={"X-Api-Key": cluster.key}, timeout=10,
                          json={"url": receiver.url, "events": ["avatar_video.success"]})
        assert resp.status_code == 200, resp.text
        secret = resp.json()["data"]["secret"]
        video_id = cluster.generate(_scenes(1, 1.0))
        data, _seen = _wait_done(cluster, video_id)
        assert data["status"] == "completed", data["error"]
        deadline = time.time() + 60
        while not receiver.posts():
            assert time.time() < deadline, "no webhook delivered"
            time.sleep(0.2)
    finally:
        receiver.close()
    post = receiver.posts()[0]
    assert post.headers["Signature"] == hmac.new(secret.encode(), post.body, hashlib.sha256).hexdigest()
    event = json.loads(post.body)["event_data"]
    assert event["video_id"] == video_id and event["url"].startswith(cluster.settings.s3_endpoint_url)
    assert probe_mp4(_download(event["url"], tmp_path / "hook.mp4")).frames == 25

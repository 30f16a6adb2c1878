"""`serve`'s render child tells the API process which videos it finished, so the status board and the webhook
dispatcher act at once instead of at their next poll of the database."""

from __future__ import annotations

import threading
import time

from talkframe.core.config import Settings
from talkframe.db import videos
from talkframe.db.session import session_scope
from talkframe.jobs.render_process import RenderProcess
from tests.helpers import body, silent_scene


def test_the_parent_hears_of_each_finished_video(client, settings: Settings) -> None:  # type: ignore[no-untyped-def]
    ids = [client.post("/v2/video/generate", json=body(silent_scene(0.5))).json()["data"]
           ["video_id"] for _ in range(2)]
    heard: list[tuple[str, str]] = []
    done = threading.Event()
    child_settings = settings.model_copy(update={"warm_up": False})

    def finished(video_id: str) -> None:  # runs in this process, on the relay thread
        with session_scope(child_settings.resolved_database_url) as session:
            heard.append((video_id, videos.get(session, video_id).status))
        if len(heard) == len(ids):
            done.set()

    proc = RenderProcess(child_settings, workers=1, on_finished=finished)
    proc.start()
    try:
        proc.wake()
        assert done.wait(120), f"heard only {heard}"
    finally:
        started = time.monotonic()
        proc.stop()
    assert sorted(heard) == sorted((i, "completed") for i in ids)  # told after the status was written, once each
    assert time.monotonic() - started < 15

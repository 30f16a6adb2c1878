"""`/metrics` on the embedded default: videos by status and the pending queue, in Prometheus text format."""

from __future__ import annotations

from prometheus_client.parser import text_string_to_metric_families

from tests.helpers import body, silent_scene


def test_metrics_count_videos_and_queue(client) -> None:  # type: ignore[no-untyped-def]
    for _ in range(2):
        assert client.post("/v2/video/generate", json=body(silent_scene(0.5))).status_code == 200
    resp = client.get("/metrics")
    assert resp.status_code == 200 and resp.headers["content-type"].startswith("text/plain")
    samples = {(s.name, tuple(sorted(s.labels.items()))): s.value
               for family in text_string_to_metric_families(resp.text) for s in family.samples}
    assert samples[("talkframe_videos", (("status", "pending"),))] == 2
    assert samples[("talkframe_videos", (("status", "completed"),))] == 0
    assert samples[("talkframe_queue_depth", (("queue", "embedded"),))] == 2
    assert any(name == "talkframe_render_rtf_bucket" for name, _ in samples) or "talkframe_render_rtf" in resp.text

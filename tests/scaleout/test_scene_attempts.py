"""A scene whose worker keeps dying is not redelivered forever: after 3 deliveries the video fails clearly."""

from __future__ import annotations

import pytest

from talkframe.core.errors import WORKER_DIED, RenderError
from talkframe.jobs.distributed import MAX_SCENE_ATTEMPTS, count_attempt


def test_scene_attempts_are_counted_in_storage_and_capped(services, tmp_path) -> None:  # type: ignore[no-untyped-def]
    for n in range(1, MAX_SCENE_ATTEMPTS + 1):
        assert count_attempt(services, "v" * 32, 2, tmp_path / f"w{n}") == n
    with pytest.raises(RenderError) as err:
        count_attempt(services, "v" * 32, 2, tmp_path / "w-last")
    assert err.value.code == WORKER_DIED and "scene 3 stopped 3 times" in err.value.message
    assert count_attempt(services, "v" * 32, 3, tmp_path / "other") == 1  # counted per scene

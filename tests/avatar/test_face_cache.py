"""A face analysis read back from the disk cache is exactly the one computed."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import numpy as np
import pytest

from talkframe.avatar import face, face_cache
from talkframe.avatar.catalog import astronaut_rgb


def test_disk_cache_round_trip(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(face_cache, "_path", lambda key: tmp_path / f"{key}.npz")
    rgb = np.ascontiguousarray(astronaut_rgb()[::2, ::2])
    computed = face.analyse_photo(rgb)
    assert list(tmp_path.glob("*.npz"))
    monkeypatch.setattr(face, "_cache", {})
    monkeypatch.setattr(face, "_detect", lambda _rgb: pytest.fail("analysed again instead of reading the cache"))
    cached = face.analyse_photo(rgb)
    for f in dataclasses.fields(face.FaceAnalysis):
        a, b = getattr(computed, f.name), getattr(cached, f.name)
        if isinstance(a, np.ndarray):
            assert a.dtype == b.dtype and np.array_equal(a, b), f.name
        else:
            assert a == b, f.name


def test_torn_entry_is_recomputed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(face_cache, "_path", lambda key: tmp_path / f"{key}.npz")
    (tmp_path / "abc.npz").write_bytes(b"not a zip")
    assert face_cache.load("abc") is None

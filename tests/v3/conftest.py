"""One live `talkframe serve` shared by the v3 acceptance tests of a module (renders are the slow part)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.v3.server import FileServer, Server, face_png


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    srv = Server(Path(tmp_path_factory.mktemp("v3")) / "data").start()
    try:
        yield srv
    finally:
        srv.stop()


@pytest.fixture(scope="module")
def files() -> Iterator[FileServer]:
    fs = FileServer({"face.png": face_png()})
    try:
        yield fs
    finally:
        fs.close()

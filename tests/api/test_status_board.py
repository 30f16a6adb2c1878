"""The status board answers polls from memory, and never lags a change: its own process's writes drop entries at
once, other processes' writes (here: raw SQL on another connection, as a worker process makes them) show at the
next refresh, deleted videos answer 404, and an answer the board has not confirmed lately is not served."""

from __future__ import annotations

import json

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import text

from talkframe.api.app import create_app
from talkframe.api.polling import PollingFastPath
from talkframe.api.status_board import StatusBoard
from talkframe.core.errors import INVALID_VIDEO_ID
from talkframe.db import videos as repo
from talkframe.db.session import get_engine, session_scope
from talkframe.services import Services
from tests.helpers import body, silent_scene


class Clock:
    def __init__(self) -> None:
        self.t = 1000.0

    def __call__(self) -> float:
        return self.t


def _video(services: Services, account: str = "acct") -> str:
    with session_scope(services.db_url) as s:
        return repo.create_video(s, account, {}, title="first", callback_id=None, callback_url=None,
                                 folder_id=None, test=False).id


def _put(board: StatusBoard, services: Services, video_id: str) -> None:
    with session_scope(services.db_url) as s:
        board.put("v1", repo.get_many(s, [video_id])[0])


def _other_process(services: Services, sql: str, **params: object) -> None:
    """A write that this process's sessions do not see: a plain connection, as another process would make."""
    with get_engine(services.db_url).begin() as conn:
        conn.execute(text(sql), params)


def _refresh(board: StatusBoard, services: Services) -> None:
    with session_scope(services.db_url) as s:
        board.refresh(s)


def test_answers_only_its_owner_and_only_while_confirmed(services: Services) -> None:
    clock = Clock()
    board = StatusBoard(services, max_age_seconds=2.0, clock=clock)
    vid = _video(services)
    _put(board, services, vid)
    body = board.answer("v1", "acct", vid)
    assert body is not None
    data = json.loads(body)
    assert data["code"] == 100 and data["data"]["video_id"] == vid and data["data"]["status"] == "pending"
    assert board.answer("v1", "someone-else", vid) is None
    assert board.answer("v1", "acct", "no-such-video") is None
    clock.t += 2.5  # no refresh confirmed it for longer than max_age: the database is asked again
    assert board.answer("v1", "acct", vid) is None
    _refresh(board, services)
    assert board.answer("v1", "acct", vid) == body


def test_refresh_picks_up_other_processes_changes_and_deletes(services: Services) -> None:
    clock = Clock()
    board = StatusBoard(services, clock=clock)
    vid, gone = _video(services), _video(services)
    _put(board, services, vid)
    _put(board, services, gone)
    _other_process(services, "UPDATE videos SET status='processing', progress=42, updated_at=updated_at+1 "
                   "WHERE id=:id", id=vid)
    _other_process(services, "DELETE FROM videos WHERE id=:id", id=gone)
    assert json.loads(board.answer("v1", "acct", vid) or b"{}")["data"]["status"] == "pending"  # not refreshed yet
    clock.t += 0.5
    _refresh(board, services)
    data = json.loads(board.answer("v1", "acct", vid) or b"{}")["data"]
    assert (data["status"], data["progress"]) == ("processing", 42)
    assert board.answer("v1", "acct", gone) is None and len(board) == 1


def test_own_writes_drop_entries_at_once(services: Services) -> None:
    board = StatusBoard(services)
    a, b = _video(services), _video(services)
    _put(board, services, a)
    _put(board, services, b)
    with session_scope(services.db_url) as s:
        s.delete(repo.get_many(s, [a])[0])
    assert board.answer("v1", "acct", a) is None and board.answer("v1", "acct", b) is not None
    with session_scope(services.db_url) as s:
        repo.get_many(s, [b])[0].title = "renamed"
    assert board.answer("v1", "acct", b) is None


def test_unasked_entries_are_forgotten(services: Services) -> None:
    clock = Clock()
    board = StatusBoard(services, forget_seconds=60, clock=clock)
    vid = _video(services)
    _put(board, services, vid)
    clock.t += 61
    _refresh(board, services)
    assert len(board) == 0


def test_polls_are_served_from_the_board_and_a_delete_answers_404_at_once(client) -> None:  # type: ignore[no-untyped-def]
    vid = client.post("/v2/video/generate", json=body(silent_scene())).json()["data"]["video_id"]
    board: StatusBoard = client.app.state.status_board
    assert len(board) == 0
    first = client.get("/v1/video_status.get", params={"video_id": vid})
    assert first.status_code == 200 and first.json()["data"]["status"] == "pending"
    assert len(board) == 1  # remembered: the next polls are answered from memory
    assert client.get("/v1/video_status.get", params={"video_id": vid}).content == first.content
    assert client.delete("/v1/video.delete", params={"video_id": vid}).status_code == 200
    gone = client.get("/v1/video_status.get", params={"video_id": vid})
    assert gone.status_code == 404 and gone.json()["code"] == INVALID_VIDEO_ID


def _without_fast_path(services: Services):  # type: ignore[no-untyped-def]
    app = create_app(services)
    app.user_middleware = [m for m in app.user_middleware if m.cls is not PollingFastPath]
    return app


@pytest.mark.parametrize("path", ["/v1/video_status.get?video_id={}", "/v3/videos/{}"])
def test_fast_answers_equal_the_routes(client, services: Services, api_key: str, path: str) -> None:  # type: ignore[no-untyped-def]
    vid = client.post("/v2/video/generate", json=body(silent_scene(), title="Grüße ✓")).json()["data"]["video_id"]
    fast = [client.get(path.format(vid)) for _ in range(2)]  # the first reads the database, the second the board
    with TestClient(_without_fast_path(services), headers={"X-Api-Key": api_key}) as plain_client:
        plain = plain_client.get(path.format(vid))
        missing = plain_client.get(path.format("no-such-video"))
    assert plain.status_code == fast[0].status_code == fast[1].status_code == 200
    assert fast[0].content == fast[1].content
    assert fast[0].json() == plain.json() and fast[0].json()["data"]["title"] == "Grüße ✓"
    if path.startswith("/v3"):
        assert fast[1].headers["x-request-id"].startswith("req_")
    fast_missing = client.get(path.format("no-such-video"))
    assert fast_missing.status_code == missing.status_code == 404
    assert fast_missing.json() == missing.json() or path.startswith("/v3")  # v3 errors carry a fresh request id
    if path.startswith("/v3"):
        assert fast_missing.json()["error"]["code"] == missing.json()["error"]["code"]

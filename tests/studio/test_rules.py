"""The studio under the API's rules: no request session on the event loop (api/deps.py), and form posts checked for
what the request guard only checks in JSON bodies (api/guard.py)."""

from __future__ import annotations

import asyncio
import re

from fastapi.routing import APIRoute
from fastapi.testclient import TestClient

from talkframe.api.app import create_app
from talkframe.api.deps import get_session
from talkframe.db.models import Folder
from talkframe.db.session import session_scope
from talkframe.studio import api as studio_api
from talkframe.studio import pages
from tests.studio.test_sessions import _csrf, _sign_in


def _calls(dependant) -> list:  # type: ignore[no-untyped-def]
    out = []
    for d in dependant.dependencies:
        out += [d.call, *_calls(d)]
    return out


def test_async_studio_routes_take_no_request_session() -> None:
    """An async route with a request session would wait for a connection on the event loop (the old deadlock);
    the studio's async routes do their database work through `run_db`, its sync routes use `SessionDep`."""
    studio = [r for r in (*pages.router.routes, *studio_api.router.routes) if isinstance(r, APIRoute)]
    assert len(studio) > 20
    for route in studio:
        calls = _calls(route.dependant)
        if asyncio.iscoroutinefunction(route.endpoint):
            assert get_session not in calls, f"{route.path}: async route with a request session"
    assert any(get_session in _calls(r.dependant) for r in studio)  # the sync pages do use it


def test_form_posts_pass_the_guard_and_their_text_is_checked(services, api_key) -> None:  # type: ignore[no-untyped-def]
    client = TestClient(create_app(services))
    _sign_in(client, api_key)  # an urlencoded login form gets through the request guard
    token = _csrf(client, "/studio/folders")
    ok = client.post("/studio/folders", data={"csrf": token, "name": "Launch [2026] {draft}"}, follow_redirects=False)
    assert ok.status_code == 303
    assert "Launch [2026] {draft}" in client.get("/studio/folders").text  # committed before the redirect
    bad = client.post("/studio/folders", data={"csrf": token, "name": "a\x00b"}, follow_redirects=False)
    assert bad.status_code == 400 and "NUL" in bad.text
    with session_scope(services.db_url) as s:
        assert [f.name for f in s.query(Folder)] == ["Launch [2026] {draft}"]
    url = client.post("/studio/webhooks", data={"csrf": token, "url": "http://example.com/\x01"},
                      follow_redirects=False)
    assert url.status_code == 400 and re.search(r"control characters", url.text)
    huge = client.post("/studio/folders", data={"csrf": token, "name": "x" * (2 * 1024 * 1024)},
                       follow_redirects=False)
    assert huge.status_code == 413  # form bodies share the guard's 1 MB cap

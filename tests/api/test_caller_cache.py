"""Hundreds of polls sharing one key make one key lookup, not hundreds, when the cached entry is missing."""

from __future__ import annotations

import asyncio

import pytest

from talkframe.api import deps
from talkframe.api.deps import CallerCache, caller_for
from talkframe.services import Services


def test_concurrent_misses_share_one_lookup(services: Services, api_key: str,
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[str] = []
    real = deps._lookup

    def counted(svc: Services, key: str) -> deps.Caller | None:
        calls.append(key)
        return real(svc, key)

    monkeypatch.setattr(deps, "_lookup", counted)
    cache = CallerCache()

    async def many() -> list[deps.Caller | None]:
        return await asyncio.gather(*(caller_for(api_key, services, cache) for _ in range(200)))

    callers = asyncio.run(many())
    assert len(calls) == 1
    assert all(c is not None and c == callers[0] for c in callers)
    assert cache.lookups == {}  # nothing left in flight
    assert asyncio.run(caller_for("tf_not_a_key", services, cache)) is None
    assert len(calls) == 2 and asyncio.run(many())[0] == callers[0] and len(calls) == 2  # cached now

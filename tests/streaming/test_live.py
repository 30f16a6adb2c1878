"""The streaming API with a real WebRTC peer (aiortc on loopback, in the test's event loop): new -> start -> task ->
frames and audio arrive -> the mouth moves with the speech and rests in pauses -> interrupt -> stop; limits,
timeouts and HeyGen's v1 error envelope."""

from __future__ import annotations

import asyncio
import functools
import time
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import cv2
import httpx
import numpy as np

from talkframe.api.app import create_app
from talkframe.avatar import landmarks as L
from talkframe.avatar.catalog import BUILTIN_AVATAR_ID, astronaut_rgb
from talkframe.avatar.talking_photo import rig_for
from talkframe.core.config import Settings
from talkframe.db.keys import create_key
from talkframe.db.session import session_scope
from talkframe.services import build_services
from talkframe.streaming.client import StreamClient

SPEECH = "Hello there. Maybe we can meet at the park, and bring a map."


@functools.lru_cache(maxsize=1)
def mouth_box() -> tuple[int, int, int, int]:
    lm = rig_for(astronaut_rgb()).landmarks
    x0, x1 = sorted([lm[L.MOUTH_LEFT, 0], lm[L.MOUTH_RIGHT, 0]])
    y0, y1 = sorted([lm[L.UPPER_OUTER_MID, 1], lm[L.LOWER_OUTER_MID, 1]])
    return int(x0), int(y0) - 4, int(x1), int(y1) + 10


def darkness(rgb: np.ndarray) -> float:
    """How dark the mouth region is (255 - mean grey): it grows as the mouth opens onto its dark interior."""
    x0, y0, x1, y1 = mouth_box()
    return 255.0 - float(cv2.cvtColor(rgb, cv2.COLOR_RGB2GRAY)[y0:y1, x0:x1].mean())


@asynccontextmanager
async def api(tmp_path: Path, **settings: Any) -> AsyncIterator[tuple[httpx.AsyncClient, Any, str]]:
    s = Settings(data_dir=tmp_path / "data", public_base_url="http://testserver", signing_secret="test-secret",
                 streaming_min_idle_timeout_seconds=0.5, **settings)
    services = build_services(s)
    with session_scope(services.db_url) as session:
        key = create_key(session, name="live")[1]
    app = create_app(services)
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver", timeout=60,
                                 headers={"X-Api-Key": key}) as client:
        try:
            yield client, app, key
        finally:
            await app.state.streaming.close_all() if hasattr(app.state, "streaming") else None


async def open_session(client: httpx.AsyncClient, **body: Any) -> tuple[str, StreamClient]:
    peer = StreamClient(client, keep_frames=True)
    await peer.open(avatar_id=BUILTIN_AVATAR_ID, **body)
    return peer.session_id, peer


def frames(peer: StreamClient) -> list[tuple[float, np.ndarray]]:
    return [(v.at, v.rgb) for v in peer.video if v.rgb is not None]


def loudness(peer: StreamClient) -> list[tuple[float, float]]:
    return [(a.at, a.rms) for a in peer.audio]


def run(coro_fn: Callable[..., Any], *args: Any) -> Any:
    return asyncio.run(coro_fn(*args))


async def _lifecycle(tmp_path: Path) -> None:
    async with api(tmp_path) as (client, app, _key):
        sid, peer = await open_session(client)
        try:
            await peer.wait_frames(12)
            await asyncio.sleep(0.6)
            idle = [darkness(f) for _, f in frames(peer)]
            listed = (await client.get("/v1/streaming.list")).json()["data"]["sessions"]
            assert [s["session_id"] for s in listed] == [sid] and listed[0]["status"] in ("connecting", "connected")

            sent = time.monotonic()
            r = await client.post("/v1/streaming.task", json={"session_id": sid, "text": SPEECH,
                                                              "task_type": "repeat", "task_mode": "sync"})
            done = time.monotonic()
            assert r.status_code == 200, r.text
            data = r.json()["data"]
            assert data["task_id"] and 1500 < data["duration_ms"] < 8000
            await asyncio.sleep(0.6)  # the pause after speaking

            loud = loudness(peer)
            talking = [t for t, v in loud if v > 0.02 and t > sent]
            assert talking, "no speech arrived"
            assert talking[-1] - talking[0] > 0.5 * data["duration_ms"] / 1000
            speech_frames = [darkness(f) for t, f in frames(peer) if talking[0] <= t <= talking[-1]]
            after = [darkness(f) for t, f in frames(peer) if t > done + 0.35]
            rest = float(np.median(idle))
            # idle: the mouth rests (breathing and head sway move it less than a grey level or two)
            assert max(idle) - min(idle) < 4.0, (min(idle), max(idle))
            # speaking: the mouth opens onto its dark interior again and again
            opened = [d for d in speech_frames if d > rest + 5.0]
            assert len(opened) > 0.1 * len(speech_frames), (rest, sorted(speech_frames)[-10:])
            # and it moves with the sound: frames while loud are darker on average than frames in quiet gaps
            by_time = [(t, darkness(f)) for t, f in frames(peer) if talking[0] <= t <= talking[-1]]
            def level(t: float) -> float:
                near = [v for ta, v in loud if abs(ta - t) < 0.05]
                return max(near) if near else 0.0
            levels = [(level(t), d) for t, d in by_time]
            quiet = [d for v, d in levels if v < 0.01]
            voiced = [d for v, d in levels if v > 0.05]
            assert len(quiet) >= 3 and len(voiced) >= 10
            assert np.mean(voiced) > np.mean(quiet) + 2.0
            # the pause after the task: back at rest
            assert after and max(after) < rest + 3.0, (rest, after)

            # interrupt: a long task is cut within 200 ms of the call and the face returns to rest
            r = await client.post("/v1/streaming.task", json={"session_id": sid, "task_mode": "async",
                                                              "text": "This sentence is long enough to be cut off "
                                                                      "well before its end. " * 3})
            assert r.status_code == 200 and r.json()["data"]["duration_ms"] > 0
            deadline = time.monotonic() + 15
            while not any(v > 0.02 for t, v in loudness(peer) if t > time.monotonic() - 0.1):
                assert time.monotonic() < deadline
                await asyncio.sleep(0.02)
            await asyncio.sleep(0.5)
            cut = time.monotonic()
            cut_media = app.state.streaming.sessions[sid].performer.cursor / 48000
            r = await client.post("/v1/streaming.interrupt", json={"session_id": sid})
            assert r.status_code == 200 and r.json()["code"] == 100
            await asyncio.sleep(0.8)
            # the last audible packet left the server within 200 ms of the call (it reaches the client a jitter
            # buffer later, which on a loaded 2-core machine adds up to a few packets)
            audio_track = app.state.streaming.sessions[sid].audio
            assert audio_track.last_voiced_at is not None and audio_track.last_voiced_at - cut < 0.2
            late = [t for t, v in loudness(peer) if v > 0.01 and t > cut]
            assert not late or late[-1] - cut < 0.5, f"speech went on {late[-1] - cut:.3f} s after interrupt"
            settled = [darkness(f) for t, f in frames(peer) if t > cut + 0.4]
            assert settled and max(settled) < rest + 3.0
            # no jump: after the cut the lips ease back to rest (no frame-to-frame step bigger than speech makes)
            # and the head goes on as before
            poses = list(app.state.streaming.sessions[sid].performer.recent)
            cut_t = cut_media - 0.05

            def rates(channel: str, keep: Callable[[float], bool]) -> list[float]:  # change per second
                return [abs(getattr(b, channel) - getattr(a, channel)) / max(tb - ta, 1e-3)
                        for (ta, a), (tb, b) in zip(poses, poses[1:], strict=False) if keep(ta)]
            after, during = rates("jaw", lambda t: t >= cut_t), rates("jaw", lambda t: t < cut_t)
            assert after and max(after) <= max(max(during), 0.75) + 1e-6
            assert poses[-1][1].jaw < 0.005
            assert max(rates("head_yaw", lambda t: True)) < 12.0  # degrees a second: sway, never a jump

            session = app.state.streaming.get(sid, app.state.streaming.sessions[sid].account_id)
            assert session.stats()["frames_sent"] > 0
        finally:
            r = await client.post("/v1/streaming.stop", json={"session_id": sid})
            await peer.close()
        assert r.status_code == 200 and r.json()["code"] == 100
        assert (await client.get("/v1/streaming.list")).json()["data"]["sessions"] == []
        r = await client.post("/v1/streaming.task", json={"session_id": sid, "text": "Hi."})
        assert r.status_code == 404 and r.json()["code"] != 100 and r.json()["data"] is None


def test_live_session_speaks_interrupts_and_stops(tmp_path: Path) -> None:
    run(_lifecycle, tmp_path)


async def _bad_input(tmp_path: Path) -> None:
    async with api(tmp_path) as (client, _app, _key):
        r = await client.post("/v1/streaming.task", json={"session_id": "nope", "text": "Hi."})
        assert r.status_code == 404
        body = r.json()
        assert set(body) >= {"code", "message"} and body["code"] != 100 and body["data"] is None
        assert "not found" in body["message"]

        r = await client.post("/v1/streaming.new", json={"avatar_id": BUILTIN_AVATAR_ID})
        sid = r.json()["data"]["session_id"]
        assert r.json()["data"]["sdp"]["type"] == "offer" and "m=video" in r.json()["data"]["sdp"]["sdp"]
        r = await client.post("/v1/streaming.task", json={"session_id": sid, "text": "Hi."})
        assert r.status_code == 400 and r.json()["code"] == 400175 and "start" in r.json()["message"]
        for text in ("", "   ", None):
            r = await client.post("/v1/streaming.task", json={"session_id": sid, "text": text})
            assert r.status_code == 400 and r.json()["code"] == 40039, r.text
        r = await client.post("/v1/streaming.task", json={"text": "Hi."})
        assert r.status_code == 400 and r.json()["code"] == 40001
        r = await client.post("/v1/streaming.new", json={"avatar_id": "no_such_avatar"})
        assert r.status_code == 400 and r.json()["code"] == 400175
        r = await client.post("/v1/streaming.new", json={"quality": "ultra"})
        assert r.status_code == 400 and "quality" in r.json()["message"]
        r = await client.post("/v1/streaming.start", json={"session_id": sid})
        assert r.status_code == 400 and r.json()["code"] == 40001
        r = await client.post("/v1/streaming.list", headers={"X-Api-Key": "tf_wrong"})
        assert r.status_code in (401, 405)
        r = await client.get("/v1/streaming.list", headers={"X-Api-Key": "tf_wrong"})
        assert r.status_code == 401 and r.json()["code"] == 400112
        await client.post("/v1/streaming.stop", json={"session_id": sid})


def test_bad_input_gets_the_v1_error_envelope(tmp_path: Path) -> None:
    run(_bad_input, tmp_path)


async def _limits(tmp_path: Path) -> None:
    async with api(tmp_path, streaming_max_sessions=3, streaming_max_sessions_per_account=2) as (client, app, _k):
        services = app.state.services
        with session_scope(services.db_url) as session:
            other = create_key(session, name="other")[1]
        ids = []
        for _ in range(2):
            r = await client.post("/v1/streaming.new", json={})
            assert r.status_code == 200
            ids.append(r.json()["data"]["session_id"])
        r = await client.post("/v1/streaming.new", json={})
        assert r.status_code == 429 and r.json()["code"] == 429 and r.headers["retry-after"]
        r = await client.post("/v1/streaming.new", json={}, headers={"X-Api-Key": other})
        assert r.status_code == 200  # the server's third
        other_id = r.json()["data"]["session_id"]
        r = await client.post("/v1/streaming.new", json={}, headers={"X-Api-Key": other})
        assert r.status_code == 429 and "server" in r.json()["message"]
        # another account cannot see or stop these sessions
        r = await client.post("/v1/streaming.stop", json={"session_id": ids[0]}, headers={"X-Api-Key": other})
        assert r.status_code == 404
        assert len((await client.get("/v1/streaming.list")).json()["data"]["sessions"]) == 2
        await client.post("/v1/streaming.stop", json={"session_id": ids[0]})
        r = await client.post("/v1/streaming.new", json={})
        assert r.status_code == 200  # a stopped session frees its place
        # a token made for the browser works in place of the key
        token = (await client.post("/v1/streaming.create_token")).json()["data"]["token"]
        r = await client.get("/v1/streaming.list", headers={"X-Api-Key": "", "Authorization": f"Bearer {token}"})
        assert r.status_code == 200 and len(r.json()["data"]["sessions"]) == 2
        assert other_id not in [s["session_id"] for s in r.json()["data"]["sessions"]]
        r = await client.post("/v1/streaming.create_token", headers={"X-Api-Key": "",
                                                                     "Authorization": f"Bearer {token}"})
        assert r.status_code == 401  # a token cannot renew itself


def test_limits_per_account_and_server(tmp_path: Path) -> None:
    run(_limits, tmp_path)


async def _vanished(tmp_path: Path) -> None:
    async with api(tmp_path, streaming_start_timeout_seconds=0.5) as (client, app, _key):
        # 1. a client that hangs up without streaming.stop: its closed connection ends the session at once
        sid, peer = await open_session(client, activity_idle_timeout=30.0)
        await peer.wait_frames(3)
        registry = app.state.streaming
        hung_up = registry.sessions[sid]
        await peer.close()
        deadline = time.monotonic() + 3
        while hung_up.status != "closed":
            assert time.monotonic() < deadline, hung_up.status
            await asyncio.sleep(0.05)
        assert hung_up.close_reason == "connection closed"

        # 2. a client that vanishes without a word (its answer arrived, then nothing: no packets, no keep-alive)
        ghost = StreamClient(client)
        await ghost.open(activity_idle_timeout=1.0)
        vanished = registry.sessions[ghost.session_id]
        for transceiver in ghost.pc.getTransceivers():  # its sockets close: no DTLS goodbye, no packets
            for protocol in transceiver.receiver.transport.transport._connection._protocols:
                protocol.transport.close()
        # 3. and a session created but never started
        never = (await client.post("/v1/streaming.new", json={})).json()["data"]["session_id"]
        began = time.monotonic()
        while registry.live():
            assert time.monotonic() - began < 6, [(s.status, s.idle_for()) for s in registry.live()]
            await asyncio.sleep(0.1)
        # A session reads closed at once and frees its connection and render thread right after (awaiting the peer
        # connection's close): it leaves the registry when it has.
        while vanished.session_id in registry.sessions or never in registry.sessions:
            assert time.monotonic() - began < 9, list(registry.sessions)
            await asyncio.sleep(0.05)
        assert vanished.status == "closed" and vanished.close_reason in ("idle timeout", "connection failed")
        assert vanished.pc.connectionState == "closed" and vanished.render_pool._shutdown
        assert (await client.get("/v1/streaming.list")).json()["data"]["sessions"] == []
        r = await client.post("/v1/streaming.keep_alive", json={"session_id": never})
        assert r.status_code == 404
        await ghost.close()


def test_vanished_client_and_unstarted_session_are_cleaned_up(tmp_path: Path) -> None:
    run(_vanished, tmp_path)


async def _keep_alive(tmp_path: Path) -> None:
    async with api(tmp_path) as (client, app, _key):
        sid, peer = await open_session(client, activity_idle_timeout=1.0)
        try:
            for _ in range(8):
                await asyncio.sleep(0.25)
                r = await client.post("/v1/streaming.keep_alive", json={"session_id": sid})
                assert r.status_code == 200
            assert app.state.streaming.sessions[sid].status != "closed"
            r = await client.get("/v1/streaming/avatar.list")
            ids = [a["avatar_id"] for a in r.json()["data"]]
            assert BUILTIN_AVATAR_ID in ids and all(a["status"] == "ACTIVE" for a in r.json()["data"])
        finally:
            await peer.close()
        await app.state.streaming.close_all()
        assert not app.state.streaming.sessions


def test_keep_alive_holds_a_session_and_shutdown_frees_it(tmp_path: Path) -> None:
    run(_keep_alive, tmp_path)


def test_h264_low_quality_session_streams(tmp_path: Path) -> None:
    async def go() -> None:
        async with api(tmp_path) as (client, _app, _key):
            peer = StreamClient(client, keep_frames=True)
            await peer.open(video_encoding="H264", quality="low")
            try:
                sdp = peer.offer["sdp"]["sdp"]
                assert "H264/90000" in sdp and "VP8/90000" not in sdp
                assert peer.offer["video_size"] == [360, 360]
                await peer.wait_frames(5)
                assert peer.video[-1].rgb is not None and peer.video[-1].rgb.shape == (360, 360, 3)
            finally:
                await peer.stop()
                await peer.close()
    run(go)


def test_ice_servers_from_settings(tmp_path: Path) -> None:
    from talkframe.api.routes.streaming import ice_servers

    plain = build_services(Settings(data_dir=tmp_path / "a", signing_secret="x"))
    assert ice_servers(plain) == ()
    turn = build_services(Settings(data_dir=tmp_path / "b", signing_secret="x",
                                   streaming_ice_servers="stun:stun.example.org:3478, turn:turn.example.org:3478",
                                   streaming_turn_username="u", streaming_turn_credential="p"))
    assert ice_servers(turn) == ({"urls": ["stun:stun.example.org:3478", "turn:turn.example.org:3478"],
                                  "username": "u", "credential": "p"},)

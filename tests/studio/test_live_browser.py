"""The studio's Live page in Debian's chromium against a live `talkframe serve`: start a session, the video element
plays the WebRTC stream with frames decoded, text is spoken and interrupted, stop frees the session."""

from __future__ import annotations

import time
from collections.abc import Iterator

import httpx
import pytest

from tests.studio.conftest import AXE, CHROMIUM, CHROMIUM_ARGS, SCREENSHOTS, Console, Server

# Chromium hides host candidates behind mDNS names by default; on loopback the server learns the browser's
# address from its connectivity checks either way, this just keeps the candidates plain. Autoplay with sound
# needs no extra click in a headless test.
LIVE_ARGS = [*CHROMIUM_ARGS, "--autoplay-policy=no-user-gesture-required",
             "--disable-features=WebRtcHideLocalIpsWithMdns"]


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=LIVE_ARGS)
        yield b
        b.close()


def _frames(page) -> int:  # type: ignore[no-untyped-def]
    return page.evaluate("() => { const v = document.getElementById('live-video');"
                         " return v.getVideoPlaybackQuality ? v.getVideoPlaybackQuality().totalVideoFrames : 0; }")


def test_live_page_streams_speaks_and_stops(server: Server, browser) -> None:  # type: ignore[no-untyped-def]
    console = Console()
    context = browser.new_context(viewport={"width": 1366, "height": 768})
    console.watch(context)
    page = context.new_page()
    page.goto(server.base + "/studio/login")
    page.fill("#api_key", server.key)
    page.click("button[type=submit]")
    page.wait_for_url("**/studio/videos")
    page.click("nav >> text=Live")
    page.wait_for_url("**/studio/live")
    page.click("#live-start")
    page.wait_for_function("() => !document.getElementById('live-speak').disabled", timeout=30_000)
    page.wait_for_function("() => { const v = document.getElementById('live-video');"
                           " return v.readyState >= 2 && !v.paused && v.videoWidth > 0; }", timeout=30_000)
    first = _frames(page)
    time.sleep(1.0)
    assert _frames(page) > first > 0
    assert page.evaluate("() => document.getElementById('live-video').videoWidth") == 512

    listed = httpx.get(f"{server.base}/v1/streaming.list", headers={"X-Api-Key": server.key}).json()
    assert len(listed["data"]["sessions"]) == 1 and listed["data"]["sessions"][0]["status"] == "connected"

    page.fill("#live-text", "Hello from the browser test. This sentence will be interrupted before it ends.")
    page.click("#live-speak")
    page.wait_for_function("() => document.getElementById('live-status').textContent.startsWith('Speaking')",
                           timeout=30_000)
    time.sleep(1.5)
    page.click("#live-interrupt")
    page.wait_for_function("() => document.getElementById('live-status').textContent === 'Interrupted'")
    assert page.locator("#live-error").is_hidden()

    axe = page.evaluate(AXE.read_text() + "; axe.run().then(r => r.violations.map(v => v.id))")
    assert axe == [], axe
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "live-desktop.png"))

    page.click("#live-stop")
    page.wait_for_function("() => document.getElementById('live-status').textContent === 'Stopped.'")
    deadline = time.time() + 5
    while httpx.get(f"{server.base}/v1/streaming.list", headers={"X-Api-Key": server.key}).json()["data"]["sessions"]:
        assert time.time() < deadline, "the stopped session is still listed"
        time.sleep(0.1)
    assert console.errors == [], console.errors
    context.close()


def test_server_shutdown_ends_live_sessions(server: Server) -> None:
    """Last in this module (it stops the module's server): SIGTERM closes live sessions, and the client is told."""
    import asyncio
    import signal
    from concurrent.futures import ThreadPoolExecutor

    from talkframe.streaming.client import StreamClient

    async def go() -> None:
        async with httpx.AsyncClient(base_url=server.base, headers={"X-Api-Key": server.key}, timeout=60) as http:
            c = StreamClient(http)
            await c.open()
            await c.wait_frames(5)
            server.proc.send_signal(signal.SIGTERM)
            deadline = time.monotonic() + 15
            while server.proc.poll() is None or c.pc.connectionState != "closed":
                assert time.monotonic() < deadline, (server.proc.poll(), c.pc.connectionState)
                await asyncio.sleep(0.05)
            await c.close()

    with ThreadPoolExecutor(1) as pool:  # Playwright's sync API holds this thread's event loop
        pool.submit(asyncio.run, go()).result()

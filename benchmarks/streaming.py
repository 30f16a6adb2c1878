"""Live streaming benchmark (/v1/streaming.*) against a real `talkframe serve` on loopback, received by aiortc
clients in this process (they decode the stream here too, on the same cores as the server).

Run: PYTHONPATH=src .venv/bin/python benchmarks/streaming.py [--seconds 60] [--tasks 20] [--starts 5]
     [--pair-seconds 30] [--only continuous,first,idle,pair]

Measures (512x512 at 25 fps, the built-in astronaut, VP8):
  continuous  dropped frames over `--seconds` of continuous speech (RTP timestamp gaps of received frames, and
              frames the server skipped as late), and the AV offset of the received stream: the mouth's darkness
              per frame (a proxy for its opening: mean grey of the mouth box, read from the decoded luma) cross-
              correlated with the loudness of the audio received at the same moment, over -10..+10 frames
  first       time from sending streaming.task to the first audible packet and to the first frame with the mouth
              visibly opening (its region 2.5 grey levels darker than at rest; median of `--tasks` short tasks, each
              after the last one ended)
  idle        time from sending streaming.start to the first decoded video frame (`--starts` sessions)
  pair        two concurrent sessions speaking for `--pair-seconds`: dropped frames of each
  lipsync     `--lipsync-seconds` of received speech measured as benchmarks/quality.py measures a file: FaceMesh
              (static mode, upscaled face crop) mouth opening per received frame, loudness of the received audio,
              THEval naturalness score, silent-lip distance, AV offset and peak correlation. Frames and audio are
              placed on the server's media clock by their RTP timestamps (what a player that syncs by RTCP does),
              and again by arrival time in this client. Viseme accuracy as quality.py counts it (bilabials
              closed, open vowels opened), with the phones placed on the received audio: each chunk of each task
              synthesised again here and found in the received sound by its loudness envelope
Load average (1, 5, 15 min) is printed before and after each part: this is a shared 2-core machine.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

import httpx
import numpy as np
from PIL import Image

from load import free_port, start_server  # benchmarks/ is on sys.path when a script there runs
from talkframe.avatar import landmarks as L
from talkframe.avatar.catalog import astronaut_rgb
from talkframe.avatar.talking_photo import rig_for
from talkframe.streaming.client import StreamClient

FPS = 25.0
VISIBLE = 2.5  # grey levels of mouth darkening that count as visible speech (idle sway and breathing: about 1)
PARAGRAPH = ("Welcome to the live demo. I am a single photo, animated on the processor while I speak. "
             "Every sentence is synthesised, turned into mouth shapes and rendered as you hear it. "
             "Ask me about opening hours, prices, or where to find the nearest station. "
             "Numbers work too: one, two, three, four, five. Thank you for listening, and have a good day. ")
SHORT = ["Hello there.", "How can I help you today?", "The museum opens at nine.", "Please take a seat.",
         "That is a great question.", "Let me check that for you.", "Tickets cost twelve euros.",
         "Turn left at the end of the hall.", "Welcome back.", "Thanks for waiting."]


def load() -> str:
    a, b, c = os.getloadavg()
    return f"load average {a:.2f} {b:.2f} {c:.2f}"


def mouth_region() -> tuple[int, int, int, int]:
    lm = rig_for(astronaut_rgb()).landmarks
    x0, x1 = sorted([lm[L.MOUTH_LEFT, 0], lm[L.MOUTH_RIGHT, 0]])
    y0, y1 = sorted([lm[L.UPPER_OUTER_MID, 1], lm[L.LOWER_OUTER_MID, 1]])
    return int(x0), int(y0) - 4, int(x1), int(y1) + 10


def client(base: str, key: str, region: tuple[int, int, int, int] | None) -> StreamClient:
    http = httpx.AsyncClient(base_url=base, headers={"X-Api-Key": key}, timeout=120)
    return StreamClient(http, region=region)


async def server_stats(c: StreamClient) -> dict:
    sessions = (await c.http.get("/v1/streaming.list")).json()["data"]["sessions"]
    return next((s["stats"] for s in sessions if s["session_id"] == c.session_id), {})


async def speak_for(c: StreamClient, seconds: float, sent: list[str] | None = None) -> float:
    """Queue the paragraph (async tasks) until `seconds` of speech are queued; returns when it should end.
    Each text queued is appended to `sent`."""
    queued = 0.0
    start = time.monotonic()
    while queued < seconds:
        queued += (await c.task(PARAGRAPH, "async"))["duration_ms"] / 1000
        if sent is not None:
            sent.append(PARAGRAPH)
    return start + queued


def envelope(pcm: np.ndarray, rate: int = 48000, hop_s: float = 0.01) -> np.ndarray:
    hop = int(rate * hop_s)
    n = len(pcm) // hop
    return np.sqrt(np.mean(np.square(pcm[: n * hop].reshape(n, hop), dtype=np.float64), axis=1) + 1e-10)


def phones_on_stream(pcm: np.ndarray, texts: list[str]) -> tuple[list, list[float]]:
    """The phones of the speech in `pcm` (48 kHz, on the timeline the frames were placed on): each task's text is
    split as the server splits it, each chunk synthesised again here (the same text gives the same audio) and found
    in `pcm` by cross-correlating 10 ms loudness envelopes, searching forward from where the chunk before it ended.
    Returns the phones shifted to that timeline and each chunk's alignment correlation."""
    from talkframe import voice
    from talkframe.core.types import Phone
    from talkframe.media.resample import resample
    from talkframe.request import Voice
    from talkframe.streaming.text import chunks

    received = envelope(pcm)
    phones, corrs, cursor = [], [], 0
    for text in (c for t in texts for c in chunks(t)):
        speech = voice.synthesize(Voice(type="text", input_text=text))
        ref = envelope(resample(speech.audio, speech.sample_rate, 48000))
        lo, hi = max(0, cursor - 50), cursor + 300  # the chunk starts within 0.5 s before .. 3 s after
        if hi + len(ref) > len(received):
            break  # the stream ended during this chunk
        window = received[lo: hi + len(ref)]
        r = ref - ref.mean()
        scores = []
        for k in range(hi - lo):
            seg = window[k: k + len(ref)] - window[k: k + len(ref)].mean()
            scores.append(float(np.dot(seg, r) / (np.linalg.norm(seg) * np.linalg.norm(r) + 1e-12)))
        k = int(np.argmax(scores))
        corrs.append(scores[k])
        start = (lo + k) * 0.01
        phones += [Phone(ph.symbol, start + ph.start, start + ph.end) for ph in speech.phones]
        cursor = lo + k + len(ref)
    return phones, corrs


async def continuous(base: str, key: str, seconds: float, region: tuple[int, int, int, int]) -> None:
    print(f"\n== continuous speech, {seconds:g} s, 512x512 @ {FPS:g} fps ({load()})")
    c = client(base, key, region)
    await c.open(quality="medium")
    await c.wait_frames(10)
    await asyncio.sleep(1.0)
    c.video.clear()
    c.audio.clear()
    began = time.monotonic()
    await speak_for(c, seconds)
    while time.monotonic() - began < seconds:  # keep talking (queued speech runs past this point)
        await asyncio.sleep(0.2)
    window = [v for v in c.video]
    got, missing = c.dropped_frames(FPS)
    print(f"server: {await server_stats(c)}")
    span = time.monotonic() - began
    print(f"received {got} frames in {span:.1f} s ({got / span:.2f} fps); missing by RTP timestamp: {missing} "
          f"({100 * missing / max(1, got + missing):.1f}%)")
    speaking = [a for a in c.audio if a.rms > 0.01]
    print(f"audio packets {len(c.audio)} ({len(c.audio) * 0.02:.1f} s), audible {len(speaking)}")
    av_offset(window, c.audio)
    await c.stop()
    await c.close()
    await c.http.aclose()
    print(load())


def av_offset(video: list, audio: list) -> None:
    """Cross-correlate mouth darkness with the loudness heard at each frame's arrival, lags -10..+10 frames."""
    frames = [v for v in video if v.luma is not None]
    if len(frames) < 50 or not audio:
        print("AV offset: not enough data")
        return
    t0 = frames[0].at
    n = int((frames[-1].at - t0) * FPS) + 1
    dark = np.full(n, np.nan)
    for v in frames:
        dark[min(n - 1, int((v.at - t0) * FPS))] = 255 - v.luma
    dark = np.where(np.isnan(dark), np.nanmean(dark), dark)
    loud = np.zeros(n)
    for a in audio:
        i = int((a.at - t0) * FPS)
        if 0 <= i < n:
            loud[i] = max(loud[i], a.rms)
    d, v = dark - dark.mean(), loud - loud.mean()
    best, lag_best = -2.0, 0
    for lag in range(-10, 11):  # lag > 0: the mouth moves `lag` frames after the sound arrives
        a = d[max(0, lag): n + min(0, lag)]
        b = v[max(0, -lag): n + min(0, -lag)]
        r = float(np.corrcoef(a, b)[0, 1])
        if r > best:
            best, lag_best = r, lag
    print(f"AV offset on the received stream: {lag_best:+d} frames ({1000 * lag_best / FPS:+.0f} ms; + = picture "
          f"late), peak correlation {best:.2f} (mouth darkness proxy vs arrival-time loudness)")


async def first_speech(base: str, key: str, tasks: int, region: tuple[int, int, int, int]) -> None:
    print(f"\n== time to first speech after streaming.task, {tasks} tasks ({load()})")
    c = client(base, key, region)
    await c.open(quality="medium")
    await c.wait_frames(10)
    await asyncio.sleep(1.5)
    rest = statistics.median(255 - v.luma for v in c.video[-20:] if v.luma is not None)
    heard, seen = [], []
    for i in range(tasks):
        sent = time.monotonic()
        text = SHORT[i % len(SHORT)]
        reply = asyncio.create_task(c.task(text, "sync"))
        await reply
        await asyncio.sleep(0.4)
        a = next((x.at - sent for x in c.audio if x.at > sent and x.rms > 0.01), None)
        v = next((x.at - sent for x in c.video if x.at > sent and x.luma is not None
                  and 255 - x.luma > rest + VISIBLE), None)
        heard.append(a if a is not None else float("nan"))
        seen.append(v if v is not None else float("nan"))
    both = [max(a, v) for a, v in zip(heard, seen, strict=True)]
    fmt = lambda xs: f"median {1000 * np.nanmedian(xs):.0f} ms, p90 {1000 * np.nanpercentile(xs, 90):.0f} ms, " \
        f"max {1000 * np.nanmax(xs):.0f} ms"  # noqa: E731
    print(f"first audible: {fmt(heard)}")
    print(f"first visible (mouth open): {fmt(seen)}")
    print(f"audible and visible: {fmt(both)}")
    await c.stop()
    await c.close()
    await c.http.aclose()
    print(load())


async def idle_picture(base: str, key: str, starts: int) -> None:
    print(f"\n== time to the idle picture after streaming.start, {starts} sessions ({load()})")
    times, opens = [], []
    for _ in range(starts):
        c = client(base, key, None)
        t = time.monotonic()
        sent = await c.open(quality="medium")
        opens.append(sent - t)
        await c.wait_frames(1, timeout=30)
        times.append(c.video[0].at - sent)
        await c.stop()
        await c.close()
        await c.http.aclose()
    print(f"first frame after start: median {1000 * statistics.median(times):.0f} ms, max {1000 * max(times):.0f} ms"
          f" (streaming.new itself: median {1000 * statistics.median(opens):.0f} ms)")
    print(load())


async def pair(base: str, key: str, seconds: float, region: tuple[int, int, int, int]) -> None:
    print(f"\n== two concurrent sessions, {seconds:g} s of speech each ({load()})")
    clients = [client(base, key, region) for _ in range(2)]
    for c in clients:
        await c.open(quality="medium")
        await c.wait_frames(5)
    await asyncio.sleep(1.0)
    for c in clients:
        c.video.clear()
    began = time.monotonic()
    for c in clients:
        await speak_for(c, seconds)
    while time.monotonic() - began < seconds:
        await asyncio.sleep(0.2)
    for i, c in enumerate(clients):
        got, missing = c.dropped_frames(FPS)
        print(f"session {i + 1}: received {got} frames, missing {missing} "
              f"({100 * missing / max(1, got + missing):.1f}%); server: {await server_stats(c)}")
        await c.stop()
        await c.close()
        await c.http.aclose()
    print(load())


async def lipsync(base: str, key: str, seconds: float, frames_dir: Path | None = None) -> None:
    from quality import lip_sync, mouth_series, phone_frames, viseme_accuracy
    from talkframe.motion.visemes import Viseme, to_viseme

    print(f"\n== lip sync on the received stream, {seconds:g} s ({load()})")
    x0, y0, x1, y1 = mouth_region()
    cx, cy, half = (x0 + x1) // 2, (y0 + y1) // 2 - 40, 130  # a square around the face
    c = client(base, key, None)
    c.keep_frames, c.keep_audio, c.crop = True, True, (max(0, cx - half), max(0, cy - half), cx + half, cy + half)
    await c.open(quality="medium")
    await c.wait_frames(10)
    await asyncio.sleep(1.0)
    began = time.monotonic()
    sent: list[str] = []
    await speak_for(c, seconds, sent)
    while time.monotonic() - began < seconds + 1.0:
        await asyncio.sleep(0.2)
    await c.stop()
    await c.close()
    await c.http.aclose()
    video = [v for v in c.video if v.at >= began]
    audio = [a for a in c.audio if a.samples is not None]
    o, w, _lms = mouth_series([v.rgb for v in video])
    for name, vt, at in (("RTP timestamps", [c.media_time(v) for v in video], [c.media_time(a) for a in audio]),
                         ("arrival times", [v.at for v in video], [a.at for a in audio])):
        # loudness of the audio that plays during each received frame: audio placed on the same timeline
        t0 = vt[0]
        n = int(round((vt[-1] - t0) * FPS)) + 1
        opening, width = np.full(n, np.nan), np.full(n, np.nan)
        shown: dict[int, np.ndarray] = {}
        for t, value, wide, v in zip(vt, o, w, video, strict=True):
            i = min(n - 1, max(0, int(round((t - t0) * FPS))))
            opening[i], width[i], shown[i] = value, wide, v.rgb
        pcm = np.zeros(int((n + 2) * 48000 / FPS), np.float32)
        for t, a in zip(at, audio, strict=True):
            i = int(round((t - t0) * 48000))
            if 0 <= i < len(pcm) - len(a.samples):
                pcm[i:i + len(a.samples)] = a.samples / 32768
        keep = ~np.isnan(opening)
        m = lip_sync(np.where(keep, opening, np.nanmean(opening)), pcm[:int(round(n * 48000 / FPS))], 48000, FPS)
        print(f"by {name}: THEval score {m['lipsync_score']:.3f} (m {m['m']:.3f}), silent lip {m['silent_lip']:.4f}, "
              f"AV offset {m['av_offset_frames']:+d} frames, peak correlation {m['peak_corr']:.2f} "
              f"({int(keep.sum())} frames, {int((~keep).sum())} missing or without a face)")
        phones, corrs = phones_on_stream(pcm, sent)
        vis = viseme_accuracy(opening, width, phones, FPS)
        print(f"   visemes: bilabials closed {vis['bilabial_closed']:.2f} of {vis['n_bilabial']}, open vowels opened "
              f"{vis['open_vowel_opened']:.2f} of {vis['n_open']} ({len(corrs)} chunks placed by their loudness, "
              f"alignment correlation median {np.median(corrs):.2f}, min {min(corrs):.2f})")
        for ph in phones:  # the bilabials that stayed open: where, and how far
            idx = phone_frames(ph, FPS, n)
            if to_viseme(ph.symbol) == Viseme.PP and idx and np.nanmin(opening[idx]) > 0.04:
                print(f"   open bilabial /{ph.symbol}/ at {ph.start:.2f}-{ph.end:.2f} s: least opening "
                      f"{np.nanmin(opening[idx]):.3f}")
                if frames_dir is not None:  # the frames around it, to look at
                    frames_dir.mkdir(parents=True, exist_ok=True)
                    strip = np.hstack([shown[i] for i in range(idx[0] - 1, idx[-1] + 2) if i in shown])
                    Image.fromarray(strip).save(frames_dir / f"{name.split()[0]}_{ph.start:06.2f}.png")
    print(load())


async def main_async(args: argparse.Namespace, base: str, key: str) -> None:
    region = mouth_region()
    parts = set(args.only.split(","))
    if "idle" in parts:
        await idle_picture(base, key, args.starts)
    if "first" in parts:
        await first_speech(base, key, args.tasks, region)
    if "continuous" in parts:
        await continuous(base, key, args.seconds, region)
    if "pair" in parts:
        await pair(base, key, args.pair_seconds, region)
    if "lipsync" in parts:
        await lipsync(base, key, args.lipsync_seconds, args.frames)


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--seconds", type=float, default=60.0)
    p.add_argument("--tasks", type=int, default=20)
    p.add_argument("--starts", type=int, default=5)
    p.add_argument("--pair-seconds", type=float, default=30.0)
    p.add_argument("--lipsync-seconds", type=float, default=30.0)
    p.add_argument("--only", default="idle,first,continuous,pair,lipsync")
    p.add_argument("--frames", type=Path, default=None, help="save the received frames around each open bilabial")
    args = p.parse_args()
    print(f"{sys.version.split()[0]}, {os.cpu_count()} CPUs, {load()}")
    with tempfile.TemporaryDirectory() as tmp:
        data = Path(tmp) / "data"
        data.mkdir()
        port = free_port()
        proc, key = start_server(data, port, None, {"TALKFRAME_WORKERS": "0", "TALKFRAME_WARM_UP": "false"})
        try:
            asyncio.run(main_async(args, f"http://127.0.0.1:{port}", key))
        finally:
            proc.terminate()
            proc.wait(20)


if __name__ == "__main__":
    main()

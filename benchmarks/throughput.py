"""Whole-job throughput through a live `talkframe serve`, against the encode floor of the very same frames.

For each resolution (1280x720, 1920x1080) a fresh server is started on a temporary data dir and given a ~25 s
script twice: the first video after start (model loads included, as a user after a restart sees it), then a warm
one. For each video it reports:

- whole-job wall time from POST to `completed` (as a client sees it) and RTF (wall / video seconds);
- the server's CPU seconds for the job (utime + stime, all threads of the server and its render child process;
  steadier than wall on a busy machine);
- the encode floor: libx264 veryfast crf 23 (talkframe's settings) re-encoding the job's own decoded frames, in this
  process, measured as (decode + encode) - (decode only), wall and CPU, at the render process's niceness (`serve`
  renders at nice 10); the ratio job / floor is the headline figure, stable on a noisy machine because both
  sides slow down together;
- a per-stage breakdown (speech, face analysis, motion, per-frame avatar, compose, encode, scene audio, join,
  GIF/thumbnail, upload) in seconds and ms/frame, wall and thread CPU, recorded inside the server by wrapping the
  stage functions (the server is started through this file, `--serve-timed`, which installs the wrappers and then
  runs `talkframe serve`); stages that run on other threads overlap, so their wall times can sum past the job's;
- the peak RSS of the server's largest process during the job (the render child's VmHWM, reset before each job).
  The render child gets the same stage timers (`run_child` is wrapped before `serve` starts it).

Then `--concurrency` servers with N embedded workers get 2N warm 720p jobs at once: videos per hour.

Run: .venv/bin/python benchmarks/throughput.py [--quick] [--json out.json]   (or `make bench-throughput`)
"""

from __future__ import annotations

import argparse
import contextlib
import functools
import importlib
import json
import os
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

SCRIPT = ("Welcome to talkframe. This benchmark speaks for about twenty five seconds, so that we can measure how "
          "fast a whole video renders on this machine, from the moment the request arrives to the finished file. "
          "The face you are watching comes from a single photograph. Its lips follow the sounds of the speech, "
          "its eyes blink now and then, and its head moves a little, the way people move when they talk. "
          "Everything runs offline on two processor cores, with no graphics card and no cloud service.")
QUICK_SCRIPT = "Welcome to talkframe. This quick check speaks for a few seconds, from the request to the finished file."
AVATAR_ID = "tf_astronaut_avatar"

# stage -> functions whose calls count as that stage ("module:attr" or "module:Class.method"); missing ones are
# skipped, so the benchmark keeps working while the pipeline's internals move
STAGES: dict[str, list[str]] = {
    # a streaming render synthesises sentence by sentence on its own thread: Piper's phonemizer and ONNX runs
    "speech": ["talkframe.voice:synthesize", "piper.voice:PiperVoice.phonemize",
               "piper.voice:PiperVoice.phoneme_ids_to_audio", "talkframe.voice.tts:_post"],
    "face analysis": ["talkframe.avatar.talking_photo:rig_for"],
    "motion": ["talkframe.avatar.talking_photo:build_tracks", "talkframe.render.motion_stage:build_tracks",
               "talkframe.motion.stream:MotionStream.feed", "talkframe.motion.stream:MotionStream.finish"],
    "avatar frames": ["talkframe.avatar.talking_photo:TalkingPhotoClip.frame"],
    # `canvas` (a frame for the writer) calls `frame` when it draws whole frames: the outer call is counted once
    "compose": ["talkframe.compose.scene:SceneComposer.canvas", "talkframe.compose.scene:SceneComposer.frame"],
    # encoding on the writer's thread (plus the flush at close); a sequential writer encodes inside write_frame
    "encode": ["talkframe.media.mp4:Mp4Writer._encode", "talkframe.media.mp4:Mp4Writer.close",
               "talkframe.render.encode:Mp4Writer._encode", "talkframe.render.encode:Mp4Writer.close"],
    # the renderer waiting for room in the encoder's queue (a threaded writer)
    "encoder wait": ["talkframe.media.mp4:Mp4Writer.write_frame", "talkframe.render.encode:Mp4Writer.write_frame"],
    "scene audio": ["talkframe.render.segment:audio_for_frames", "talkframe.render.scene:_audio_for_frames",
                    "talkframe.render.segment:SegmentAudio.add", "talkframe.render.segment:SegmentAudio.close"],
    "join": ["talkframe.render.join:join_mp4"],
    "gif/thumbnail": ["talkframe.render.join:_previews", "talkframe.render.previews:PreviewSampler.save",
                      "talkframe.render.previews:PreviewSampler.offer"],
    "upload": ["talkframe.jobs.render_job:publish_outputs"],
}


# --- inside the server: stage timers ---------------------------------------------------------------------------

class _Clock:
    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.totals: dict[str, list[float]] = {}  # stage -> [wall s, thread cpu s, calls]
        self.local = threading.local()

    def wrap(self, stage: str, fn):  # type: ignore[no-untyped-def]
        @functools.wraps(fn)
        def timed(*args, **kwargs):  # type: ignore[no-untyped-def]
            depth = getattr(self.local, "depth", 0)
            if depth:  # a stage inside another (e.g. a join inside the previews): count the outer one only
                return fn(*args, **kwargs)
            self.local.depth = 1
            w0, c0 = time.perf_counter(), time.thread_time()
            try:
                return fn(*args, **kwargs)
            finally:
                w, c = time.perf_counter() - w0, time.thread_time() - c0
                self.local.depth = 0
                with self.lock:
                    t = self.totals.setdefault(stage, [0.0, 0.0, 0])
                    t[0] += w
                    t[1] += c
                    t[2] += 1
        return timed

    def take(self) -> dict[str, list[float]]:
        with self.lock:
            out, self.totals = self.totals, {}
        return out


def _install_timers(out_path: Path) -> None:
    clock = _Clock()
    try:
        from talkframe.media.mp4 import Mp4Writer
    except ImportError:  # before the writer moved to media/
        from talkframe.render.encode import Mp4Writer

    sequential_writer = not hasattr(Mp4Writer, "_encode")
    for stage, targets in STAGES.items():
        for target in targets:
            if sequential_writer and target.endswith("Mp4Writer.write_frame"):
                stage = "encode"  # noqa: PLW2901 - the old writer encodes in the caller
            module_name, attr = target.split(":")
            try:
                module = importlib.import_module(module_name)
                owner = module
                *path, name = attr.split(".")
                for part in path:
                    owner = getattr(owner, part)
                fn = getattr(owner, name)
            except (ImportError, AttributeError):
                continue
            setattr(owner, name, clock.wrap(stage, fn))
    from talkframe.jobs import render_job

    run_render = render_job.run_render

    def timed_run_render(*args, **kwargs):  # type: ignore[no-untyped-def]
        clock.take()
        t0 = time.perf_counter()
        try:
            return run_render(*args, **kwargs)
        finally:
            record = {"video_id": args[1].id, "job_s": time.perf_counter() - t0, "stages": clock.take()}
            with out_path.open("a") as f:
                f.write(json.dumps(record) + "\n")

    render_job.run_render = timed_run_render
    from talkframe.jobs import runner

    runner.run_render = timed_run_render


def serve_timed(stages_path: Path, workers: int) -> int:
    _install_timers(stages_path)
    try:  # `serve` renders in a child process (spawned): give it the same timers
        from talkframe.jobs import render_process
    except ImportError:
        render_process = None  # type: ignore[assignment]
    if render_process is not None and hasattr(render_process, "run_child"):
        os.environ[_STAGES_ENV] = str(stages_path)
        render_process.run_child = _timed_child  # looked up when the child starts; pickled as this module's name
    from talkframe.cli import main

    return main(["serve", "--workers", str(workers)])


_STAGES_ENV = "TALKFRAME_BENCH_STAGES"


def _timed_child(*args, **kwargs):  # type: ignore[no-untyped-def]
    """The render child's main with the stage timers installed (runs in the spawned child)."""
    _install_timers(Path(os.environ[_STAGES_ENV]))
    from talkframe.jobs import render_process

    return render_process.run_child(*args, **kwargs)


# --- the client side -------------------------------------------------------------------------------------------

class Server:
    def __init__(self, data_dir: Path, port: int, workers: int = 1) -> None:
        self.data_dir, self.port = data_dir, port
        self.stages = data_dir / "stages.jsonl"
        env = {**os.environ, "TALKFRAME_DATA_DIR": str(data_dir), "TALKFRAME_PORT": str(port),
               "TALKFRAME_PUBLIC_BASE_URL": f"http://127.0.0.1:{port}", "TALKFRAME_BROKER_URL": ""}
        data_dir.mkdir(parents=True, exist_ok=True)
        talkframe = [sys.executable, "-c", "import sys; from talkframe.cli import main; sys.exit(main(sys.argv[1:]))"]
        self.key = subprocess.run([*talkframe, "keys", "create", "--name", "bench"], env=env, check=True,
                                  capture_output=True, text=True).stdout.strip().splitlines()[-1]
        self.started = time.perf_counter()
        self.log = (data_dir / "serve.log").open("w")
        self.proc = subprocess.Popen([sys.executable, __file__, "--serve-timed", str(self.stages), str(workers)],
                                     env=env, stdout=self.log, stderr=subprocess.STDOUT)
        while True:
            try:
                self.get("/health")
                break
            except OSError:
                if self.proc.poll() is not None:
                    raise RuntimeError(f"serve exited; see {data_dir / 'serve.log'}") from None
                time.sleep(0.05)
        self.ready_s = time.perf_counter() - self.started

    def request(self, method: str, path: str, body: dict | None = None) -> dict:
        req = urllib.request.Request(f"http://127.0.0.1:{self.port}{path}", method=method,
                                     data=None if body is None else json.dumps(body).encode(),
                                     headers={"X-Api-Key": self.key, "Content-Type": "application/json"})
        with urllib.request.urlopen(req, timeout=30) as r:
            return json.loads(r.read())

    def get(self, path: str) -> dict:
        return self.request("GET", path)

    def pids(self) -> list[int]:
        """The server and its descendants (`serve` renders in a child process)."""
        out, todo = [], [self.proc.pid]
        while todo:
            pid = todo.pop()
            out.append(pid)
            with contextlib.suppress(OSError):
                for task in Path(f"/proc/{pid}/task").iterdir():
                    with contextlib.suppress(OSError):
                        todo += [int(c) for c in (task / "children").read_text().split()]
        return out

    def cpu_seconds(self) -> float:
        """utime + stime of the server and its live descendants (all threads)."""
        total = 0
        for pid in self.pids():
            with contextlib.suppress(OSError):
                fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
                total += int(fields[11]) + int(fields[12])
        return total / os.sysconf("SC_CLK_TCK")

    def render_niceness(self) -> int:
        """The niceness of the process that renders (the deepest descendant, else the server)."""
        nice = 0
        for pid in self.pids():
            with contextlib.suppress(OSError):
                nice = max(nice, int(Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[16]))
        return nice

    def reset_peak_rss(self) -> None:
        for pid in self.pids():
            with contextlib.suppress(OSError):
                Path(f"/proc/{pid}/clear_refs").write_text("5")

    def peak_rss_mb(self) -> float:
        """The largest VmHWM among the server's processes (the render child's, when `serve` has one)."""
        peak = float("nan")
        for pid in self.pids():
            with contextlib.suppress(OSError):
                for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                    if line.startswith("VmHWM:"):
                        mb = int(line.split()[1]) / 1024
                        peak = mb if peak != peak else max(peak, mb)
        return peak

    def submit(self, width: int, height: int, script: str) -> str:
        body = {"video_inputs": [{"character": {"type": "avatar", "avatar_id": AVATAR_ID},
                                  "voice": {"type": "text", "input_text": script},
                                  "background": {"type": "color", "value": "#f6f6fc"}}],
                "dimension": {"width": width, "height": height}}
        return self.request("POST", "/v2/video/generate", body)["data"]["video_id"]

    def wait(self, video_id: str, poll: float = 0.05) -> dict:
        while True:
            data = self.get(f"/v1/video_status.get?video_id={video_id}")["data"]
            if data["status"] in ("completed", "failed"):
                if data["status"] == "failed":
                    raise RuntimeError(f"video {video_id} failed: {data['error']}")
                return data
            time.sleep(poll)

    def stage_records(self) -> dict[str, dict]:
        if not self.stages.exists():
            return {}
        return {r["video_id"]: r for r in map(json.loads, self.stages.read_text().splitlines())}

    def stop(self) -> None:
        self.proc.send_signal(signal.SIGINT)
        try:
            self.proc.wait(20)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        self.log.close()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _writer_threading() -> str:
    """The x264 threading talkframe's writer uses (PyAV's default, slices, before it was set)."""
    try:
        from talkframe.media.mp4 import X264_THREADING
    except ImportError:
        return "SLICE"
    return X264_THREADING


def _writer_frame():  # type: ignore[no-untyped-def]
    """How talkframe's writer turns an RGB canvas into the encoder's frame (swscale via rgb24, before `yuv_frame`)."""
    try:
        from talkframe.media.mp4 import yuv_frame
    except ImportError:
        import av

        return lambda rgb: av.VideoFrame.from_ndarray(rgb, format="rgb24")
    return yuv_frame


def encode_floor(mp4: Path) -> dict:
    """(decode + libx264 veryfast crf 23 encode) - (decode only) of the video's own frames, wall and CPU."""
    import av

    to_frame = _writer_frame()

    def run(encode: bool) -> tuple[float, float, int]:
        w0, c0 = time.perf_counter(), time.process_time()
        n = 0
        with av.open(str(mp4)) as src:
            stream = src.streams.video[0]
            out = av.open(os.devnull, "w", format="mp4") if encode else None
            if out is not None:
                v = out.add_stream("libx264", rate=stream.average_rate)
                v.width, v.height, v.pix_fmt = stream.width, stream.height, "yuv420p"
                v.options = {"preset": "veryfast", "crf": "23", "profile": "high"}
                v.codec_context.thread_type = _writer_threading()
            for frame in src.decode(stream):
                rgb = frame.to_ndarray(format="rgb24")
                n += 1
                if out is not None:
                    f = to_frame(rgb)
                    f.pts = n - 1
                    for packet in v.encode(f):
                        out.mux(packet)
            if out is not None:
                for packet in v.encode(None):
                    out.mux(packet)
                out.close()
        return time.perf_counter() - w0, time.process_time() - c0, n

    dw, dc, n = run(False)
    ew, ec, _ = run(True)
    return {"frames": n, "wall_s": max(1e-6, ew - dw), "cpu_s": max(1e-6, ec - dc)}


def floor_at_niceness(mp4: Path, niceness: int) -> dict:
    """`encode_floor` in a child process at `niceness` (the render's), so both sides of the ratio compete for the
    CPU alike on a busy machine."""
    if niceness <= os.nice(0):
        return encode_floor(mp4)
    out = subprocess.run([sys.executable, __file__, "--floor", str(mp4)], check=True, capture_output=True, text=True,
                         preexec_fn=lambda: os.nice(niceness - os.nice(0)))
    return json.loads(out.stdout.strip().splitlines()[-1])


def one_job(server: Server, width: int, height: int, script: str, label: str, work: Path) -> dict:
    server.reset_peak_rss()
    cpu0, t0 = server.cpu_seconds(), time.perf_counter()
    video_id = server.submit(width, height, script)
    data = server.wait(video_id)
    wall, cpu = time.perf_counter() - t0, server.cpu_seconds() - cpu0
    mp4 = work / f"{video_id}.mp4"
    with urllib.request.urlopen(data["video_url"]) as reply:  # the job's own output, from the local server
        mp4.write_bytes(reply.read())
    floor = floor_at_niceness(mp4, server.render_niceness())
    duration = float(data["duration"])
    record = server.stage_records().get(video_id, {})
    return {"label": label, "size": f"{width}x{height}", "duration_s": duration, "frames": floor["frames"],
            "wall_s": wall, "rtf": wall / duration, "cpu_s": cpu, "peak_rss_mb": server.peak_rss_mb(),
            "floor_wall_s": floor["wall_s"], "floor_cpu_s": floor["cpu_s"],
            "floor_rtf": floor["wall_s"] / duration, "x_floor_wall": wall / floor["wall_s"],
            "x_floor_cpu": cpu / floor["cpu_s"], "stages": record.get("stages", {}), "job_s": record.get("job_s")}


def print_job(r: dict) -> None:
    n = max(1, r["frames"])
    print(f"\n{r['size']} {r['label']}: {r['duration_s']:.2f} s of video, {n} frames")
    print(f"  whole job   wall {r['wall_s']:6.2f} s  RTF {r['rtf']:.3f}   cpu {r['cpu_s']:6.2f} s   "
          f"peak RSS {r['peak_rss_mb']:.0f} MB")
    print(f"  encode floor wall {r['floor_wall_s']:6.2f} s  RTF {r['floor_rtf']:.3f}   cpu {r['floor_cpu_s']:6.2f} s")
    print(f"  job / floor  wall x{r['x_floor_wall']:.2f}   cpu x{r['x_floor_cpu']:.2f}")
    if r["stages"]:
        print(f"  {'stage':<14} {'wall s':>7} {'cpu s':>7} {'wall ms/f':>10} {'cpu ms/f':>9} {'calls':>6}")
        for stage in STAGES:
            if stage in r["stages"]:
                w, c, calls = r["stages"][stage]
                print(f"  {stage:<14} {w:7.2f} {c:7.2f} {1000 * w / n:10.2f} {1000 * c / n:9.2f} {int(calls):6d}")
        if r.get("job_s"):
            print(f"  {'(job in worker)':<14} {r['job_s']:7.2f}")


def concurrency(workers: int, script: str, width: int, height: int, root: Path, port: int) -> dict:
    server = Server(root / f"conc-{workers}", port, workers)
    try:
        server.wait(server.submit(width, height, QUICK_SCRIPT))  # warm: steady state, not the first video
        jobs = 2 * workers
        t0 = time.perf_counter()
        ids = [server.submit(width, height, script) for _ in range(jobs)]
        durations = [float(server.wait(i)["duration"]) for i in ids]
        wall = time.perf_counter() - t0
    finally:
        server.stop()
    return {"workers": workers, "jobs": jobs, "wall_s": wall, "video_s": sum(durations),
            "videos_per_hour": jobs / wall * 3600, "rtf_aggregate": wall / sum(durations)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="a ~6 s script, 720p only, concurrency 1 (a smoke run)")
    parser.add_argument("--concurrency", type=int, nargs="*", default=[1, 2], help="worker counts to measure")
    parser.add_argument("--sizes", nargs="*", default=["1280x720", "1920x1080"])
    parser.add_argument("--json", type=Path, help="also write the results here")
    args = parser.parse_args()
    script = QUICK_SCRIPT if args.quick else SCRIPT
    sizes = ["1280x720"] if args.quick else args.sizes
    results: dict = {"jobs": [], "concurrency": [], "load_avg_start": os.getloadavg()}
    with tempfile.TemporaryDirectory(prefix="tf-throughput-") as tmp:
        root = Path(tmp)
        for size in sizes:
            w, h = map(int, size.split("x"))
            server = Server(root / f"serve-{size}", free_port())
            print(f"serve {size}: API answered {server.ready_s:.2f} s after start")
            try:
                for label in ("first after start", "warm"):
                    r = one_job(server, w, h, script, label, root)
                    r["api_ready_s"] = server.ready_s
                    results["jobs"].append(r)
                    print_job(r)
            except Exception:
                print((server.data_dir / "serve.log").read_text()[-6000:], file=sys.stderr)
                raise
            finally:
                server.stop()
        for n in [1] if args.quick else args.concurrency:
            c = concurrency(n, script, 1280, 720, root, free_port())
            results["concurrency"].append(c)
            print(f"\n{n} worker(s): {c['jobs']} videos of 720p ({c['video_s']:.0f} s) in {c['wall_s']:.1f} s: "
                  f"{c['videos_per_hour']:.0f} videos/hour (aggregate RTF {c['rtf_aggregate']:.3f})")
    results["load_avg_end"] = os.getloadavg()
    print(f"\nload average at start {results['load_avg_start'][0]:.2f}, at end {results['load_avg_end'][0]:.2f} "
          "(wall figures are only comparable on a quiet machine; the x-floor ratios and CPU seconds travel better)")
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(results, indent=1))


if __name__ == "__main__":
    if len(sys.argv) == 4 and sys.argv[1] == "--serve-timed":
        sys.exit(serve_timed(Path(sys.argv[2]), int(sys.argv[3])))
    if len(sys.argv) == 3 and sys.argv[1] == "--floor":
        print(json.dumps(encode_floor(Path(sys.argv[2]))))
        sys.exit(0)
    main()

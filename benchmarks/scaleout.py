"""Wall time of one 10-scene video rendered by 1 vs 2 Celery worker processes on this machine, and the scaling
to expect on N machines (Amdahl: the join is serial, scenes spread over workers).

Needs PostgreSQL and Redis on 127.0.0.1 (`bash scripts/test-setup.sh`); starts its own SeaweedFS.
Usage: .venv/bin/python benchmarks/scaleout.py [--scenes 10] [--seconds 2.0] [--width 320 --height 240]
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests.helpers import body, silent_scene  # noqa: E402
from tests.scaleout.cluster import Cluster  # noqa: E402
from tests.scaleout.services import fresh_postgres_db, redis_url, seaweedfs  # noqa: E402
from tests.scaleout.test_cluster import PHOTO, _records, _wait_done  # noqa: E402


def run(root: Path, workers: int, request: dict, n_scenes: int) -> tuple[float, float]:
    """(wall seconds from generate to completed, summed scene render seconds) with `workers` processes."""
    with fresh_postgres_db() as pg, seaweedfs(root / "s3") as s3:
        cluster = Cluster(root, pg, redis_url(), s3)
        try:
            cluster.start_api()
            for n in range(workers):
                cluster.start_worker(f"w{n}")
            cluster.wait_workers()
            warm = cluster.generate(body(silent_scene(0.2, character=PHOTO)))  # first-render model loading
            _wait_done(cluster, warm)
            if workers > 1:
                _wait_done(cluster, cluster.generate(body(*[silent_scene(0.2, character=PHOTO)] * workers)))
            started = time.perf_counter()
            video_id = cluster.generate(request)
            data, _ = _wait_done(cluster, video_id, timeout=1800)
            wall = time.perf_counter() - started
            assert data["status"] == "completed", data
            scene_seconds = sum(r["render_seconds"] for r in _records(cluster, video_id, n_scenes))
            return wall, scene_seconds
        finally:
            cluster.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scenes", type=int, default=10)
    parser.add_argument("--seconds", type=float, default=2.0, help="seconds of video per scene")
    parser.add_argument("--width", type=int, default=320)
    parser.add_argument("--height", type=int, default=240)
    args = parser.parse_args()
    request = body(*[silent_scene(args.seconds, character=PHOTO) for _ in range(args.scenes)],
                   width=args.width, height=args.height)
    video_seconds = args.scenes * args.seconds
    results = {}
    for workers in (1, 2):
        with tempfile.TemporaryDirectory(prefix=f"tf-bench-{workers}-") as tmp:
            results[workers] = run(Path(tmp), workers, request, args.scenes)
    print(f"\n{args.scenes} scenes x {args.seconds:.1f} s at {args.width}x{args.height} ({video_seconds:.0f} s of "
          f"video), this machine: {os.cpu_count()} cores")
    for workers, (wall, scene_s) in results.items():
        print(f"  {workers} worker process(es): {wall:6.1f} s wall  (RTF {wall / video_seconds:.2f}, "
              f"scene compute {scene_s:.1f} s)")
    wall1, scenes1 = results[1]
    print(f"  speed-up 1 -> 2 workers: {wall1 / results[2][0]:.2f}x")
    serial = max(0.0, wall1 - scenes1)  # join, publish, queue hops: does not spread
    print("expected on N machines with 1 worker each (Amdahl from the 1-worker run: "
          f"{serial:.1f} s serial + {scenes1:.1f} s of scenes spread over min(N, scenes)):")
    for n in (1, 2, 4, 8, args.scenes):
        est = serial + scenes1 / min(n, args.scenes)
        print(f"  N={n:2d}: ~{est:6.1f} s  ({wall1 / est:.2f}x)")


if __name__ == "__main__":
    main()

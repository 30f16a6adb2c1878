"""Bounded, seeded schemathesis run over the whole OpenAPI document of a live, API-only `talkframe serve`.

Checks: no server error (5xx) and responses that conform to their declared schema. Loopback only; the number of
examples per operation and the run time are bounded, so it stops by itself.

    .venv/bin/python benchmarks/fuzz.py                   # 25 examples per operation, seed 1
    .venv/bin/python benchmarks/fuzz.py --examples 50 --seed 7
    make fuzz

Exit status 0 when schemathesis found nothing; its summary is printed either way.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import httpx

CHECKS = "not_a_server_error,response_schema_conformance"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--examples", type=int, default=25, help="test cases per operation")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--max-time", type=int, default=240,
                        help="time budget of the whole run (s); the fuzzing phase repeats until it is spent")
    parser.add_argument("--phases", default="examples,coverage,fuzzing")
    parser.add_argument("--include-path-regex", default=None, help="only operations whose path matches")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        port = _free_port()
        env = {**os.environ, "TALKFRAME_DATA_DIR": f"{tmp}/data", "TALKFRAME_PORT": str(port),
               "TALKFRAME_WORKERS": "0", "TALKFRAME_PUBLIC_BASE_URL": f"http://127.0.0.1:{port}"}
        log = Path(tmp) / "serve.log"
        with open(log, "w") as out:
            proc = subprocess.Popen([sys.executable, "-m", "talkframe.cli", "serve"], env=env,
                                    stdout=subprocess.PIPE, stderr=out, text=True)
            try:
                key = _first_key(proc)
                threading.Thread(target=lambda: [None for _ in proc.stdout], daemon=True).start()  # type: ignore[union-attr]
                _wait_up(port)
                cmd = [str(Path(sys.executable).with_name("schemathesis")), "run",
                       f"http://127.0.0.1:{port}/openapi.json", "--checks", CHECKS, "--max-examples",
                       str(args.examples), "--seed", str(args.seed), "--generation-deterministic",
                       "-H", f"X-Api-Key: {key}", "--request-timeout", "30", "--max-time", str(args.max_time),
                       "--phases", args.phases, "--workers", "1",
                       "--suppress-health-check", "all"]
                if args.include_path_regex:
                    cmd += ["--include-path-regex", args.include_path_regex]
                started = time.monotonic()
                code = subprocess.call(cmd)
                print(f"schemathesis exit {code} in {time.monotonic() - started:.0f} s")
            finally:
                proc.terminate()
                proc.wait(30)
        errors = [line for line in log.read_text().splitlines() if "unexpected error" in line]
        print(f"server log: {len(errors)} unexpected error(s)")
        for line in errors[:20]:
            print("  " + line)
        return code or (1 if errors else 0)


def _free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _first_key(proc: subprocess.Popen) -> str:
    while True:
        line = proc.stdout.readline() if proc.stdout else ""
        if not line:
            raise SystemExit("server exited before printing its first key")
        if line.strip().startswith("tf_"):
            return line.strip()


def _wait_up(port: int) -> None:
    deadline = time.time() + 60
    while time.time() < deadline:
        try:
            if httpx.get(f"http://127.0.0.1:{port}/health", timeout=1).status_code == 200:
                return
        except httpx.HTTPError:
            time.sleep(0.2)
    raise SystemExit("server did not start")


if __name__ == "__main__":
    sys.exit(main())

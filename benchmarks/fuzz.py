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
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from load import free_port, start_server  # benchmarks/ is on sys.path when a script there runs

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
        data_dir, port = Path(tmp) / "data", free_port()
        data_dir.mkdir()
        proc, key = start_server(data_dir, port, None, {"TALKFRAME_WORKERS": "0"})
        try:
            cmd = [str(Path(sys.executable).with_name("schemathesis")), "run",
                   f"http://127.0.0.1:{port}/openapi.json", "--checks", CHECKS, "--max-examples",
                   str(args.examples), "--seed", str(args.seed), "--generation-deterministic",
                   "-H", f"X-Api-Key: {key}", "--request-timeout", "30", "--max-time", str(args.max_time),
                   "--phases", args.phases, "--workers", "1", "--suppress-health-check", "all"]
            if args.include_path_regex:
                cmd += ["--include-path-regex", args.include_path_regex]
            started = time.monotonic()
            code = subprocess.call(cmd)
            print(f"schemathesis exit {code} in {time.monotonic() - started:.0f} s")
        finally:
            proc.terminate()
            proc.wait(30)
        errors = [line for line in (Path(tmp) / "serve.log").read_text().splitlines() if "unexpected error" in line]
        print(f"server log: {len(errors)} unexpected error(s)")
        for line in errors[:20]:
            print("  " + line)
        return code or (1 if errors else 0)

if __name__ == "__main__":
    sys.exit(main())

"""`talkframe render` as a user runs it: a real process, its exit status and what it prints."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path


def test_an_invalid_request_exits_2_with_heygens_message_and_no_crash(tmp_path: Path) -> None:
    """The voice starts loading on a thread before the request is validated; an invalid request used to return
    while that load ran in C++, and the process aborted ("terminate called", exit 134) after printing the error."""
    req = {"video_inputs": [{"character": {"type": "avatar", "avatar_id": "tf_astronaut_avatar"},
                             "voice": {"type": "text", "input_text": "word " * 1200}}],
           "dimension": {"width": 1280, "height": 720}}
    path = tmp_path / "req.json"
    path.write_text(json.dumps(req))
    out = subprocess.run([sys.executable, "-m", "talkframe.cli", "render", str(path), "-o", str(tmp_path / "o.mp4")],
                         capture_output=True, text=True, timeout=120)
    assert out.returncode == 2, (out.returncode, out.stderr[-2000:])
    assert "input_text must be at most 5000 characters" in out.stderr
    assert "terminate called" not in out.stderr
    assert not (tmp_path / "o.mp4").exists()

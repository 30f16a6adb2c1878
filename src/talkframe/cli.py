"""`talkframe` command line: serve the API, render a request offline, manage API keys."""

from __future__ import annotations

import argparse
import json
import logging
import shutil
import sys
import tempfile
import threading
import time
from pathlib import Path

from talkframe.core.errors import ApiError, RenderError


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="talkframe", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)

    serve = sub.add_parser("serve", help="run the HeyGen-compatible API with its embedded render workers")
    serve.add_argument("--host")
    serve.add_argument("--port", type=int)
    serve.add_argument("--workers", type=int, help="embedded render workers (0 = API only)")

    worker = sub.add_parser("worker", help="run a Celery render worker (scale-out; needs TALKFRAME_BROKER_URL)")
    worker.add_argument("--concurrency", type=int, default=1, help="scenes rendered at once (about 1 per core)")
    worker.add_argument("--hostname", help="Celery node name, e.g. render1@%%h (default celery@<host>)")
    worker.add_argument("--metrics-port", type=int, help="serve this worker's Prometheus metrics on this port")
    worker.add_argument("--loglevel", default="INFO")

    render = sub.add_parser("render", help="render a generate-request JSON to an MP4, offline")
    render.add_argument("request", type=Path)
    render.add_argument("-o", "--output", type=Path, default=Path("out/video.mp4"))

    keys = sub.add_parser("keys", help="manage API keys")
    keys_sub = keys.add_subparsers(dest="keys_command", required=True)
    create = keys_sub.add_parser("create", help="create a key and print it (shown once)")
    create.add_argument("--name", default="")
    create.add_argument("--account", help="add the key to this existing account id (shares its videos)")
    keys_sub.add_parser("list", help="list keys (never the keys themselves)")
    revoke = keys_sub.add_parser("revoke", help="revoke a key by its id")
    revoke.add_argument("key_id")

    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    if args.command == "serve":
        return _serve(args)
    if args.command == "render":
        return _render(args)
    if args.command == "worker":
        from talkframe.jobs.worker import run_worker

        return run_worker(args.concurrency, args.hostname, args.loglevel, args.metrics_port)
    return _keys(args)


def _serve(args: argparse.Namespace) -> int:
    from talkframe.db.keys import any_active_key, create_key
    from talkframe.db.session import session_scope
    from talkframe.jobs.render_process import RenderProcess
    from talkframe.services import build_services

    services = build_services()
    settings = services.settings
    with session_scope(services.db_url) as session:
        if not any_active_key(session):
            _row, plain = create_key(session, name="first key")
            print(f"Created the first API key (shown once, keep it):\n  {plain}", flush=True)
    workers = settings.workers if args.workers is None else args.workers
    runner = None
    if not settings.broker_url and workers > 0 and settings.render_process:
        # renders in a child process, so they never hold the API's GIL; started now, with the database migrated,
        # so it imports and warms up on the other core while this process imports the API
        runner = RenderProcess(settings, workers)
        runner.start()

    import uvicorn

    from talkframe.api.app import create_app
    from talkframe.jobs.runner import EmbeddedRunner
    from talkframe.webhooks.delivery import build_dispatcher

    dispatcher = build_dispatcher(services)
    if settings.broker_url:  # scale-out: Celery workers render; this process only enqueues
        from talkframe.jobs.enqueue import CeleryEnqueuer

        runner = CeleryEnqueuer(services, settings.poll_interval_seconds)
    elif workers > 0 and runner is None:
        runner = EmbeddedRunner(services, workers, settings.poll_interval_seconds,
                                on_finished=lambda _video_id: dispatcher.wake())
    app = create_app(services, runner, dispatcher)
    if isinstance(runner, RenderProcess):  # the child's writes are not seen by this process's board listeners
        board = app.state.status_board

        def finished(video_id: str) -> None:
            board.forget(video_id)
            dispatcher.wake()

        runner.on_finished = finished
    uvicorn.run(app, host=args.host or settings.host, port=args.port or settings.port, log_level="info",
                access_log=settings.access_log)
    return 0


class _OfflineIds:
    """Ids that exist without a database: the built-in avatars, photos and voices."""

    def avatar_exists(self, avatar_id: str) -> bool:
        from talkframe.avatar.catalog import find_avatar

        return find_avatar(avatar_id) is not None

    def talking_photo_exists(self, photo_id: str) -> bool:
        from talkframe.avatar.catalog import BUILTIN_PHOTOS

        return photo_id in BUILTIN_PHOTOS

    def voice_exists(self, voice_id: str) -> bool:
        from talkframe.voice.catalog import voice_exists

        return voice_exists(voice_id)

    def asset_exists(self, asset_id: str) -> bool:
        return False

    def folder_exists(self, folder_id: str) -> bool:
        return True  # folders only organise videos on a server; offline renders ignore them

    def url_refusal(self, url: str) -> str | None:
        return None  # offline renders read local paths and file:// URLs named by the person running them


def _prefetch(raw: dict) -> threading.Thread | None:
    """Load the Piper voice on a thread while this process imports the pipeline (its session init runs in C++, so
    the process must not exit while it runs: an exit in the middle aborted with "terminate called")."""
    scenes = raw.get("video_inputs") or []
    wants_piper = any(isinstance(s, dict) and isinstance(s.get("voice"), dict) and s["voice"].get("type") == "text"
                      and "piper" in str(s["voice"].get("voice_id") or "piper") for s in scenes)
    if not wants_piper:
        return None

    def load() -> None:
        try:
            from talkframe.voice.engines.piper import preload

            preload()
        except Exception:  # noqa: BLE001 - the render loads (and reports) it itself
            pass

    thread = threading.Thread(target=load, name="talkframe-prefetch", daemon=True)
    thread.start()
    return thread


def _render(args: argparse.Namespace) -> int:
    raw = json.loads(args.request.read_text())
    prefetch = _prefetch(raw)
    try:
        return _render_request(raw, args)
    finally:
        if prefetch is not None:  # an invalid request returns at once; let the voice finish loading first
            prefetch.join()


def _render_request(raw: dict, args: argparse.Namespace) -> int:
    from tqdm import tqdm

    from talkframe.core.config import get_settings
    from talkframe.render.pipeline import render_video
    from talkframe.request import GenerateRequest
    from talkframe.request.validation import validate_generate
    from talkframe.resolve import LocalResolver

    req = GenerateRequest.model_validate(raw)
    try:
        validate_generate(req, _OfflineIds())
    except ApiError as err:
        print(f"error: {err.message}", file=sys.stderr)
        for p in err.problems:
            print(f"  {p.field}: {p.message}", file=sys.stderr)
        return 2
    started = time.perf_counter()
    with tqdm(total=100, unit="%", desc="rendering", bar_format="{l_bar}{bar}| {n:.0f}%") as bar:
        def progress(fraction: float) -> None:
            bar.update(fraction * 100 - bar.n)

        with tempfile.TemporaryDirectory() as tmp:
            try:
                settings = get_settings()
                outputs = render_video(req, LocalResolver(settings.cache_dir), Path(tmp), progress,
                                       settings.scene_processes)
            except RenderError as err:
                print(f"error {err.code}: {err.message}", file=sys.stderr)
                return 1
            args.output.parent.mkdir(parents=True, exist_ok=True)
            shutil.move(outputs.video, args.output)
            shutil.move(outputs.thumbnail, args.output.with_suffix(".jpg"))
            shutil.move(outputs.gif, args.output.with_suffix(".gif"))
    wall = time.perf_counter() - started
    print(f"{args.output.resolve()}  ({outputs.duration:.2f} s of video in {wall:.1f} s, "
          f"RTF {wall / outputs.duration:.2f})")
    return 0


def _keys(args: argparse.Namespace) -> int:
    from talkframe.db.keys import create_key, list_keys, revoke_key
    from talkframe.db.session import session_scope
    from talkframe.services import build_services

    services = build_services()
    with session_scope(services.db_url) as session:
        if args.keys_command == "create":
            row, plain = create_key(session, name=args.name, account_id=args.account)
            print(plain)
            print(f"key id {row.id}, account {row.account_id}", file=sys.stderr)
        elif args.keys_command == "list":
            for row in list_keys(session):
                state = "revoked" if row.revoked_at else "active"
                print(f"{row.id}  {row.prefix}...  account={row.account_id}  {state}  {row.name}")
        elif not revoke_key(session, args.key_id):
            print(f"no active key {args.key_id}", file=sys.stderr)
            return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""One video avatar's training job: the uploaded clip -> a model in storage -> `train_status` ready or failed.

The model folder (`model.json`, idle loop, mouth library) is stored as one `model.tar`, so any worker, on any
storage, can fetch and unpack it to render (`resolve.account.AccountResolver.video_avatar`).
"""

from __future__ import annotations

import logging
import shutil
from pathlib import Path

import av
from PIL import Image

from talkframe.db import video_avatars as repo
from talkframe.db.models import VideoAvatar
from talkframe.db.session import session_scope
from talkframe.services import Services
from talkframe.video_avatar.archive import pack

log = logging.getLogger(__name__)


class Cancelled(Exception):
    """The row stopped being ours mid-training (deleted, or re-queued by another process)."""


def run_training(services: Services, row: VideoAvatar, worker_id: str) -> None:
    from talkframe.video_avatar import TrainingError, train_video_avatar

    work = services.settings.data_dir / "work" / f"avatar-{row.id}"
    last = {"progress": 1}

    def progress(fraction: float) -> None:
        pct = max(1, min(99, int(fraction * 100)))
        if pct != last["progress"]:
            last["progress"] = pct
            with session_scope(services.db_url) as session:
                if not repo.heartbeat(session, row.id, worker_id, pct):
                    raise Cancelled(row.id)

    try:
        clip = services.storage.get_file(row.source_key, work / "source" / Path(row.source_key).name)
        settings = services.settings
        train_video_avatar(clip, work / "model", progress, transcript=row.transcript,
                           min_seconds=settings.video_avatar_min_seconds, max_seconds=settings.video_avatar_max_seconds)
        prefix = f"video_avatars/{row.id}"
        model_key = services.storage.put_file(f"{prefix}/model.tar", pack(work / "model", work / "model.tar"))
        preview_key = services.storage.put_file(f"{prefix}/preview.png", first_frame(clip, work / "preview.png"))
        with session_scope(services.db_url) as session:
            repo.finish(session, row.id, worker_id, status="ready", progress=100, model_key=model_key,
                        preview_key=preview_key, error_code=None, error_message=None)
    except Cancelled:
        log.info("video avatar %s was deleted or re-queued during training", row.id)
    except TrainingError as exc:
        with session_scope(services.db_url) as session:
            repo.finish(session, row.id, worker_id, status="failed", error_code=exc.code, error_message=str(exc))
    except Exception as exc:  # noqa: BLE001 - a bug must still end the training failed, not stuck
        log.exception("video avatar %s: training crashed", row.id)
        with session_scope(services.db_url) as session:
            repo.finish(session, row.id, worker_id, status="failed", error_code="internal_error",
                        error_message=f"Internal error while training: {type(exc).__name__}: {exc}")
    finally:
        shutil.rmtree(work, ignore_errors=True)


def first_frame(clip: Path, out: Path) -> Path:
    with av.open(str(clip)) as c:
        frame = next(c.decode(video=0)).to_ndarray(format="rgb24")
    Image.fromarray(frame).save(out)
    return out

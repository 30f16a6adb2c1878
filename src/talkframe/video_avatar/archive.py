"""A trained model's folder as one tar file: how storage keeps it, so any worker can fetch and render it."""

from __future__ import annotations

import shutil
import tarfile
from pathlib import Path


def pack(model_dir: Path, tar_path: Path) -> Path:
    """The model folder as one tar file (sorted, so the same model packs the same way)."""
    with tarfile.open(tar_path, "w") as tar:
        for f in sorted(model_dir.iterdir()):
            tar.add(f, arcname=f.name)
    return tar_path


def unpack(tar_path: Path, model_dir: Path) -> Path:
    """Unpack a stored model once (atomically: a half-unpacked folder is never used)."""
    if (model_dir / "model.json").is_file():
        return model_dir
    tmp = model_dir.with_name(model_dir.name + ".part")
    shutil.rmtree(tmp, ignore_errors=True)
    tmp.mkdir(parents=True)
    with tarfile.open(tar_path) as tar:
        tar.extractall(tmp, filter="data")
    tmp.replace(model_dir)
    return model_dir

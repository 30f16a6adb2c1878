"""Store what an admitted v3 request brought along: base64 files become assets, images to animate become talking
photos (face checked, as at `POST /v1/talking_photo`). Runs after the concurrency limit, so a 429 stores nothing."""

from __future__ import annotations

import tempfile
from pathlib import Path

from sqlalchemy.orm import Session

from talkframe.api.v3.errors import V3Error, invalid
from talkframe.api.v3.video_request import Ref, Translated, dimension
from talkframe.core.errors import ApiError
from talkframe.core.ids import new_id
from talkframe.db import assets, talking_photos
from talkframe.db.models import Asset
from talkframe.media.fetch import FetchError, fetch_to_file
from talkframe.media.photo import photo_size
from talkframe.services import Services

CONTENT_TYPES = {"png": "image/png", "jpg": "image/jpeg", "mp4": "video/mp4", "mov": "video/quicktime",
                 "webm": "video/webm", "mp3": "audio/mpeg", "wav": "audio/wav", "pdf": "application/pdf",
                 "srt": "application/x-subrip"}
FILE_TYPES = {"png": "image", "jpg": "image", "mp4": "video", "mov": "video", "webm": "video", "mp3": "audio",
              "wav": "audio"}


def store_asset(session: Session, services: Services, account_id: str, path: Path, ext: str, size: int,
                name: str | None = None) -> Asset:
    asset_id = new_id()
    key = services.storage.put_file(f"assets/{asset_id}/original.{ext}", path)
    return assets.create(session, asset_id, account_id, name=name or f"{asset_id}.{ext}",
                         file_type=FILE_TYPES.get(ext, "file"),
                         content_type=CONTENT_TYPES.get(ext, "application/octet-stream"), storage_key=key, size=size)


def _local_copy(session: Session, services: Services, ref: Ref, work: Path) -> Path:
    if ref.kind == "base64":
        path = work / f"upload.{ref.ext}"
        path.write_bytes(ref.data or b"")
        return path
    if ref.kind == "asset_id":
        asset = assets.get(session, ref.value)
        assert asset is not None  # checked by the translation
        return services.storage.get_file(asset.storage_key, work / Path(asset.storage_key).name)
    try:
        return fetch_to_file(ref.value, "image", work, services.fetch_policy())
    except FetchError as exc:
        raise V3Error(400, "download_failed", f"{exc.message} ({ref.value})", f"{ref.param}.url") from exc


def _photo(session: Session, services: Services, account_id: str, ref: Ref, work: Path,
           name: str | None = None) -> tuple[str, tuple]:
    from talkframe.api.routes.talking_photos import _analyse

    path = _local_copy(session, services, ref, work)
    try:
        size = photo_size(path)
        faces, _note = _analyse(path)
    except ApiError as exc:
        raise V3Error(400, "invalid_parameter", exc.message, ref.param) from exc
    except OSError as exc:
        raise invalid(ref.param, "The image could not be decoded") from exc
    photo_id = new_id()
    key = services.storage.put_file(f"talking_photos/{photo_id}/original{path.suffix}", path)
    talking_photos.create(session, photo_id, account_id, name or f"v3 image {photo_id[:8]}", key, faces)
    return photo_id, size


def store_photo(session: Session, services: Services, account_id: str, ref: Ref, name: str | None) -> str:
    """An image AssetRef -> a talking photo (face checked); its id is a `photo_avatar` look id."""
    with tempfile.TemporaryDirectory(dir=_tmp(services)) as tmp:
        return _photo(session, services, account_id, ref, Path(tmp), name)[0]


def store_clip(session: Session, services: Services, ref: Ref, prefix: str) -> str:
    """A video AssetRef -> a storage key under `prefix` (asset ids reuse the asset's own file)."""
    if ref.kind == "asset_id":
        asset = assets.get(session, ref.value)
        assert asset is not None
        return asset.storage_key
    with tempfile.TemporaryDirectory(dir=_tmp(services)) as tmp:
        work = Path(tmp)
        if ref.kind == "base64":
            path = work / f"clip.{ref.ext}"
            path.write_bytes(ref.data or b"")
        else:
            try:
                path = fetch_to_file(ref.value, "video", work, services.fetch_policy())
            except FetchError as exc:
                raise V3Error(400, "download_failed", f"{exc.message} ({ref.value})", f"{ref.param}.url") from exc
        return services.storage.put_file(f"{prefix}.{path.suffix.lstrip('.')}", path)


def materialize(session: Session, services: Services, account_id: str, t: Translated) -> dict:
    """The final GenerateRequest JSON: pending photos and files stored and their ids filled in."""
    request = t.request
    scenes = request["video_inputs"]
    first_image_size = None
    sizes: dict[int, tuple[int, int]] = {}
    with tempfile.TemporaryDirectory(dir=_tmp(services)) as tmp:
        work = Path(tmp)
        for index, ref in t.pending.photos:
            photo_id, size = _photo(session, services, account_id, ref, work)
            scenes[index]["character"]["talking_photo_id"] = photo_id
            sizes[index] = size
            first_image_size = first_image_size or size
        for index, slot, ref in t.pending.files:
            path = work / f"file-{index}.{ref.ext}"
            path.write_bytes(ref.data or b"")
            asset = store_asset(session, services, account_id, path, ref.ext or "bin", len(ref.data or b""))
            bg = scenes[index][slot]
            bg["image_asset_id" if asset.file_type == "image" else "video_asset_id"] = asset.id
    if t.pending.auto_aspect and first_image_size:
        w, h = first_image_size
        width, height = dimension(t.short_side, (w, h))
        request["dimension"] = {"width": width, "height": height}
    cw, ch = request["dimension"]["width"], request["dimension"]["height"]
    for index, size in sizes.items():
        if index in t.pending.cover:  # scale 1.0 fits the image inside the canvas; cover fills it
            fits = (cw / size[0], ch / size[1])
            scenes[index]["character"]["scale"] = max(fits) / min(fits)
    return request


def _tmp(services: Services) -> Path:
    path = services.settings.data_dir / "tmp"
    path.mkdir(parents=True, exist_ok=True)
    return path

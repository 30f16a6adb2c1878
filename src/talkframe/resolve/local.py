"""The `Resolver` for rendering without a server (CLI, previews, benchmarks): built-in photos, local files."""

from __future__ import annotations

from pathlib import Path

from talkframe.avatar.catalog import builtin_photo_path
from talkframe.core.errors import FILE_CORRUPTED, INVALID_PARAMETER, RenderError


class LocalResolver:
    """Ids and URLs named in `files` map to those files; other URLs may be local paths or `file://` URLs."""

    def __init__(self, cache_dir: Path, files: dict[str, Path] | None = None) -> None:
        self.cache_dir = cache_dir
        self.files = files or {}

    def talking_photo(self, photo_id: str) -> Path:
        if photo_id in self.files:
            return self.files[photo_id]
        try:
            return builtin_photo_path(photo_id, self.cache_dir)
        except KeyError as exc:
            raise RenderError(INVALID_PARAMETER, f"Talking photo {photo_id} needs the server") from exc

    def asset(self, asset_id: str) -> Path:
        if asset_id in self.files:
            return self.files[asset_id]
        raise RenderError(INVALID_PARAMETER, f"Asset ids need the server; use a local path in `url`: {asset_id}")

    def url(self, url: str, kind: str) -> Path:
        if url in self.files:
            return self.files[url]
        path = Path(url.removeprefix("file://"))
        if not path.is_file():
            raise RenderError(FILE_CORRUPTED, f"The {kind} file {url} does not exist")
        return path

    def video_avatar(self, avatar_id: str) -> Path | None:
        return None  # trained avatars live on a server

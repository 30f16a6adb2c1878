"""The server's `Resolver`: a request's ids and URLs -> local files for one account (rows, storage, safe fetch)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from talkframe.avatar.catalog import BUILTIN_PHOTOS, builtin_photo_path
from talkframe.core.errors import INVALID_PARAMETER, RenderError
from talkframe.db.models import Asset, TalkingPhoto, VideoAvatar
from talkframe.db.owned import get_owned
from talkframe.db.session import session_scope
from talkframe.media.fetch import fetch_to_file
from talkframe.services import Services
from talkframe.video_avatar.archive import unpack


@dataclass
class AccountResolver:
    services: Services
    account_id: str
    work_dir: Path

    def talking_photo(self, photo_id: str) -> Path:
        if photo_id in BUILTIN_PHOTOS:
            return builtin_photo_path(photo_id, self.services.settings.cache_dir)
        with session_scope(self.services.db_url) as session:
            row = get_owned(session, TalkingPhoto, self.account_id, photo_id)
            if row is None:
                raise RenderError(INVALID_PARAMETER, f"Talking photo {photo_id} not found")
            return self.services.storage.path(row.image_key)

    def video_avatar(self, avatar_id: str) -> Path | None:
        with session_scope(self.services.db_url) as session:
            row = get_owned(session, VideoAvatar, self.account_id, avatar_id)
            if row is None:
                return None
            if row.status != "ready" or not row.model_key:
                raise RenderError(INVALID_PARAMETER, f"Avatar {avatar_id} is not trained yet ({row.status})")
            model_key = row.model_key
        cache = self.services.settings.cache_dir / "video_avatars" / avatar_id
        if not (cache / "model.json").is_file():
            tar = self.services.storage.get_file(model_key, self.work_dir / f"{avatar_id}.tar")
            unpack(tar, cache)
        return cache

    def asset(self, asset_id: str) -> Path:
        with session_scope(self.services.db_url) as session:
            row = get_owned(session, Asset, self.account_id, asset_id)
            if row is None:
                raise RenderError(INVALID_PARAMETER, f"Asset {asset_id} not found (it may have been deleted)")
            return self.services.storage.path(row.storage_key)

    def url(self, url: str, kind: str) -> Path:
        return fetch_to_file(url, kind, self.work_dir, self.services.fetch_policy())

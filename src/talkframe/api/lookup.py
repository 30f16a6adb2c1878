"""Which ids exist for the calling account (used by request validation)."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.orm import Session

from talkframe.avatar.catalog import BUILTIN_PHOTOS, find_avatar
from talkframe.db.models import Asset, Folder, TalkingPhoto, VideoAvatar
from talkframe.media.fetch import FetchPolicy, refusal_at_submit


@dataclass
class AccountIds:
    session: Session
    account_id: str
    fetch_policy: FetchPolicy

    def url_refusal(self, url: str) -> str | None:
        return refusal_at_submit(url, self.fetch_policy)

    def avatar_exists(self, avatar_id: str) -> bool:
        if find_avatar(avatar_id) is not None:
            return True
        row = self.session.get(VideoAvatar, avatar_id)
        return row is not None and row.account_id == self.account_id and row.status == "ready"

    def talking_photo_exists(self, photo_id: str) -> bool:
        if photo_id in BUILTIN_PHOTOS:
            return True
        row = self.session.get(TalkingPhoto, photo_id)
        return row is not None and row.account_id == self.account_id

    def voice_exists(self, voice_id: str) -> bool:
        from talkframe.voice.catalog import voice_exists

        return voice_exists(voice_id)

    def asset_exists(self, asset_id: str) -> bool:
        row = self.session.get(Asset, asset_id)
        return row is not None and row.account_id == self.account_id

    def folder_exists(self, folder_id: str) -> bool:
        row = self.session.get(Folder, folder_id)
        return row is not None and row.account_id == self.account_id

"""Which ids exist for the calling account: asked by the v2 request validation and the v3 translation alike."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.orm import Session

from talkframe.avatar.catalog import BUILTIN_PHOTOS, find_avatar
from talkframe.db.models import Asset, Folder, TalkingPhoto, VideoAvatar
from talkframe.db.owned import get_owned
from talkframe.media.fetch import FetchPolicy, refusal_at_submit


@dataclass
class AccountIds:
    session: Session
    account_id: str
    fetch_policy: FetchPolicy | None = None  # needed for `url_refusal` only

    def url_refusal(self, url: str) -> str | None:
        assert self.fetch_policy is not None
        return refusal_at_submit(url, self.fetch_policy)

    def _ready_video_avatar(self, avatar_id: str) -> bool:
        row = get_owned(self.session, VideoAvatar, self.account_id, avatar_id)
        return row is not None and row.status == "ready"

    def avatar_exists(self, avatar_id: str) -> bool:
        return find_avatar(avatar_id) is not None or self._ready_video_avatar(avatar_id)

    def talking_photo_exists(self, photo_id: str) -> bool:
        return photo_id in BUILTIN_PHOTOS or get_owned(self.session, TalkingPhoto, self.account_id,
                                                       photo_id) is not None

    def avatar_kind(self, look_id: str) -> str | None:
        """What a v3 look id animates: "avatar", "talking_photo", or None when the account has no such look."""
        if find_avatar(look_id) is not None:
            return "avatar"
        if self.talking_photo_exists(look_id):
            return "talking_photo"
        return "avatar" if self._ready_video_avatar(look_id) else None

    def voice_exists(self, voice_id: str) -> bool:
        from talkframe.voice.catalog import voice_exists

        return voice_exists(voice_id)

    def asset_type(self, asset_id: str) -> str | None:
        row = get_owned(self.session, Asset, self.account_id, asset_id)
        return row.file_type if row is not None else None

    def asset_exists(self, asset_id: str) -> bool:
        return self.asset_type(asset_id) is not None

    def folder_exists(self, folder_id: str) -> bool:
        return get_owned(self.session, Folder, self.account_id, folder_id) is not None

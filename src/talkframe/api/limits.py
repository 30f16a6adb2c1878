"""Per-account limits: a quota of video seconds (402, HeyGen's `insufficient_credit`) and a cap on videos in
flight (429 with `Retry-After`). Both are off by default."""

from __future__ import annotations

from sqlalchemy.orm import Session

from talkframe.core.config import Settings
from talkframe.core.errors import QUOTA_EXCEEDED, ApiError
from talkframe.db import videos

RETRY_AFTER_SECONDS = 30


def remaining_seconds(session: Session, account_id: str, settings: Settings) -> int | None:
    if settings.quota_seconds is None:
        return None
    return max(0, int(settings.quota_seconds - videos.used_seconds(session, account_id)))


def check_limits(session: Session, account_id: str, settings: Settings) -> None:
    remaining = remaining_seconds(session, account_id, settings)
    if remaining is not None and remaining <= 0:
        raise ApiError(402, "insufficient_credit", f"Your quota of {settings.quota_seconds} seconds of video is "
                       "used up; ask the administrator to raise TALKFRAME_QUOTA_SECONDS", v1_code=QUOTA_EXCEEDED)
    if settings.max_concurrent_videos > 0:
        in_flight = videos.in_flight(session, account_id)
        if in_flight >= settings.max_concurrent_videos:
            raise ApiError(429, "rate_limit_exceeded", f"{in_flight} videos are already queued or rendering; the "
                           f"limit is {settings.max_concurrent_videos}. Retry later.", v1_code=400599,
                           headers={"Retry-After": str(RETRY_AFTER_SECONDS)})

"""Public share links: `/share/{video_id}?t=<HMAC>` pages that play a video without an API key."""

from __future__ import annotations

import hashlib
import hmac

from talkframe.services import Services


def share_token(services: Services, video_id: str) -> str:
    return hmac.new(services.secret, f"share\n{video_id}".encode(), hashlib.sha256).hexdigest()[:32]


def share_url(services: Services, video_id: str) -> str:
    return f"{services.settings.public_base_url.rstrip('/')}/share/{video_id}?t={share_token(services, video_id)}"


def valid_share(services: Services, video_id: str, token: str) -> bool:
    return hmac.compare_digest(share_token(services, video_id).encode(), token.encode("utf-8", "surrogatepass"))

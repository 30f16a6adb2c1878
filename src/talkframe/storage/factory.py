"""Pick the storage the settings name: local files (default) or an S3 bucket."""

from __future__ import annotations

from talkframe.core.config import Settings
from talkframe.storage.base import Storage
from talkframe.storage.local import LocalStorage


def build_storage(settings: Settings, secret: bytes) -> Storage:
    """The configured store, ready to use (an S3 bucket is created on first start when missing)."""
    if settings.storage == "s3":
        from talkframe.storage.s3 import S3Storage

        s3 = S3Storage(settings.s3_bucket, settings.cache_dir / "s3", endpoint_url=settings.s3_endpoint_url,
                       public_endpoint_url=settings.s3_public_endpoint_url, region=settings.s3_region,
                       access_key=settings.s3_access_key, secret_key=settings.s3_secret_key)
        s3.ensure_bucket()
        return s3
    return LocalStorage(settings.media_dir, settings.public_base_url, secret)

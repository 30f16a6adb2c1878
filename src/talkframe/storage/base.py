"""The one storage interface every edge uses, so local files and S3 are a configuration switch, not a code path."""

from __future__ import annotations

from pathlib import Path
from typing import Protocol, runtime_checkable


@runtime_checkable
class Storage(Protocol):
    """Objects addressed by slash-separated keys (`videos/{id}/video.mp4`); writes replace atomically."""

    def put_file(self, key: str, source: Path) -> str:
        """Store the file at `source` under `key`; returns `key`."""
        ...

    def put_bytes(self, key: str, data: bytes) -> str:
        """Store `data` under `key`; returns `key`."""
        ...

    def get_file(self, key: str, dest: Path) -> Path:
        """Copy the object to `dest` (parents created); raises FileNotFoundError when it is missing."""
        ...

    def exists(self, key: str) -> bool:
        ...

    def delete(self, key: str) -> None:
        """Delete one object; a missing one is not an error."""
        ...

    def delete_prefix(self, prefix: str) -> None:
        """Delete every object under `prefix` (a "folder" such as `videos/{id}`)."""
        ...

    def path(self, key: str) -> Path:
        """A local file with the object's content (the file itself, or a cached copy for remote stores)."""
        ...

    def url(self, key: str, ttl_seconds: int) -> str:
        """An absolute URL that downloads the object without an API key until it expires."""
        ...

"""Local file storage: objects under one directory, addressed by slash-separated keys."""

from __future__ import annotations

import shutil
from pathlib import Path

from talkframe.storage.signing import signed_url


class LocalStorage:
    """Files under `root`; URLs point at the API's `/files/` route, signed with `secret` (HMAC, expiring)."""

    def __init__(self, root: Path, base_url: str = "http://127.0.0.1:8000", secret: bytes = b"") -> None:
        self.root = root.resolve()
        self.base_url = base_url
        self.secret = secret

    def path(self, key: str) -> Path:
        """The file for `key`; refuses keys that would escape the root."""
        path = (self.root / key).resolve()
        if self.root not in path.parents:
            raise ValueError(f"invalid storage key: {key!r}")
        return path

    def put_file(self, key: str, source: Path) -> str:
        dest = self.path(key)
        dest.parent.mkdir(parents=True, exist_ok=True)
        tmp = dest.with_name(dest.name + ".part")
        shutil.copyfile(source, tmp)
        tmp.replace(dest)
        return key

    def put_bytes(self, key: str, data: bytes) -> str:
        dest = self.path(key)
        dest.parent.mkdir(parents=True, exist_ok=True)
        tmp = dest.with_name(dest.name + ".part")
        tmp.write_bytes(data)
        tmp.replace(dest)
        return key

    def get_file(self, key: str, dest: Path) -> Path:
        source = self.path(key)
        if not source.is_file():
            raise FileNotFoundError(key)
        dest.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source, dest)
        return dest

    def url(self, key: str, ttl_seconds: int) -> str:
        return signed_url(self.base_url, self.secret, key, ttl_seconds)

    def exists(self, key: str) -> bool:
        return self.path(key).is_file()

    def delete(self, key: str) -> None:
        self.path(key).unlink(missing_ok=True)

    def delete_prefix(self, prefix: str) -> None:
        target = self.path(prefix.rstrip("/"))
        if target.is_dir():
            shutil.rmtree(target, ignore_errors=True)
        elif target.is_file():
            target.unlink()

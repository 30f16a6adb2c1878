"""S3-compatible object storage (AWS, MinIO, SeaweedFS) through boto3: the scale-out store every machine shares.

Uploads go through `upload_file`, which switches to multipart above 8 MiB; downloads are presigned GET URLs that
expire, so clients fetch outputs straight from the store, never through the API.
"""

from __future__ import annotations

import os
import tempfile
import time
from pathlib import Path

import boto3
from botocore.client import BaseClient
from botocore.config import Config
from botocore.exceptions import BotoCoreError, ClientError

_MISSING = {"404", "NoSuchKey", "NotFound"}


def _client(endpoint: str | None, region: str, access_key: str | None, secret_key: str | None) -> BaseClient:
    config = Config(signature_version="s3v4", s3={"addressing_style": "path"},
                    retries={"max_attempts": 5, "mode": "standard"}, connect_timeout=5, read_timeout=60)
    return boto3.client("s3", endpoint_url=endpoint, region_name=region, aws_access_key_id=access_key,
                        aws_secret_access_key=secret_key, config=config)


class S3Storage:
    """One bucket; keys as in LocalStorage. `cache_dir` holds local copies handed out by `path()`."""

    def __init__(self, bucket: str, cache_dir: Path, *, endpoint_url: str | None = None,
                 public_endpoint_url: str | None = None, region: str = "us-east-1",
                 access_key: str | None = None, secret_key: str | None = None) -> None:
        self.bucket = bucket
        self.cache_dir = cache_dir
        self.client = _client(endpoint_url, region, access_key, secret_key)
        # A presigned URL's signature covers the host, so URLs for clients are signed for the host they reach.
        self.public_client = (_client(public_endpoint_url, region, access_key, secret_key)
                              if public_endpoint_url else self.client)

    def ensure_bucket(self, wait_seconds: float = 30.0) -> None:
        """Create the bucket when missing; waits for a store that is still starting (compose, tests)."""
        deadline = time.monotonic() + wait_seconds
        while True:
            try:
                self.client.head_bucket(Bucket=self.bucket)
                return
            except ClientError as exc:
                if exc.response.get("Error", {}).get("Code") in _MISSING | {"NoSuchBucket"}:
                    try:
                        self.client.create_bucket(Bucket=self.bucket)
                        return
                    except ClientError as create_exc:
                        code = create_exc.response.get("Error", {}).get("Code")
                        if code in ("BucketAlreadyOwnedByYou", "BucketAlreadyExists"):
                            return
                        if time.monotonic() > deadline:
                            raise
                elif time.monotonic() > deadline:
                    raise
            except BotoCoreError:
                if time.monotonic() > deadline:
                    raise
            time.sleep(0.5)

    def put_file(self, key: str, source: Path) -> str:
        self.client.upload_file(str(source), self.bucket, key)  # multipart above 8 MiB, parts retried
        return key

    def put_bytes(self, key: str, data: bytes) -> str:
        self.client.put_object(Bucket=self.bucket, Key=key, Body=data)
        return key

    def get_file(self, key: str, dest: Path) -> Path:
        dest.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=dest.parent, prefix=f".{dest.name}.")
        os.close(fd)
        try:
            self.client.download_file(self.bucket, key, tmp)
        except ClientError as exc:
            os.unlink(tmp)
            if exc.response.get("Error", {}).get("Code") in _MISSING:
                raise FileNotFoundError(key) from exc
            raise
        except BaseException:
            os.unlink(tmp)
            raise
        os.replace(tmp, dest)
        return dest

    def get_bytes(self, key: str) -> bytes:
        try:
            return self.client.get_object(Bucket=self.bucket, Key=key)["Body"].read()
        except ClientError as exc:
            if exc.response.get("Error", {}).get("Code") in _MISSING:
                raise FileNotFoundError(key) from exc
            raise

    def exists(self, key: str) -> bool:
        try:
            self.client.head_object(Bucket=self.bucket, Key=key)
            return True
        except ClientError as exc:
            if exc.response.get("Error", {}).get("Code") in _MISSING:
                return False
            raise

    def delete(self, key: str) -> None:
        self.client.delete_object(Bucket=self.bucket, Key=key)

    def delete_prefix(self, prefix: str) -> None:
        prefix = prefix.rstrip("/") + "/"
        paginator = self.client.get_paginator("list_objects_v2")
        for page in paginator.paginate(Bucket=self.bucket, Prefix=prefix):
            objects = [{"Key": o["Key"]} for o in page.get("Contents", [])]
            if objects:
                self.client.delete_objects(Bucket=self.bucket, Delete={"Objects": objects, "Quiet": True})

    def path(self, key: str) -> Path:
        """A cached local copy (objects are written once under a new key, so a cached copy stays valid)."""
        if key.startswith("/") or ".." in key.split("/"):
            raise ValueError(f"invalid storage key: {key!r}")
        local = self.cache_dir / key
        if not local.is_file():
            self.get_file(key, local)
        return local

    def url(self, key: str, ttl_seconds: int) -> str:
        ttl = max(1, min(ttl_seconds, 7 * 24 * 3600))  # SigV4 presigned URLs live at most 7 days
        return self.public_client.generate_presigned_url("get_object", Params={"Bucket": self.bucket, "Key": key},
                                                         ExpiresIn=ttl)

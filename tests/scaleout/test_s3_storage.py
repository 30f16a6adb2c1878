"""The storage protocol on a real S3 server (SeaweedFS) and on local files: same behaviour, presigned URLs."""

from __future__ import annotations

import secrets
from pathlib import Path

import httpx
import pytest

from talkframe.core.config import Settings
from talkframe.storage.base import Storage
from talkframe.storage.factory import build_storage
from talkframe.storage.local import LocalStorage
from talkframe.storage.s3 import S3Storage
from tests.scaleout.services import Seaweed


def _s3(s3: Seaweed, tmp_path: Path, bucket: str) -> S3Storage:
    settings = Settings(data_dir=tmp_path, storage="s3", s3_endpoint_url=s3.endpoint, s3_bucket=bucket,
                        s3_access_key=s3.access_key, s3_secret_key=s3.secret_key)
    storage = build_storage(settings, b"unused")
    assert isinstance(storage, S3Storage)
    return storage


@pytest.fixture(params=["local", "s3"])
def storage(request: pytest.FixtureRequest, tmp_path: Path) -> Storage:
    if request.param == "local":
        return LocalStorage(tmp_path / "media", "http://127.0.0.1:9", b"k")
    return _s3(request.getfixturevalue("s3"), tmp_path, f"tf-proto-{secrets.token_hex(4)}")


def test_protocol_round_trip(storage: Storage, tmp_path: Path) -> None:
    assert isinstance(storage, Storage)
    src = tmp_path / "in.bin"
    src.write_bytes(b"segment" * 1000)
    assert storage.put_file("videos/v1/segments/scene-000.mp4", src) == "videos/v1/segments/scene-000.mp4"
    storage.put_bytes("videos/v1/segments/scene-000.json", b'{"n": 1}')
    storage.put_bytes("videos/v10/keep.txt", b"other video")
    assert storage.exists("videos/v1/segments/scene-000.json")
    assert not storage.exists("videos/v1/segments/scene-001.json")
    out = storage.get_file("videos/v1/segments/scene-000.mp4", tmp_path / "out" / "x.mp4")
    assert out.read_bytes() == src.read_bytes()
    with pytest.raises(FileNotFoundError):
        storage.get_file("videos/v1/nope", tmp_path / "nope")
    storage.put_bytes("videos/v1/segments/scene-000.json", b'{"n": 2}')  # a rerun overwrites the same key
    assert storage.path("videos/v1/segments/scene-000.json").read_bytes() in (b'{"n": 2}',)
    storage.delete("videos/v1/segments/scene-000.mp4")
    storage.delete("videos/v1/segments/scene-000.mp4")  # missing is fine
    assert not storage.exists("videos/v1/segments/scene-000.mp4")
    storage.delete_prefix("videos/v1")
    assert not storage.exists("videos/v1/segments/scene-000.json")
    assert storage.exists("videos/v10/keep.txt"), "delete_prefix of v1 must not touch v10"


def test_bucket_is_created_on_first_start(s3: Seaweed, tmp_path: Path) -> None:
    bucket = f"tf-new-{secrets.token_hex(4)}"
    names = lambda st: {b["Name"] for b in st.client.list_buckets()["Buckets"]}  # noqa: E731
    first = _s3(s3, tmp_path, bucket)
    assert bucket in names(first)
    _s3(s3, tmp_path, bucket)  # the second start finds it


def test_presigned_urls_download_and_refuse_tampering(s3: Seaweed, tmp_path: Path) -> None:
    storage = _s3(s3, tmp_path, f"tf-url-{secrets.token_hex(4)}")
    storage.put_bytes("videos/v/video.mp4", b"the video bytes")
    url = storage.url("videos/v/video.mp4", 600)
    assert "X-Amz-Signature=" in url and "X-Amz-Expires=600" in url
    assert httpx.get(url, timeout=10).content == b"the video bytes"
    assert httpx.get(url.replace("X-Amz-Signature=", "X-Amz-Signature=0"), timeout=10).status_code == 403
    assert httpx.get(url.split("?")[0], timeout=10).status_code == 403  # no anonymous reads


def test_large_files_upload_in_parts(s3: Seaweed, tmp_path: Path) -> None:
    storage = _s3(s3, tmp_path, f"tf-big-{secrets.token_hex(4)}")
    big = tmp_path / "big.mp4"
    big.write_bytes(secrets.token_bytes(9 * 1024 * 1024))  # above boto3's 8 MiB multipart threshold
    storage.put_file("videos/big/video.mp4", big)
    etag = storage.client.head_object(Bucket=storage.bucket, Key="videos/big/video.mp4")["ETag"]
    assert etag.strip('"').endswith("-2"), f"not a 2-part multipart upload: {etag}"
    assert storage.get_file("videos/big/video.mp4", tmp_path / "back.mp4").read_bytes() == big.read_bytes()

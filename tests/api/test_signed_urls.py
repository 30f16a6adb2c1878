"""Output URLs are HMAC-signed and expire; expired or tampered links get 403."""

from __future__ import annotations

from urllib.parse import parse_qs, urlencode, urlsplit

from talkframe.storage.signing import signed_url, verify


def test_signature_round_trip_and_expiry() -> None:
    url = signed_url("http://h", b"k", "videos/a/video.mp4", ttl_seconds=60, now=1000.0)
    q = {k: v[0] for k, v in parse_qs(urlsplit(url).query).items()}
    assert int(q["expires"]) == 1060
    assert verify(b"k", "videos/a/video.mp4", 1060, q["signature"], now=1059.0)
    assert not verify(b"k", "videos/a/video.mp4", 1060, q["signature"], now=1061.0)
    assert not verify(b"other", "videos/a/video.mp4", 1060, q["signature"], now=1000.0)
    assert not verify(b"k", "videos/b/video.mp4", 1060, q["signature"], now=1000.0)


def test_served_file_checks_signature(client, services) -> None:  # type: ignore[no-untyped-def]
    services.storage.put_bytes("videos/x/video.mp4", b"\x00\x00\x00\x18ftypmp42")
    url = urlsplit(services.url_for("videos/x/video.mp4"))
    assert client.get(f"{url.path}?{url.query}").status_code == 200

    q = {k: v[0] for k, v in parse_qs(url.query).items()}
    tampered = urlencode({**q, "signature": q["signature"][:-1] + ("0" if q["signature"][-1] != "0" else "1")})
    assert client.get(f"{url.path}?{tampered}").status_code == 403
    longer = urlencode({**q, "expires": int(q["expires"]) + 3600})
    assert client.get(f"{url.path}?{longer}").status_code == 403
    other = urlsplit(services.url_for("videos/x/video.mp4")).path.replace("/x/", "/y/")
    assert client.get(f"{other}?{url.query}").status_code == 403


def test_expired_link_is_refused(client, services) -> None:  # type: ignore[no-untyped-def]
    services.storage.put_bytes("videos/x/video.mp4", b"data")
    url = urlsplit(signed_url("http://testserver", services.secret, "videos/x/video.mp4", ttl_seconds=-1))
    resp = client.get(f"{url.path}?{url.query}")
    assert resp.status_code == 403
    assert "expired" in resp.json()["message"]


def test_default_ttl_is_seven_days(services) -> None:  # type: ignore[no-untyped-def]
    import time

    q = parse_qs(urlsplit(services.url_for("videos/x/video.mp4")).query)
    assert abs(int(q["expires"][0]) - (time.time() + 7 * 24 * 3600)) < 5

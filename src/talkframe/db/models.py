"""Database tables. Every owned row carries `account_id`: one account's keys never see another's rows."""

from __future__ import annotations

from sqlalchemy import JSON, Boolean, Float, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


class Base(DeclarativeBase):
    pass


class ApiKey(Base):
    __tablename__ = "api_keys"

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    account_id: Mapped[str] = mapped_column(String(32), index=True)
    name: Mapped[str] = mapped_column(String(200), default="")
    key_hash: Mapped[str] = mapped_column(String(64), unique=True)  # sha256 hex; the key itself is never stored
    prefix: Mapped[str] = mapped_column(String(16))  # first characters, to recognise a key in listings
    created_at: Mapped[float] = mapped_column(Float)
    revoked_at: Mapped[float | None] = mapped_column(Float, nullable=True)


class Video(Base):
    __tablename__ = "videos"

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    account_id: Mapped[str] = mapped_column(String(32), index=True)
    title: Mapped[str | None] = mapped_column(String(500), nullable=True)
    request: Mapped[dict] = mapped_column(JSON)
    status: Mapped[str] = mapped_column(String(16), default="pending")  # pending|processing|completed|failed
    progress: Mapped[int] = mapped_column(Integer, default=0)
    error_code: Mapped[int | None] = mapped_column(Integer, nullable=True)
    error_message: Mapped[str | None] = mapped_column(Text, nullable=True)
    error_detail: Mapped[str | None] = mapped_column(Text, nullable=True)
    outputs: Mapped[dict] = mapped_column(JSON, default=dict)  # name -> storage key
    duration: Mapped[float | None] = mapped_column(Float, nullable=True)
    callback_id: Mapped[str | None] = mapped_column(String(500), nullable=True)
    callback_url: Mapped[str | None] = mapped_column(Text, nullable=True)
    folder_id: Mapped[str | None] = mapped_column(String(64), nullable=True)
    test: Mapped[bool] = mapped_column(Boolean, default=False)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    worker_id: Mapped[str | None] = mapped_column(String(100), nullable=True)
    heartbeat_at: Mapped[float | None] = mapped_column(Float, nullable=True)
    created_at: Mapped[float] = mapped_column(Float)
    updated_at: Mapped[float] = mapped_column(Float)
    completed_at: Mapped[float | None] = mapped_column(Float, nullable=True)

    __table_args__ = (Index("ix_videos_status_created", "status", "created_at"),)


class TalkingPhoto(Base):
    __tablename__ = "talking_photos"

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    account_id: Mapped[str] = mapped_column(String(32), index=True)
    name: Mapped[str] = mapped_column(String(200), default="")
    image_key: Mapped[str] = mapped_column(String(300))
    faces_found: Mapped[int] = mapped_column(Integer, default=1)
    created_at: Mapped[float] = mapped_column(Float)


class Folder(Base):
    __tablename__ = "folders"

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    account_id: Mapped[str] = mapped_column(String(32), index=True)
    name: Mapped[str] = mapped_column(String(300))
    project_type: Mapped[str] = mapped_column(String(32), default="mixed")
    parent_id: Mapped[str | None] = mapped_column(String(32), nullable=True)
    created_at: Mapped[float] = mapped_column(Float)
    updated_at: Mapped[float] = mapped_column(Float)


class Asset(Base):
    __tablename__ = "assets"

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    account_id: Mapped[str] = mapped_column(String(32), index=True)
    name: Mapped[str] = mapped_column(String(300), default="")
    file_type: Mapped[str] = mapped_column(String(16))  # image | video | audio
    content_type: Mapped[str] = mapped_column(String(64))
    storage_key: Mapped[str] = mapped_column(String(300))
    size: Mapped[int] = mapped_column(Integer)
    folder_id: Mapped[str | None] = mapped_column(String(32), nullable=True)
    created_at: Mapped[float] = mapped_column(Float)


class WebhookEndpoint(Base):
    __tablename__ = "webhook_endpoints"

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    account_id: Mapped[str] = mapped_column(String(32), index=True)
    url: Mapped[str] = mapped_column(Text)
    secret: Mapped[str] = mapped_column(String(100))
    events: Mapped[list | None] = mapped_column(JSON, nullable=True)  # None = every event
    status: Mapped[str] = mapped_column(String(16), default="enabled")
    created_at: Mapped[float] = mapped_column(Float)
    api_version: Mapped[str] = mapped_column(String(8), default="v1")  # v3: v3 bodies and Heygen-* headers


class WebhookDelivery(Base):
    """One event to one receiver, stored before the first attempt so that no restart loses it."""

    __tablename__ = "webhook_deliveries"

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    account_id: Mapped[str] = mapped_column(String(32), index=True)
    endpoint_id: Mapped[str | None] = mapped_column(String(32), nullable=True)  # None: a per-video callback_url
    url: Mapped[str] = mapped_column(Text)
    event_type: Mapped[str] = mapped_column(String(64))
    body: Mapped[str] = mapped_column(Text)  # the exact bytes that are sent (and signed)
    status: Mapped[str] = mapped_column(String(16), default="pending")  # pending | delivered | failed
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[float] = mapped_column(Float)
    last_error: Mapped[str | None] = mapped_column(Text, nullable=True)
    last_status_code: Mapped[int | None] = mapped_column(Integer, nullable=True)
    claimed_until: Mapped[float | None] = mapped_column(Float, nullable=True)
    created_at: Mapped[float] = mapped_column(Float)
    delivered_at: Mapped[float | None] = mapped_column(Float, nullable=True)
    api_version: Mapped[str] = mapped_column(String(8), default="v1")  # v3: retried for 24 h, Heygen-* headers

    __table_args__ = (Index("ix_webhook_deliveries_due", "status", "next_attempt_at"),)


class VideoAvatar(Base):
    """A user's avatar trained from a clip of themselves; `status` is HeyGen's `train_status`."""

    __tablename__ = "video_avatars"

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    account_id: Mapped[str] = mapped_column(String(32), index=True)
    name: Mapped[str] = mapped_column(String(300), default="")
    status: Mapped[str] = mapped_column(String(16), default="pending")  # pending | training | ready | failed
    progress: Mapped[int] = mapped_column(Integer, default=0)
    source_key: Mapped[str] = mapped_column(String(300))  # the uploaded clip in storage
    transcript: Mapped[str | None] = mapped_column(Text, nullable=True)
    model_key: Mapped[str | None] = mapped_column(String(300), nullable=True)  # model.tar in storage
    preview_key: Mapped[str | None] = mapped_column(String(300), nullable=True)
    error_code: Mapped[str | None] = mapped_column(String(64), nullable=True)
    error_message: Mapped[str | None] = mapped_column(Text, nullable=True)
    worker_id: Mapped[str | None] = mapped_column(String(100), nullable=True)
    heartbeat_at: Mapped[float | None] = mapped_column(Float, nullable=True)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[float] = mapped_column(Float)
    updated_at: Mapped[float] = mapped_column(Float)


class IdempotencyKey(Base):
    """A v3 `Idempotency-Key`: claimed while its first request runs, then the first 2xx answer kept for 24 h."""

    __tablename__ = "idempotency_keys"

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    account_id: Mapped[str] = mapped_column(String(32))
    scope: Mapped[str] = mapped_column(String(500))  # method and path: keys are per endpoint and resource
    key: Mapped[str] = mapped_column(String(255))
    status: Mapped[str] = mapped_column(String(16), default="in_progress")  # in_progress | done
    response_status: Mapped[int | None] = mapped_column(Integer, nullable=True)
    response_body: Mapped[str | None] = mapped_column(Text, nullable=True)
    created_at: Mapped[float] = mapped_column(Float)
    expires_at: Mapped[float] = mapped_column(Float)

    __table_args__ = (UniqueConstraint("account_id", "scope", "key", name="uq_idempotency_keys_scope_key"),)


class WebhookEvent(Base):
    """One event as `GET /v3/webhooks/events` lists it (whether or not an endpoint received it)."""

    __tablename__ = "webhook_events"

    id: Mapped[str] = mapped_column(String(40), primary_key=True)  # evt_<hex>, sent as Heygen-Event-Id
    account_id: Mapped[str] = mapped_column(String(32))
    event_type: Mapped[str] = mapped_column(String(64))
    entity_id: Mapped[str | None] = mapped_column(String(64), nullable=True)  # the video id
    event_data: Mapped[dict] = mapped_column(JSON)
    created_at: Mapped[float] = mapped_column(Float)

    __table_args__ = (Index("ix_webhook_events_account_created", "account_id", "created_at"),)

"""Engines and sessions; SQLite gets WAL and a busy timeout so the API and workers can share one file.

Each user of the database draws from its own pool (`PoolConfig`): the API's request threads never wait for a
connection held by a render worker or the webhook loop, and the other way round. The API's pool is as large as its
thread pool, so a request thread always finds a connection, and a wait that still happens ends after `timeout`
seconds with `sqlalchemy.exc.TimeoutError` (a 503 at the API edge), never a hang.
"""

from __future__ import annotations

import functools
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.orm import Session, sessionmaker


@dataclass(frozen=True)
class PoolConfig:
    """A named connection pool: `size` connections kept, as many again on overflow, `timeout` s to acquire one."""

    name: str = "background"
    size: int = 5
    timeout: float = 30.0


BACKGROUND = PoolConfig()


@functools.lru_cache(maxsize=16)
def get_engine(url: str, pool: PoolConfig = BACKGROUND) -> Engine:
    sizes = {"pool_size": pool.size, "max_overflow": pool.size, "pool_timeout": pool.timeout}
    if url.startswith("sqlite"):
        path = url.split("sqlite:///", 1)[-1]
        if path and path != ":memory:":
            Path(path).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": 30}, **sizes)

        @event.listens_for(engine, "connect")
        def _pragmas(dbapi_conn, _record):  # type: ignore[no-untyped-def]
            cur = dbapi_conn.cursor()
            cur.execute("PRAGMA journal_mode=WAL")
            cur.execute("PRAGMA synchronous=NORMAL")
            cur.execute("PRAGMA busy_timeout=30000")
            cur.close()

        return engine
    return create_engine(url, pool_pre_ping=True, **sizes)


@functools.lru_cache(maxsize=16)
def session_factory(url: str, pool: PoolConfig = BACKGROUND) -> sessionmaker[Session]:
    return sessionmaker(get_engine(url, pool), expire_on_commit=False)


@contextmanager
def session_scope(url: str, pool: PoolConfig = BACKGROUND) -> Iterator[Session]:
    """A session committed on success and rolled back on error; its connection goes back to `pool` at the end."""
    session = session_factory(url, pool)()
    try:
        yield session
        session.commit()
    except BaseException:
        session.rollback()
        raise
    finally:
        session.close()


def migrate(url: str) -> None:
    """Bring the schema to the newest Alembic revision (run at every start; a no-op when current)."""
    from alembic import command
    from alembic.config import Config

    here = Path(__file__).parent
    cfg = Config()
    cfg.set_main_option("script_location", str(here / "migrations"))
    cfg.set_main_option("sqlalchemy.url", url)
    cfg.attributes["engine"] = get_engine(url)
    command.upgrade(cfg, "head")

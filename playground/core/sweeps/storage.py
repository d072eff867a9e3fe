"""Where a sweep's study lives: optuna's RDB storage, an SQLite file beside the run store on one machine
(runs_dir()/sweeps.db) or a PostgreSQL database shared by several. The storage beats a heartbeat for every
running trial: a trial whose worker died (killed, a power cut) is failed after the grace period, and run again."""

from __future__ import annotations

import os
import re
import sqlite3
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from playground.core.errors import PlaygroundError, StoreError

DATABASE_FILE = "sweeps.db"
HEARTBEAT_VAR = "PLAYGROUND_SWEEP_HEARTBEAT_S"  # seconds between a trial's heartbeats (tests shorten it)
INSTALL = "pip install 'playground[sweeps]'"
POSTGRES_HELP = ("start the server (sudo systemctl start postgresql, or pg_ctlcluster 15 main start), create the "
                 "database (sudo -u postgres createdb playground), and give --storage "
                 "postgresql://USER:PASSWORD@HOST:5432/DATABASE")


@dataclass(frozen=True)
class Heartbeat:
    """A running trial beats every `interval_s`; one silent for `grace_s` is failed (within a minute by
    default: 10 s beats, 30 s of grace)."""

    interval_s: int = 10
    grace_s: int = 30

    @classmethod
    def from_env(cls) -> Heartbeat:
        text = os.environ.get(HEARTBEAT_VAR, "")
        if not text:
            return cls()
        try:
            interval = max(1, int(float(text)))
        except ValueError:
            raise PlaygroundError(f"{HEARTBEAT_VAR}={text!r} is not a number of seconds; unset it or give "
                                  "e.g. 10") from None
        return cls(interval, 3 * interval)


def require_optuna() -> Any:
    """The optuna module, or a message that says how to install it."""
    try:
        import optuna
    except ImportError:
        raise PlaygroundError(f"sweeps need optuna, which is not installed: {INSTALL}") from None
    optuna.logging.set_verbosity(optuna.logging.ERROR)  # playground tells of each trial, once
    return optuna


def default_storage_url() -> str:
    """The SQLite file beside the run store ($PLAYGROUND_RUNS_DIR, else the per-user runs folder)."""
    from playground.core.store import runs_dir

    folder = runs_dir()
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as e:
        raise StoreError(f"cannot create the runs folder {folder}: {e.strerror or e}; check its permissions, "
                         "or set PLAYGROUND_RUNS_DIR to another folder") from None
    return f"sqlite:///{folder / DATABASE_FILE}"


def shown_url(url: str) -> str:
    """The URL without its password, for messages."""
    return re.sub(r"(//[^:/@]+):[^@/]*@", r"\1:***@", url)


@contextmanager
def quiet() -> Iterator[None]:
    """optuna calls the heartbeat experimental; tests turn warnings into errors."""
    import optuna

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", optuna.exceptions.ExperimentalWarning)
        yield


_OPEN: dict[tuple[str, Heartbeat], Any] = {}  # one storage (and its connection pool) per URL in a process


def open_storage(url: str | None = None, heartbeat: Heartbeat | None = None) -> Any:
    """optuna's RDBStorage at `url` (the default SQLite file when None), with the heartbeat; StoreError that
    says how to reach it when it cannot be opened."""
    url = url or default_storage_url()
    heartbeat = heartbeat or Heartbeat.from_env()
    key = (url, heartbeat)
    if key not in _OPEN:
        _OPEN[key] = _open(url, heartbeat)
    return _OPEN[key]


def _open(url: str, heartbeat: Heartbeat) -> Any:
    optuna = require_optuna()
    _check_driver(url)
    if url.startswith("postgresql://"):  # SQLAlchemy 2.1 reads a bare postgresql:// as psycopg 3
        url = "postgresql+psycopg2://" + url.removeprefix("postgresql://")
    try:
        with quiet():
            return optuna.storages.RDBStorage(
                url, engine_kwargs=_engine_kwargs(url), heartbeat_interval=heartbeat.interval_s,
                grace_period=heartbeat.grace_s,
                heartbeat_stale_trial_callback=optuna.storages.RetryHeartbeatStaleTrialCallback(max_retry=2))
    except Exception as e:  # sqlalchemy's OperationalError, ArgumentError, ... : each needs the same advice
        raise StoreError(_unreachable(url, e)) from None


def _engine_kwargs(url: str) -> dict[str, Any]:
    if url.startswith("sqlite:///") and len(url) > len("sqlite:///"):
        path = url.removeprefix("sqlite:///")
        return {"creator": lambda: _sqlite(path)}
    if url.startswith("postgresql"):
        return {"pool_pre_ping": True, "connect_args": {"connect_timeout": 5}}
    return {}


def _sqlite(path: str) -> sqlite3.Connection:
    """A connection to the study file: several workers write it, so each waits for the lock, and a commit
    syncs the log (WAL) without waiting for the disk (a power cut loses the last trials, never the file)."""
    db = sqlite3.connect(path, timeout=60, check_same_thread=False)
    db.execute("PRAGMA journal_mode=WAL")
    db.execute("PRAGMA synchronous=NORMAL")
    return db


def _check_driver(url: str) -> None:
    if not re.match(r"(sqlite|postgresql|mysql)(\+\w+)?://", url):
        raise StoreError(f"--storage {shown_url(url)} is no database URL; give postgresql://USER:PASSWORD@HOST/"
                         "DATABASE, or leave it out for the SQLite file beside the run store")
    if url.startswith("postgresql"):
        try:
            import psycopg2  # noqa: F401
        except ImportError:
            raise StoreError(f"PostgreSQL storage needs psycopg2: {INSTALL}") from None


def _unreachable(url: str, error: Exception) -> str:
    reason = str(getattr(error, "orig", None) or error).strip().splitlines()[0] if str(error).strip() else \
        type(error).__name__
    if url.startswith("postgresql"):
        return f"cannot reach the sweep storage {shown_url(url)} ({reason}); {POSTGRES_HELP}"
    return (f"cannot open the sweep storage {shown_url(url)} ({reason}); check that its folder exists and can be "
            "written, or give another --storage")

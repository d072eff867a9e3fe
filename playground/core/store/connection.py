"""An SQLite connection to the store: WAL, so that readers never wait for a writer and a killed writer leaves a
whole database; every sqlite3 failure turned into a StoreError that names the file and the fix."""

from __future__ import annotations

import contextlib
import sqlite3
from collections.abc import Iterator
from pathlib import Path

from playground.core.errors import StoreError
from playground.core.store.location import RUNS_DIR_VAR

BUSY_TIMEOUT_MS = 15_000  # writers of other runs hold the lock for milliseconds; wait rather than fail


def connect(path: Path) -> sqlite3.Connection:
    """Open (creating if need be) the database at `path` in WAL mode; autocommit, transactions are explicit."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        # check_same_thread=False: the app creates a run's writer in the GUI thread and trains in another;
        # RunStore serialises every use with a lock
        db = sqlite3.connect(path, timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None, check_same_thread=False)
    except (OSError, sqlite3.Error) as e:
        raise StoreError(f"cannot open the run store {path}: {e}; check the folder's permissions, "
                         f"or set {RUNS_DIR_VAR} to a folder you can write to") from None
    try:
        db.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        mode = db.execute("PRAGMA journal_mode = WAL").fetchone()[0]
        db.execute("PRAGMA synchronous = FULL")  # a committed epoch survives a power cut, not only a kill
        db.execute("PRAGMA foreign_keys = ON")
    except sqlite3.Error as e:
        db.close()
        raise problem(path, e) from None
    if str(mode).lower() != "wal":
        db.close()
        raise StoreError(f"the run store {path} cannot use SQLite's WAL mode here (got {mode}); "
                         f"put it on a local disk by setting {RUNS_DIR_VAR}")
    return db


def problem(path: Path, e: sqlite3.Error) -> StoreError:
    """The user's view of an SQLite error on the store at `path`."""
    text = str(e)
    if any(words in text for words in ("not a database", "malformed", "encrypted")):
        return StoreError(f"{path} is not a playground run store ({text}); move it away or delete it and a new "
                          f"store is made there, or set {RUNS_DIR_VAR} to another folder")
    if "locked" in text or "busy" in text:
        return StoreError(f"the run store {path} stayed locked by another process for "
                          f"{BUSY_TIMEOUT_MS // 1000} s; try again, or set {RUNS_DIR_VAR} to another folder")
    if "readonly" in text or "unable to open" in text:
        return StoreError(f"cannot write the run store {path} ({text}); check its permissions, "
                          f"or set {RUNS_DIR_VAR} to a folder you can write to")
    if "disk i/o" in text or "full" in text:  # a full disk, or a file too large for its limit
        return StoreError(f"cannot write the run store {path} ({text}): the disk may be full; free some space, "
                          f"or set {RUNS_DIR_VAR} to a folder on another disk")
    return StoreError(f"the run store {path} failed: {text}; if it keeps failing, move it away "
                      "(a new one is made) and report this")


@contextlib.contextmanager
def transaction(db: sqlite3.Connection, path: Path) -> Iterator[sqlite3.Connection]:
    """BEGIN IMMEDIATE ... COMMIT (ROLLBACK on any error): all of a write or none of it."""
    try:
        db.execute("BEGIN IMMEDIATE")
    except sqlite3.Error as e:
        raise problem(path, e) from None
    try:
        yield db
        db.execute("COMMIT")
    except sqlite3.Error as e:
        _rollback(db)
        raise problem(path, e) from None
    except BaseException:
        _rollback(db)
        raise


@contextlib.contextmanager
def reading(path: Path) -> Iterator[None]:
    """Turn sqlite3 errors of a read into StoreErrors."""
    try:
        yield
    except sqlite3.Error as e:
        raise problem(path, e) from None


def _rollback(db: sqlite3.Connection) -> None:
    with contextlib.suppress(sqlite3.Error):
        db.execute("ROLLBACK")

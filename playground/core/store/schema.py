"""The store's schema, as numbered migrations: `PRAGMA user_version` says how many have been applied.

A migration is a function that takes the schema from version N-1 to N inside one transaction. To change the
schema, append a function: never edit one that has shipped, since stores out there were made by it.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable
from pathlib import Path

from playground.core.errors import StoreError
from playground.core.store.connection import transaction
from playground.core.store.location import RUNS_DIR_VAR
from playground.core.store.records import best_of


def _v1_runs_and_epochs(db: sqlite3.Connection) -> None:
    """Runs with their configuration, status and writer, and one row per finished epoch."""
    db.execute("""
        CREATE TABLE runs (
            id TEXT PRIMARY KEY,
            name TEXT NOT NULL UNIQUE,
            kind TEXT NOT NULL,
            arch TEXT NOT NULL,
            dataset TEXT NOT NULL,
            config TEXT NOT NULL,             -- TrainConfig.to_dict() as JSON
            status TEXT NOT NULL CHECK (status IN ('running', 'completed', 'stopped', 'failed', 'interrupted')),
            started_at REAL NOT NULL,         -- time.time()
            ended_at REAL,
            device TEXT NOT NULL DEFAULT '',
            folder TEXT NOT NULL,             -- absolute
            steps_done INTEGER NOT NULL DEFAULT 0,
            message TEXT NOT NULL DEFAULT '', -- why it failed
            owner_pid INTEGER,
            owner_host TEXT,
            owner_started REAL,               -- the writer's process start time: a pid alone is reused
            heartbeat_at REAL
        )""")
    db.execute("""
        CREATE TABLE epochs (
            run_id TEXT NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
            epoch INTEGER NOT NULL,
            metrics TEXT NOT NULL,            -- the epoch's line of metrics.jsonl
            PRIMARY KEY (run_id, epoch)
        )""")


def _v2_summaries_and_notes(db: sqlite3.Connection) -> None:
    """What a runs table shows without reading every epoch (filled in for the runs already there), notes, and the
    time spent running (a run resumed a week later has not run for a week)."""
    for column in ("epochs_done INTEGER NOT NULL DEFAULT 0", "best_epoch INTEGER", "best_metric REAL",
                   "best_metric_name TEXT", "final_metrics TEXT NOT NULL DEFAULT '{}'",
                   "notes TEXT NOT NULL DEFAULT ''",
                   "active_s REAL NOT NULL DEFAULT 0",  # seconds run in the sessions before the last one
                   "resumed_at REAL"):  # when the current (or last) session started
        db.execute(f"ALTER TABLE runs ADD COLUMN {column}")
    db.execute("UPDATE runs SET resumed_at = started_at")
    db.execute("CREATE INDEX runs_by_start ON runs(started_at)")
    for (run_id,) in db.execute("SELECT id FROM runs").fetchall():
        rows = [json.loads(m) for (m,) in db.execute(
            "SELECT metrics FROM epochs WHERE run_id = ? ORDER BY epoch", (run_id,))]
        best = best_of(rows)
        db.execute("UPDATE runs SET epochs_done = ?, best_epoch = ?, best_metric = ?, best_metric_name = ?, "
                   "final_metrics = ? WHERE id = ?",
                   (len(rows), best.epoch, best.value, best.metric, json.dumps(rows[-1] if rows else {}), run_id))


def _v3_sweep_tags(db: sqlite3.Connection) -> None:
    """A run that is a trial of a sweep names its sweep (optuna's study) and its trial number there."""
    db.execute("ALTER TABLE runs ADD COLUMN sweep TEXT NOT NULL DEFAULT ''")
    db.execute("ALTER TABLE runs ADD COLUMN sweep_trial INTEGER")
    db.execute("CREATE INDEX runs_by_sweep ON runs(sweep, sweep_trial)")


MIGRATIONS: tuple[Callable[[sqlite3.Connection], None], ...] = (_v1_runs_and_epochs, _v2_summaries_and_notes,
                                                                 _v3_sweep_tags)
SCHEMA_VERSION = len(MIGRATIONS)


def user_version(db: sqlite3.Connection) -> int:
    return int(db.execute("PRAGMA user_version").fetchone()[0])


def migrate(db: sqlite3.Connection, path: Path, target: int = SCHEMA_VERSION) -> int:
    """Bring the store up to `target` (the current schema unless a test wants an old one); returns the version."""
    if user_version(db) == target:
        return target
    with transaction(db, path):
        version = user_version(db)  # again, under the lock: another process may have just migrated
        if version > SCHEMA_VERSION:
            raise StoreError(f"the run store {path} was written by a newer playground (schema {version}, this one "
                             f"knows {SCHEMA_VERSION}); upgrade playground, or set {RUNS_DIR_VAR} to another folder")
        for number in range(version + 1, target + 1):
            MIGRATIONS[number - 1](db)
            db.execute(f"PRAGMA user_version = {number}")  # a pragma takes no parameters; number is an int
    return target

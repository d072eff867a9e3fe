"""The run store: an SQLite database of runs and their epochs, beside one folder per run.

Readers (the app's Runs panel, `playground runs`) call `runs()`, `get()`, `find()` and `epochs()`; they work
while other processes write. Each run has one writer (its StoreWriter), which calls the methods below
`# -- the writer's`. Every write is one transaction.
"""

from __future__ import annotations

import json
import sqlite3
import threading
import time
import uuid
from pathlib import Path
from typing import Any

from playground.core.errors import StoreError
from playground.core.store.connection import connect, reading, transaction
from playground.core.store.folder import remove_run_files, write_metrics
from playground.core.store.liveness import Owner, is_alive, this_process
from playground.core.store.location import database_path
from playground.core.store.records import STATUSES, Best, RunRecord, best_after, best_of, record_from_row
from playground.core.store.schema import SCHEMA_VERSION, migrate
from playground.core.training.events import EpochMetrics

# a resume adds the last session's seconds to the run's total (evaluated before ended_at is cleared)
_ADD_SESSION = ("active_s = active_s + MAX(0, COALESCE(ended_at, heartbeat_at, started_at) "
                "- COALESCE(resumed_at, started_at))")
_SUMMARY = ("UPDATE runs SET epochs_done = ?, best_epoch = ?, best_metric = ?, best_metric_name = ?, "
            "final_metrics = ? WHERE id = ?")


class RunStore:
    """Open with RunStore.open() (the default location) or RunStore.open(path to runs.db); close when done."""

    def __init__(self, path: Path, schema_version: int = SCHEMA_VERSION):
        self.path = path
        self._lock = threading.RLock()  # one connection, used from the GUI thread and a training thread
        self._db = connect(path)
        self._db.row_factory = sqlite3.Row
        try:
            migrate(self._db, path, schema_version)
        except BaseException:
            self._db.close()
            raise

    @classmethod
    def open(cls, path: str | Path | None = None) -> RunStore:
        """The store at `path` (a runs.db file), by default the one in runs_dir(); made when missing."""
        return cls(Path(path).absolute() if path is not None else database_path())

    def close(self) -> None:
        with self._lock:
            self._db.close()

    def __enter__(self) -> RunStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @property
    def root(self) -> Path:
        """The folder of the database, where runs without --out get their folders."""
        return self.path.parent

    # -- reading ----------------------------------------------------------------------------------------------
    def runs(self) -> list[RunRecord]:
        """Every run, newest first."""
        rows = self._read("SELECT * FROM runs ORDER BY started_at DESC, rowid DESC")
        return [self._record(r) for r in rows]

    def sweep_runs(self, sweep: str) -> list[RunRecord]:
        """The runs that are trials of the sweep named `sweep`, by trial number."""
        rows = self._read("SELECT * FROM runs WHERE sweep = ? ORDER BY sweep_trial, started_at", (sweep,))
        return [self._record(r) for r in rows]

    def get(self, run_id: str) -> RunRecord:
        rows = self._read("SELECT * FROM runs WHERE id = ?", (run_id,))
        if not rows:
            raise StoreError(f"there is no run {run_id!r} in the run store {self.path}; "
                             "`playground runs` lists the runs it holds")
        return self._record(rows[0])

    def epoch_rows(self, run_id: str) -> list[dict[str, Any]]:
        """The run's finished epochs as metrics.jsonl rows, in order."""
        rows = self._read("SELECT metrics FROM epochs WHERE run_id = ? ORDER BY epoch", (run_id,))
        return [json.loads(r["metrics"]) for r in rows]

    def epochs(self, run_id: str) -> list[EpochMetrics]:
        """The run's finished epochs, as the Trainer reported them (for curves)."""
        return [EpochMetrics.from_dict(d, run_id) for d in self.epoch_rows(run_id)]

    def find(self, ref: str) -> RunRecord:
        """A run by id, name, folder (or a file in it, such as its model.pt), or a unique start of its id."""
        from playground.core.store.lookup import find_run

        return find_run(self, ref)

    def data_version(self) -> int:
        """A number that changes whenever another connection commits: poll it to notice new runs and epochs."""
        return int(self._read("PRAGMA data_version")[0][0])

    # -- the panel's: names, notes, deleting, repairing ---------------------------------------------------------
    def rename(self, run_id: str, name: str) -> None:
        name = name.strip()
        if not name:
            raise StoreError("a run's name cannot be empty; give it a few words")
        if any(r.name == name and r.id != run_id for r in self.runs()):
            raise StoreError(f"there already is a run named {name!r}; choose another name")
        self._write("UPDATE runs SET name = ? WHERE id = ?", (name, self.get(run_id).id))

    def set_notes(self, run_id: str, notes: str) -> None:
        self._write("UPDATE runs SET notes = ? WHERE id = ?", (notes, self.get(run_id).id))

    def delete(self, run_id: str, remove_folder: bool = True) -> bool:
        """Forget a run that is not running; with remove_folder, delete its files too. True if its folder is gone."""
        record = self.get(run_id)
        if record.status == "running":
            raise StoreError(f"run {record.name} is still running (process {record.owner_pid} on "
                             f"{record.owner_host}); stop it first")
        # a folder that a later run was started in (--out again) holds that run's files now: they stay
        shared = any(r.id != record.id and r.folder == record.folder for r in self.runs())
        gone = remove_run_files(record.folder) if remove_folder and not shared else False
        self._write("DELETE FROM runs WHERE id = ?", (record.id,))
        return gone

    def repair(self) -> list[str]:
        """Mark runs whose writer died as interrupted, and make their metrics.jsonl agree with the database."""
        repaired = []
        for row in self._read("SELECT * FROM runs WHERE status = 'running'"):
            if self._alive(row):
                continue
            # the folder first: a repair killed between the two leaves the run 'running', for the next repair
            # to finish (the other way round it stayed interrupted with metrics.jsonl an epoch short)
            self._rewrite_metrics(row["id"], Path(row["folder"]))
            with self._lock, transaction(self._db, self.path) as db:
                changed = db.execute(
                    "UPDATE runs SET status = 'interrupted', ended_at = COALESCE(heartbeat_at, started_at) "
                    "WHERE id = ? AND status = 'running' AND owner_pid IS ? AND owner_started IS ?",
                    (row["id"], row["owner_pid"], row["owner_started"])).rowcount
            if changed:
                repaired.append(row["id"])
        return repaired

    # -- the writer's -------------------------------------------------------------------------------------------
    def create(self, config: dict[str, Any], folder: Path, kind: str, name: str | None = None,
               owner: Owner | None = None, sweep: tuple[str, int] | None = None) -> RunRecord:
        """Record a new run, running, written by `owner` (this process by default); `sweep` tags a sweep's
        trial with (the sweep's name, its trial number)."""
        owner = owner or this_process()
        run_id, now, folder = uuid.uuid4().hex[:12], time.time(), Path(folder).absolute()
        with self._lock, transaction(self._db, self.path) as db:
            unique = _unique_name(db, name or folder.name)
            db.execute(
                "INSERT INTO runs (id, name, kind, arch, dataset, config, status, started_at, folder, owner_pid, "
                "owner_host, owner_started, heartbeat_at, resumed_at, sweep, sweep_trial) "
                "VALUES (?, ?, ?, ?, ?, ?, 'running', ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (run_id, unique, kind, config["arch"], config["dataset"], json.dumps(config), now, str(folder),
                 owner.pid, owner.host, owner.started, now, now, *(sweep or ("", None))))
        return self.get(run_id)

    def restart(self, run_id: str, config: dict[str, Any], history: list[dict[str, Any]],
                owner: Owner | None = None) -> RunRecord:
        """Run a recorded run again (a resume): running, its epochs those of the checkpoint it goes on from."""
        owner, now = owner or this_process(), time.time()
        with self._lock, transaction(self._db, self.path) as db:
            db.execute(f"UPDATE runs SET {_ADD_SESSION}, status = 'running', ended_at = NULL, message = '', "
                       "config = ?, owner_pid = ?, owner_host = ?, owner_started = ?, heartbeat_at = ?, resumed_at = ? "
                       "WHERE id = ?",
                       (json.dumps(config), owner.pid, owner.host, owner.started, now, now, run_id))
            _replace_epochs(db, run_id, history)
        return self.get(run_id)

    def set_epochs(self, run_id: str, history: list[dict[str, Any]]) -> None:
        """The epochs a run starts with (a run branched off another's checkpoint inherits its curves)."""
        with self._lock, transaction(self._db, self.path) as db:
            _replace_epochs(db, run_id, history)

    def started(self, run_id: str, device: str, kind: str, steps_done: int) -> None:
        self._write("UPDATE runs SET device = ?, kind = ?, steps_done = ?, heartbeat_at = ? WHERE id = ?",
                    (device, kind, steps_done, time.time(), run_id))

    def add_epoch(self, run_id: str, row: dict[str, Any], steps_done: int) -> None:
        """Record the run's next finished epoch with its new summary, in one transaction (the summary grows by
        this epoch alone, so a long run's epochs cost the same as its first)."""
        epoch = int(row["epoch"])
        with self._lock, transaction(self._db, self.path) as db:
            last = db.execute("SELECT MAX(epoch) FROM epochs WHERE run_id = ?", (run_id,)).fetchone()[0] or 0
            db.execute("DELETE FROM epochs WHERE run_id = ? AND epoch >= ?", (run_id, epoch))
            db.execute("INSERT INTO epochs (run_id, epoch, metrics) VALUES (?, ?, ?)", (run_id, epoch, json.dumps(row)))
            if epoch == last + 1:
                r = db.execute("SELECT best_epoch, best_metric, best_metric_name FROM runs WHERE id = ?",
                               (run_id,)).fetchone()
                best = best_after(Best(r[0], r[1], r[2]), row)
                db.execute(_SUMMARY, (epoch, best.epoch, best.value, best.metric, json.dumps(row), run_id))
            else:  # an epoch done again: sum up the run anew
                _summarise(db, run_id)
            db.execute("UPDATE runs SET steps_done = ?, heartbeat_at = ? WHERE id = ?",
                       (steps_done, time.time(), run_id))

    def heartbeat(self, run_id: str, steps_done: int) -> None:
        self._write("UPDATE runs SET steps_done = ?, heartbeat_at = ? WHERE id = ?", (steps_done, time.time(), run_id))

    def finish(self, run_id: str, status: str, steps_done: int | None = None, message: str = "") -> None:
        if status not in STATUSES or status == "running":
            raise ValueError(f"a run cannot finish as {status!r}")
        now = time.time()
        self._write("UPDATE runs SET status = ?, ended_at = ?, heartbeat_at = ?, message = ?, "
                    "steps_done = COALESCE(?, steps_done) WHERE id = ?",
                    (status, now, now, message, steps_done, run_id))

    # -- inside -------------------------------------------------------------------------------------------------
    def _read(self, sql: str, params: tuple = ()) -> list[Any]:
        with self._lock, reading(self.path):
            return self._db.execute(sql, params).fetchall()

    def _write(self, sql: str, params: tuple = ()) -> None:
        with self._lock, transaction(self._db, self.path) as db:
            db.execute(sql, params)

    def _alive(self, row: Any) -> bool:
        owner = Owner(row["owner_pid"] or 0, row["owner_host"] or "", row["owner_started"] or 0.0)
        return is_alive(owner, row["heartbeat_at"])

    def _record(self, row: Any) -> RunRecord:
        status = row["status"]
        if status == "running" and not self._alive(row):
            status = "interrupted"
        return record_from_row(row, status)

    def _rewrite_metrics(self, run_id: str, folder: Path) -> None:
        if folder.is_dir():
            try:
                write_metrics(folder, self.epoch_rows(run_id))
            except OSError:  # a read-only or vanished folder: the database still holds the epochs
                pass


def _unique_name(db: Any, base: str) -> str:
    taken = {r[0] for r in db.execute("SELECT name FROM runs WHERE name = ? OR name LIKE ?", (base, f"{base}-%"))}
    name, n = base, 1
    while name in taken:
        n += 1
        name = f"{base}-{n}"
    return name


def _replace_epochs(db: Any, run_id: str, history: list[dict[str, Any]]) -> None:
    db.execute("DELETE FROM epochs WHERE run_id = ?", (run_id,))
    db.executemany("INSERT INTO epochs (run_id, epoch, metrics) VALUES (?, ?, ?)",
                   [(run_id, int(r["epoch"]), json.dumps(r)) for r in history])
    _summarise(db, run_id)


def _summarise(db: Any, run_id: str) -> list[dict[str, Any]]:
    """Recompute the run's summary columns from its epochs; returns the epochs."""
    rows = [json.loads(m) for (m,) in db.execute("SELECT metrics FROM epochs WHERE run_id = ? ORDER BY epoch",
                                                 (run_id,))]
    best = best_of(rows)
    db.execute(_SUMMARY, (len(rows), best.epoch, best.value, best.metric, json.dumps(rows[-1] if rows else {}),
                          run_id))
    return rows

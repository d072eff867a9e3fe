"""The store's file: WAL, a schema version with migrations, and clear errors for files that are not stores."""

from __future__ import annotations

import json
import sqlite3

import pytest

from playground.core.errors import StoreError
from playground.core.store import RunStore, database_path
from playground.core.store.connection import connect
from playground.core.store.schema import SCHEMA_VERSION, migrate


def test_a_new_store_is_wal_at_the_current_schema_under_the_runs_dir(store, runs_dir):
    assert store.path == runs_dir / "runs.db" == database_path()
    raw = sqlite3.connect(store.path)
    assert raw.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert raw.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION >= 2
    assert raw.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    tables = {r[0] for r in raw.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    assert {"runs", "epochs"} <= tables


def test_a_store_of_schema_1_migrates_and_its_runs_are_summed_up(runs_dir):
    path = runs_dir / "runs.db"
    old = connect(path)
    migrate(old, path, target=1)  # the store as the first version made it
    old.execute("INSERT INTO runs (id, name, kind, arch, dataset, config, status, started_at, ended_at, folder) "
                "VALUES ('r1', 'first', 'classification', 'mlp', 'spiral', ?, 'completed', 100.0, 160.0, '/x')",
                (json.dumps({"arch": "mlp", "dataset": "spiral", "epochs": 3}),))
    for epoch, accuracy in ((1, 0.7), (2, 0.9), (3, 0.8)):
        old.execute("INSERT INTO epochs VALUES ('r1', ?, ?)",
                    (epoch, json.dumps({"epoch": epoch, "test_accuracy": accuracy, "test_loss": 1 - accuracy})))
    old.close()
    with RunStore.open(path) as store:
        run = store.get("r1")
        assert sqlite3.connect(path).execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    assert (run.epochs_done, run.best.epoch, run.best_metric, run.best.metric) == (3, 2, 0.9, "test_accuracy")
    assert run.final_metrics["epoch"] == 3 and run.notes == "" and run.duration_s() == 60.0
    with RunStore.open(path) as store:
        assert [e.test_accuracy for e in store.epochs("r1")] == [0.7, 0.9, 0.8]


def test_a_store_from_a_newer_playground_is_refused_with_the_fix(runs_dir):
    RunStore.open().close()
    raw = sqlite3.connect(database_path())
    raw.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    raw.close()
    with pytest.raises(StoreError, match=r"newer playground .*upgrade playground.*PLAYGROUND_RUNS_DIR"):
        RunStore.open()


@pytest.mark.parametrize("content", [b"these are not the runs you are looking for\n" * 100, b"\x00" * 4096])
def test_a_file_that_is_not_a_store_is_named_with_the_fix(runs_dir, content):
    runs_dir.mkdir()
    (runs_dir / "runs.db").write_bytes(content)
    with pytest.raises(StoreError) as caught:
        RunStore.open()
    message = str(caught.value)
    assert str(runs_dir / "runs.db") in message and "not a playground run store" in message
    assert "delete it" in message and "PLAYGROUND_RUNS_DIR" in message and "\n" not in message


def test_a_runs_dir_that_is_a_file_is_named(tmp_path, monkeypatch):
    (tmp_path / "file").write_text("x")
    monkeypatch.setenv("PLAYGROUND_RUNS_DIR", str(tmp_path / "file"))
    with pytest.raises(StoreError, match="cannot open the run store .*file.*PLAYGROUND_RUNS_DIR"):
        RunStore.open()

"""Reading while another process writes (WAL): the app reads runs that the CLI is writing."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
import time

from playground.core.store import RunStore

EPOCHS = 150

WRITER = textwrap.dedent(f"""
    import sys, time
    from playground.core.store import RunStore
    with RunStore.open(sys.argv[1]) as store:
        run = store.create({{"arch": "mlp", "dataset": "spiral", "epochs": {EPOCHS}}}, sys.argv[2], "classification")
        print(run.id, flush=True)
        sys.stdin.readline()  # the reader is ready
        for epoch in range(1, {EPOCHS} + 1):
            store.add_epoch(run.id, {{"epoch": epoch, "test_accuracy": epoch / {EPOCHS}, "test_loss": 1.0}}, epoch)
            store.heartbeat(run.id, epoch)
        store.finish(run.id, "completed", {EPOCHS})
""")


def test_a_reader_sees_a_consistent_growing_run_while_another_process_writes(store, tmp_path):
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}
    with subprocess.Popen([sys.executable, "-c", WRITER, str(store.path), str(tmp_path / "run")],
                          stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, env=env) as writer:
        try:
            seen = _read_while_written(writer, store.path)
            assert writer.wait(60) == 0
        finally:
            writer.kill()
    assert seen == sorted(seen) and seen[-1] == EPOCHS
    assert len(set(seen)) > 3, f"the reads did not overlap the writes: {seen[:20]}"
    final = store.runs()[0]
    assert final.status == "completed" and final.best_metric == 1.0


def _read_while_written(writer: subprocess.Popen, path) -> list[int]:
    """Read the run again and again until it is complete; returns the epochs_done of each read."""
    run_id = writer.stdout.readline().strip()
    writer.stdin.write("go\n")
    writer.stdin.flush()
    seen: list[int] = []
    deadline = time.monotonic() + 120
    with RunStore.open(path) as reader:
        while not seen or seen[-1] < EPOCHS or reader.get(run_id).status != "completed":
            assert time.monotonic() < deadline, "the writer did not finish"
            record, rows = reader.get(run_id), reader.epoch_rows(run_id)
            # the summary is committed with its epoch: never ahead of the epochs, and the epochs have no gaps
            assert record.epochs_done <= len(rows) and [r["epoch"] for r in rows] == list(range(1, len(rows) + 1))
            seen.append(record.epochs_done)
    return seen

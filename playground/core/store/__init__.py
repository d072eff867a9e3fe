"""The run store: every run remembered, in an SQLite database (WAL) beside one folder per run.

Reading (the app's Runs panel, `playground runs`), safe while other processes write::

    with RunStore.open() as store:          # runs_dir()/runs.db, or $PLAYGROUND_RUNS_DIR/runs.db
        for run in store.runs():            # RunRecord, newest first; status "interrupted" if its writer died
            curves = store.epochs(run.id)   # list[EpochMetrics]
        config_difference(a.config, b.config)  # what two runs did differently

Writing: `start_run(store, config, out, resume)` records a run and gives the StoreWriter to attach to
Trainer.fit; nothing else writes a run's epochs.
"""

from playground.core.store.folder import (
    CONFIG_FILE,
    METRICS_FILE,
    MODEL_FILE,
    SAMPLES_DIR,
    SampleWriter,
    read_metrics,
)
from playground.core.store.liveness import Owner, is_alive, this_process
from playground.core.store.location import RUNS_DIR_VAR, database_path, runs_dir
from playground.core.store.records import STATUSES, Best, RunRecord, best_of, config_difference
from playground.core.store.session import RecordedRun, ResumeTarget, resume_target, run_kind, start_run
from playground.core.store.store import RunStore
from playground.core.store.writer import StoreWriter

__all__ = [
    "CONFIG_FILE", "METRICS_FILE", "MODEL_FILE", "RUNS_DIR_VAR", "SAMPLES_DIR", "STATUSES", "Best", "Owner",
    "RecordedRun", "ResumeTarget", "RunRecord", "RunStore", "SampleWriter", "StoreWriter", "best_of",
    "config_difference",
    "database_path", "is_alive", "read_metrics", "resume_target", "run_kind", "runs_dir", "start_run",
    "this_process",
]

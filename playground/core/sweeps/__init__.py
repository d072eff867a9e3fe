"""Sweeps: many runs of one config with some settings varied, on optuna (its samplers, pruners and storage).

Every trial is an ordinary recorded run in the run store, tagged with its sweep (RunRecord.sweep, .sweep_trial).
For the CLI and the app::

    space = (parse_vary("lr=log:1e-4:1e-1"), parse_vary("arch_options.hidden=[32],[64]"))
    spec = SweepSpec("lr-and-width", config, space, trials=16, strategy="tpe", workers=2)
    summary = run_sweep(spec)                    # blocks; the app runs it off the GUI thread, or starts workers:
    start_workers(name, url, n, threads)         # `playground sweep --join` processes, polled with read_sweep
    summary = read_sweep(name)                   # SweepSummary: spec, TrialRecords, best
    importances(name)                            # {"lr": 0.8, "arch_options.hidden": 0.2}
    apply_params(config, summary.best.params)    # "Use the best settings"
    resume(name, workers=2)                      # goes on with a stopped sweep

`storage_url` None is the SQLite file beside the run store; postgresql://... is shared by several machines.
"""

from playground.core.sweeps.records import STATES, SweepSummary, TrialRecord, best_of, importances, read_sweep
from playground.core.sweeps.settings import apply_params, check_space
from playground.core.sweeps.space import Param, parse_space, parse_vary
from playground.core.sweeps.spec import (
    DIRECTIONS,
    PRUNERS,
    STRATEGIES,
    SweepSpec,
    default_metric,
    read_sweep_table,
    spec_from_table,
)
from playground.core.sweeps.storage import Heartbeat, default_storage_url, require_optuna
from playground.core.sweeps.study import create_study, load_study, sweep_names, unique_name
from playground.core.sweeps.trial_run import SweepStopped, TrialFailed, TrialSetup
from playground.core.sweeps.workers import (
    cores_per_worker,
    join_command,
    resume,
    run_sweep,
    run_worker,
    start_workers,
    stop_workers,
    wait_workers,
    work,
)

__all__ = [
    "DIRECTIONS", "PRUNERS", "STATES", "STRATEGIES", "Heartbeat", "Param", "SweepSpec", "SweepStopped",
    "SweepSummary", "TrialFailed", "TrialRecord", "TrialSetup", "apply_params", "best_of", "check_space",
    "cores_per_worker", "create_study", "default_metric", "default_storage_url", "importances", "join_command",
    "load_study", "parse_space", "parse_vary", "read_sweep", "read_sweep_table", "require_optuna", "resume",
    "run_sweep", "run_worker", "spec_from_table", "start_workers", "stop_workers", "sweep_names", "unique_name",
    "wait_workers", "work",
]

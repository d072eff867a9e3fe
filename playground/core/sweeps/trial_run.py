"""One trial: its settings from the trial's picks, trained as an ordinary recorded run (recorded_fit) tagged with
its sweep, its epoch-end metric reported to optuna, and stopped through its control when the pruner says so.

What optuna records: the last epoch's metric (complete), pruned, or failed (the run diverged or failed; the
sweep goes on). A run stopped from outside (Ctrl+C) fails its trial, queues its settings again, and ends the
worker; a metric the task does not report ends the sweep with a message naming the metrics it does report.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from playground.core.config import check
from playground.core.errors import ConfigError, PlaygroundError
from playground.core.recorded import Recording, recorded_fit
from playground.core.sweeps.settings import apply_params
from playground.core.sweeps.spec import SweepSpec
from playground.core.training.callbacks import Callback
from playground.core.training.control import RunControl
from playground.core.training.events import EpochMetrics

FAILURE_ATTR = "failure"  # why a trial failed (set by playground: a failure the sweep counts)
SURPLUS_ATTR = "surplus"  # a trial two workers asked for at once, given up by the later one before it ran
RUN_ATTR = "run"  # the run store's id of the trial's run
PRUNED_ATTR = "pruned_at"  # the epoch after which the pruner stopped it


class TrialFailed(PlaygroundError):
    """The trial's run failed (diverged, say): the trial fails and the sweep goes on."""


class SweepStopped(PlaygroundError):
    """The trial was stopped from outside (a signal, the app): the worker stops; `resume` goes on."""


class PruneAtEpochEnd(Callback):
    """Reports the metric of every epoch to the trial, and stops the run when the pruner says so."""

    def __init__(self, trial: Any, metric: str, control: RunControl):
        self.trial, self.metric, self.control = trial, metric, control
        self.pruned_at: int | None = None
        self.reported: list[str] | None = None  # the metrics the task reports, when `metric` is not one

    def on_epoch_end(self, event: EpochMetrics) -> None:
        value = event.values.get(self.metric)
        if self.metric not in event.values:
            self.reported = sorted(event.values)
            self.control.stop()
            return
        if value is None or not math.isfinite(value):
            return  # a diverged run fails by itself; a missing figure is not reported
        self.trial.report(float(value), event.epoch)
        if self.trial.should_prune():
            self.pruned_at = event.epoch
            self.control.stop()


@dataclass
class TrialSetup:
    """How a worker runs its trials: CPU threads per trial (0: the thread governor decides), the callbacks
    attached to every trial's run, and the control that stops the current one from outside."""

    threads: int = 0
    callbacks: tuple[Callback, ...] = ()
    control_factory: Any = RunControl  # a new RunControl per trial (the app's stop button sets one)
    current: RunControl | None = None


def run_trial(trial: Any, spec: SweepSpec, setup: TrialSetup) -> float:
    """The objective optuna calls: trains the trial's run and returns its last epoch's metric."""
    params = {p.path: p.suggest(trial) for p in spec.space}
    config = _config(trial, spec, params, setup.threads)
    control = setup.current = setup.control_factory()
    pruning = PruneAtEpochEnd(trial, spec.metric, control)
    recording = Recording(name=f"{spec.name}-trial-{trial.number}", sweep=(spec.name, trial.number))
    recorded = recorded_fit(config, [pruning, *setup.callbacks], control, recording,
                            started=lambda run: trial.set_user_attr(RUN_ATTR, run.id))
    return _outcome(trial, spec, recorded, pruning, control)


def _config(trial: Any, spec: SweepSpec, params: dict[str, Any], threads: int) -> Any:
    try:
        config = apply_params(spec.config, params)
        return check(config.replace(threads=threads) if threads and not spec.config.threads else config)
    except ConfigError as e:  # values that cannot run together (checked one by one before the sweep began)
        trial.set_user_attr(FAILURE_ATTR, str(e))
        raise TrialFailed(f"trial {trial.number}: {e}") from None


def _outcome(trial: Any, spec: SweepSpec, recorded: Any, pruning: PruneAtEpochEnd, control: RunControl) -> float:
    import optuna

    result, run = recorded.result, recorded.run
    if pruning.reported is not None:
        raise ConfigError([("sweep.metric", f"this task does not report {spec.metric}; it reports "
                                            f"{', '.join(pruning.reported)}: choose one of those")])
    if result.status == "failed":
        trial.set_user_attr(FAILURE_ATTR, result.message)
        raise TrialFailed(f"trial {trial.number} failed: {result.message}")
    if pruning.pruned_at is not None:
        trial.set_user_attr(PRUNED_ATTR, pruning.pruned_at)
        _note(run.id, f"pruned by sweep {spec.name} after epoch {pruning.pruned_at}")
        raise optuna.TrialPruned(f"pruned after epoch {pruning.pruned_at}")
    if result.status != "completed":  # stopped from outside: run these settings again on resume
        trial.study.enqueue_trial(trial.params, user_attrs={"again_of": trial.number}, skip_if_exists=False)
        raise SweepStopped(f"sweep {spec.name} stopped during trial {trial.number}; go on with "
                           f"playground sweep {spec.name} --resume")
    value = result.metrics[-1].values.get(spec.metric) if result.metrics else None
    if value is None or not math.isfinite(value):
        trial.set_user_attr(FAILURE_ATTR, f"its last epoch has no finite {spec.metric} ({value})")
        raise TrialFailed(f"trial {trial.number}: no finite {spec.metric} ({value})")
    return float(value)


def _note(run_id: str, text: str) -> None:
    """The run's notes say why it stopped early (recorded_fit has closed its store by now)."""
    from playground.core.store import RunStore

    with RunStore.open() as store:
        store.set_notes(run_id, text)

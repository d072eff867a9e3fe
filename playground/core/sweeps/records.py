"""What a sweep reads back, as plain records (no optuna types): one TrialRecord per trial, the best trial, and
optuna's importance of each varied setting. For `playground sweep show` and the app's Sweep view, which polls
`read_sweep` while workers run."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

from playground.core.sweeps.space import decode
from playground.core.sweeps.spec import SweepSpec

STATES = ("complete", "pruned", "failed", "running", "waiting")
_STATE_NAMES = {"COMPLETE": "complete", "PRUNED": "pruned", "FAIL": "failed", "RUNNING": "running",
                "WAITING": "waiting"}


@dataclass(frozen=True)
class TrialRecord:
    """One trial: `state` is one of STATES, `value` its metric (the last epoch's; for a pruned trial the last
    one reported), `params` the varied settings by dotted name, `run` the run store's id of its run ("" before
    it started), `message` why it failed or when it was pruned, `epochs` the metric per epoch reported."""

    number: int
    state: str
    value: float | None
    params: dict[str, Any]
    run: str = ""
    message: str = ""
    epochs: dict[int, float] = field(default_factory=dict)
    started_at: float | None = None  # seconds since the epoch
    ended_at: float | None = None

    @property
    def duration_s(self) -> float | None:
        if self.started_at is None or self.ended_at is None:
            return None
        return self.ended_at - self.started_at

    def to_json(self) -> dict[str, Any]:
        """One line of `playground sweep show --json`."""
        return {"number": self.number, "state": self.state, "value": self.value, "params": self.params,
                "run": self.run or None, "message": self.message, "duration_s": self.duration_s}


@dataclass(frozen=True)
class SweepSummary:
    """A sweep as it stands: its spec, its trials by number, and the best finished trial (None before one)."""

    spec: SweepSpec
    trials: tuple[TrialRecord, ...]
    best: TrialRecord | None

    def counts(self) -> dict[str, int]:
        return {s: sum(t.state == s for t in self.trials) for s in STATES}


def trial_record(frozen: Any) -> TrialRecord:
    """A plain record of optuna's FrozenTrial."""
    from playground.core.sweeps.trial_run import FAILURE_ATTR, PRUNED_ATTR, RUN_ATTR

    attrs = frozen.user_attrs
    state = _STATE_NAMES.get(frozen.state.name, frozen.state.name.lower())
    steps = {int(k): float(v) for k, v in frozen.intermediate_values.items()}
    value = frozen.value if frozen.value is not None else (steps[max(steps)] if steps and state == "pruned"
                                                           else None)
    message = attrs.get(FAILURE_ATTR, "")
    if state == "pruned" and PRUNED_ATTR in attrs:
        message = f"pruned after epoch {attrs[PRUNED_ATTR]}"
    elif state == "failed" and not message:
        message = "its worker stopped or died before it ended; it runs again"
    params = frozen.params or frozen.system_attrs.get("fixed_params", {})  # a queued trial's are fixed
    return TrialRecord(frozen.number, state, value, {k: decode(v) for k, v in params.items()},
                       attrs.get(RUN_ATTR, ""), message, steps, _stamp(frozen.datetime_start),
                       _stamp(frozen.datetime_complete))


def _stamp(moment: Any) -> float | None:
    return None if moment is None else moment.timestamp()


def best_of(trials: list[TrialRecord] | tuple[TrialRecord, ...], direction: str) -> TrialRecord | None:
    """The complete trial with the best value (the earlier on a tie)."""
    done = [t for t in trials if t.state == "complete" and t.value is not None and math.isfinite(t.value)]
    if not done:
        return None
    sign = 1.0 if direction == "maximize" else -1.0
    return max(done, key=lambda t: (sign * t.value, -t.number))


def read_sweep(name: str, storage_url: str | None = None) -> SweepSummary:
    """The sweep `name` as it stands (safe while its workers run)."""
    from playground.core.sweeps.study import load_study
    from playground.core.sweeps.trial_run import SURPLUS_ATTR

    study, spec = load_study(name, storage_url)
    trials = tuple(trial_record(t) for t in study.get_trials(deepcopy=False) if SURPLUS_ATTR not in t.user_attrs)
    return SweepSummary(spec, trials, best_of(trials, spec.direction))


def importances(name: str, storage_url: str | None = None) -> dict[str, float]:
    """optuna's importance of each varied setting (its default, PED-ANOVA, over the complete trials, summing
    to 1), most important first; {} until there are two complete trials that differ."""
    from playground.core.sweeps.storage import quiet
    from playground.core.sweeps.study import load_study

    study, _ = load_study(name, storage_url)
    import optuna

    complete = [t for t in study.get_trials(deepcopy=False) if t.state == optuna.trial.TrialState.COMPLETE]
    if len(complete) < 2 or len({str(t.params) for t in complete}) < 2:
        return {}
    try:
        with quiet():
            found = optuna.importance.get_param_importances(study)
    except (ValueError, RuntimeError, ImportError):  # too few trials for it, or a space none of them spans
        return {}
    return {k: float(v) for k, v in found.items()}

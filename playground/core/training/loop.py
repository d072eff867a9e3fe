"""One pass over the training split, for any task: order, control, reporting, evaluation.

It checks the RunControl at every batch boundary, keeps the task's losses on the device and reads them a few
times per second in one go, and answers requests for weights between steps.
"""

from __future__ import annotations

import math
import time

import torch

from playground.core.errors import TrainingFault
from playground.core.training.callbacks import Callback
from playground.core.training.control import RunControl
from playground.core.training.events import EpochMetrics, KnobChange, LayerHealth, RunNotice, StepEvent
from playground.core.training.prepared import PreparedRun

HEALTH_EVERY_S = 0.5  # how often the layers' gradient and weight norms are read and reported


class EpochLoop:
    """`train()` returns the epoch's metrics, or None when a stop was requested mid-epoch."""

    def __init__(self, run: PreparedRun, epoch: int, cb: Callback, control: RunControl, report_every_s: float,
                 run_started: float, run_id: str = "", resume_from: dict | None = None):
        self.run, self.epoch, self.cb, self.control = run, epoch, cb, control
        self.report_every_s, self.run_started, self.run_id = report_every_s, run_started, run_id
        self.names = run.task.loss_names
        self.resume_from = resume_from  # a partial_state() of this epoch: go on from that step
        self.steps_done = 0  # in this epoch, for a stop mid-epoch
        self._sums: torch.Tensor | None = None
        self._correct: torch.Tensor | None = None
        self._health_at = 0.0
        self.test_answers = None  # the classifier's (predicted, probability) on the test split, at the epoch's end
        self.knob_changes: list[KnobChange] = []

    def partial_state(self) -> dict:
        """Where a stopped epoch got to: enough for a checkpoint to go on from the very next step."""
        state = {"epoch_step": self.steps_done, "sums": self._sums.tolist(), "correct": int(self._correct),
                 "generator": self.run.generator.get_state()}
        return state

    def train(self) -> EpochMetrics | None:
        run, task = self.run, self.run.task
        bs, n_steps = run.config.batch_size, run.steps_per_epoch
        first_step = (self.epoch - 1) * n_steps
        # each epoch's order (and augmentation) follows from the seed and the epoch alone, so that a resumed
        # run repeats the uninterrupted one
        run.generator.manual_seed(run.config.seed + self.epoch - 1)
        perm = torch.randperm(len(run.train_x), device=run.device, generator=run.generator)
        task.train()
        pending: list[dict[str, torch.Tensor]] = []
        sums = self._sums = torch.zeros(len(self.names), device=run.device)
        correct_sum = self._correct = torch.zeros((), device=run.device, dtype=torch.long)
        start = self._resume(sums, correct_sum)
        t0 = last_report = time.perf_counter()
        for i in range(start, n_steps):
            self.control.gate(first_step + i)  # held while paused, one step at a time when asked
            if self.control.stop_requested:
                sums += self._report(pending, first_step + i, t0, i - start)
                self.steps_done = i
                return None
            if self.control.knobs_pending:
                self._apply_knobs(first_step + i)
            out = run.step(perm[i * bs:(i + 1) * bs])
            pending.append(out)
            if task.counts_correct:
                correct_sum += out["correct"]
            if self.control.take_weights_request():
                self.cb.on_weights(run.snapshot(first_step + i + 1, self.run_id))
            now = time.perf_counter()
            if now - last_report >= self.report_every_s or self.control.step_delay_s or self.control.paused:
                sums += self._report(pending, first_step + i + 1, t0, i + 1 - start)
                pending, last_report = [], now
                self.control.slow_motion()
        sums += self._report(pending, first_step + n_steps, t0, n_steps - start)
        self.steps_done = n_steps
        seconds = time.perf_counter() - t0
        values = {f"train_{n}": v / n_steps for n, v in zip(self.names, sums.tolist())}
        if task.counts_correct:
            values["train_accuracy"] = correct_sum.item() / (n_steps * run.samples_per_step)
        return self._metrics(values, seconds, n_steps - start)

    def _resume(self, sums: torch.Tensor, correct: torch.Tensor) -> int:
        """The step to start at: 0, or where a checkpoint of this epoch stopped (its sums and random state)."""
        state = self.resume_from
        if not state or not 0 < state["epoch_step"] < self.run.steps_per_epoch:
            return 0
        sums += torch.tensor(state["sums"], device=sums.device, dtype=sums.dtype)
        self.knob_changes = [KnobChange(**k, run_id=self.run_id) for k in state.get("knob_changes", ())]
        correct += int(state["correct"])
        self.run.generator.set_state(state["generator"])
        return int(state["epoch_step"])

    def _report(self, pending: list[dict[str, torch.Tensor]], step: int, t0: float, done_in_epoch: int) -> torch.Tensor:
        """Read the pending losses in one go, check them, and report them; returns their sums (on the device)."""
        if not pending:
            return torch.zeros(len(self.names), device=self.run.device)
        stacked = torch.stack([d[n] for d in pending for n in self.names]).view(len(pending), len(self.names))
        rows = stacked.tolist()
        self.run.threads.poll()  # the cores free now, not at the start, decide how many threads train
        columns = {n: tuple(r[j] for r in rows) for j, n in enumerate(self.names)}
        self._check_finite(columns, step)
        elapsed = time.perf_counter() - t0
        run = self.run
        rate = done_in_epoch * run.samples_per_step / max(elapsed, 1e-9)
        remaining = (run.total_steps - step) * run.samples_per_step / max(rate, 1e-9)
        self.cb.on_step(StepEvent(self.epoch, step, run.total_steps, columns, run.task.lrs, rate,
                                  time.perf_counter() - self.run_started, remaining, self.run_id))
        notice = run.task.notice({n: sum(v) / len(v) for n, v in columns.items()})
        if notice is not None:
            self.cb.on_notice(RunNotice(notice, step, run_id=self.run_id))
        self._report_health(step)
        return stacked.sum(0)

    def _apply_knobs(self, step: int) -> None:
        """Knobs the user moved: applied between two steps, reported with their old and new values."""
        for knob in self.control.take_knobs():
            try:
                old = self.run.task.apply_knob(knob.name, knob.value, knob.network)
            except (ValueError, KeyError) as e:
                self.cb.on_notice(RunNotice(f"{knob.name} was not changed: {e}", step, run_id=self.run_id))
                continue
            change = KnobChange(step, knob.name, old, knob.value, knob.network, self.run_id)
            self.knob_changes.append(change)
            self.cb.on_knob(change)

    def _report_health(self, step: int) -> None:
        now = time.perf_counter()
        if now - self._health_at < HEALTH_EVERY_S:
            return
        self._health_at = now
        names, grads, weights = self.run.task.layer_health()
        if names:
            self.cb.on_layer_health(LayerHealth(step, names, tuple(grads), tuple(weights), self.run_id))

    def _check_finite(self, columns: dict[str, tuple[float, ...]], step: int) -> None:
        for name, values in columns.items():
            if not all(math.isfinite(v) for v in values):
                what = "loss" if name == "loss" else f"{name} loss"
                first = next(j for j, v in enumerate(values) if not math.isfinite(v))  # values end at `step`
                rates = ", ".join(f"{v:g}" for v in self.run.task.lrs.values())
                raise TrainingFault(
                    f"the {what} became {values[first]} at step {step - len(values) + 1 + first}: training "
                    f"diverged. Lower the learning rate (now {rates}), add a schedule, or use batch normalisation")

    def _metrics(self, values: dict[str, float], seconds: float, steps: int) -> EpochMetrics:
        run = self.run
        for prefix, split in (("test", run.test), ("val", run.val)):
            if split is not None:
                values.update({f"{prefix}_{k}": v for k, v in run.evaluate(split).items()})
                if prefix == "test":
                    self.test_answers, run.task.last_answers = run.task.last_answers, None
        rate = steps * run.samples_per_step / max(seconds, 1e-9)
        return EpochMetrics(self.epoch, values, run.task.lrs, seconds, rate, self.run_id, tuple(self.knob_changes))

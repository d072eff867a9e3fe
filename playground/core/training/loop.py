"""One pass over the training split, for any task: order, control, reporting, evaluation.

It checks the RunControl at every batch boundary, keeps the task's losses on the device and reads them a few
times per second in one go, and answers requests for weights between steps.

Under torchrun every rank draws the same seeded order and trains on its shard of it; each report averages the
losses over the ranks in one collective that also carries a stop (any rank's) and the step of the next report
(chosen by rank 0 from its pace), so that every rank reports, and stops, at the same step.
"""

from __future__ import annotations

import math
import time
from collections.abc import Iterator
from contextlib import contextmanager

import torch

from playground.core.errors import TrainingFault
from playground.core.training.callbacks import Callback
from playground.core.training.control import RunControl, StopRequested
from playground.core.training.events import EpochMetrics, KnobChange, LayerHealth, RunNotice, StepEvent
from playground.core.training.prepared import PreparedRun
from playground.core.training.ranks import Ranks, rank_seed

MAX_REPORT_INTERVAL = 1000  # steps between two reports of a distributed run, at most
HEALTH_EVERY_S = 0.5  # how often the layers' gradient and weight norms are read and reported


def partial_for_rank(state: dict | None, ranks: Ranks) -> dict | None:
    """A stopped epoch's state as this rank goes on from it, or None (start that epoch again) where it was
    taken over another number of ranks: its steps then meant other batches."""
    if not state or state.get("world_size", 1) != ranks.world_size:
        return None
    return {**state, **state["ranks"][ranks.rank]} if ranks.distributed else state


class EpochLoop:
    """`train()` returns the epoch's metrics, or None when a stop was requested mid-epoch."""

    def __init__(self, run: PreparedRun, epoch: int, cb: Callback, control: RunControl, report_every_s: float,
                 run_started: float, run_id: str = "", resume_from: dict | None = None):
        self.run, self.epoch, self.cb, self.control = run, epoch, cb, control
        self.report_every_s, self.run_started, self.run_id = report_every_s, run_started, run_id
        self.names = run.task.loss_names
        self.ranks = run.ranks
        self.resume_from = resume_from  # a partial_state() of this epoch (see partial_for_rank): go on from there
        self.steps_done = 0  # in this epoch, for a stop mid-epoch
        self._sums: torch.Tensor | None = None
        self._correct: torch.Tensor | None = None
        self._last_report = (0.0, 0)  # (time, step in the epoch) of the last report
        self._next_report = 1  # distributed: the step in the epoch of the next report, agreed by every rank
        self._agreed_stop = False  # distributed: some rank was asked to stop, as of the last report
        self._health_at = 0.0
        self.test_answers = None  # the classifier's (predicted, probability) on the test split, at the epoch's end
        self.knob_changes: list[KnobChange] = []

    def partial_state(self) -> dict:
        """Where a stopped epoch got to: enough for a checkpoint to go on from the very next step. Under torchrun
        every rank calls it at the same step; it holds the correct answers of all and each rank's random state."""
        own = {"generator": self.run.generator.get_state(), "torch_rng": torch.get_rng_state()}
        correct = int(self.ranks.reduce(self._correct.clone(), "sum"))
        state = {"epoch_step": self.steps_done, "sums": self._sums.tolist(), "correct": correct, **own}
        if self.ranks.distributed:
            state.update(world_size=self.ranks.world_size, ranks=self.ranks.gather(own))
        return state

    def train(self) -> EpochMetrics | None:
        run, task = self.run, self.run.task
        bs, n_steps = run.config.batch_size, run.steps_per_epoch
        first_step = (self.epoch - 1) * n_steps
        order = self._order()
        task.train()
        pending: list[dict[str, torch.Tensor]] = []
        sums = self._sums = torch.zeros(len(self.names), device=run.device)
        correct_sum = self._correct = torch.zeros((), device=run.device, dtype=torch.long)
        start = self._resume(sums, correct_sum)
        t0 = time.perf_counter()
        # the first step is reported at once: the first point appears without waiting report_every_s
        self._last_report, self._next_report = (t0 - self.report_every_s, start), start + 1
        for i in range(start, n_steps):
            self.control.gate(first_step + i)  # held while paused, one step at a time when asked
            if self._stopping():
                sums += self._report(pending, first_step + i, t0, i - start)
                self.steps_done = i
                return None
            if self.control.knobs_pending:
                self._apply_knobs(first_step + i)
                # the step trained with the new value is reported at once: the curve answers the knob
                self._last_report = (time.perf_counter() - self.report_every_s, self._last_report[1])
            out = run.step(order[i * bs:(i + 1) * bs])
            pending.append(out)
            if task.counts_correct:
                correct_sum += out["correct"]
            if self.control.take_weights_request():
                self.cb.on_event(run.snapshot(first_step + i + 1, self.run_id))
            if self._report_due(i + 1):
                sums += self._report(pending, first_step + i + 1, t0, i + 1 - start)
                pending = []
                self.control.slow_motion()
        sums += self._report(pending, first_step + n_steps, t0, n_steps - start)
        self.steps_done = n_steps
        seconds = time.perf_counter() - t0
        values = {f"train_{n}": v / n_steps for n, v in zip(self.names, sums.tolist())}
        if task.counts_correct:
            correct = self.ranks.reduce(correct_sum, "sum").item()
            values["train_accuracy"] = correct / (n_steps * run.effective_batch)
        return self._metrics(values, seconds, n_steps - start)

    def _order(self) -> torch.Tensor:
        """This rank's order of the epoch. It follows from the seed and the epoch alone, so that a resumed run
        repeats the uninterrupted one; every rank draws the same one, takes its shard, and then draws random
        numbers of its own (augmentation, latent vectors)."""
        run, seed = self.run, self.run.config.seed + self.epoch - 1
        run.generator.manual_seed(seed)
        perm = torch.randperm(len(run.batches), device=run.device, generator=run.generator)
        run.batches.start_epoch(run.generator)
        if self.ranks.distributed:
            run.generator.manual_seed(rank_seed(seed, self.ranks.rank))
        return self.ranks.shard(perm)

    def _resume(self, sums: torch.Tensor, correct: torch.Tensor) -> int:
        """The step to start at: 0, or where a checkpoint of this epoch stopped (its sums and random state)."""
        state = self.resume_from
        if not state or not 0 < state["epoch_step"] <= self.run.steps_per_epoch:  # at the end: evaluate it
            return 0
        sums += torch.tensor(state["sums"], device=sums.device, dtype=sums.dtype)
        self.knob_changes = [KnobChange(**k, run_id=self.run_id) for k in state.get("knob_changes", ())]
        if self.ranks.is_zero:  # every rank's count so far: added once, before the epoch's sum over the ranks
            correct += int(state["correct"])
        self.run.generator.set_state(state["generator"])
        return int(state["epoch_step"])

    def _stopping(self) -> bool:
        """A stop asked for; under torchrun, asked on some rank as of the last report, so that all stop together."""
        return self._agreed_stop if self.ranks.distributed else self.control.stop_requested

    def _report_due(self, step_in_epoch: int) -> bool:
        """Every report_every_s, and after every step in slow motion or while stepping one at a time; under
        torchrun at the step the last report agreed on."""
        if self.ranks.distributed:
            return step_in_epoch >= self._next_report
        now = time.perf_counter()
        every_step = self.control.step_delay_s or self.control.paused
        if now - self._last_report[0] < self.report_every_s and not every_step:
            return False
        self._last_report = (now, step_in_epoch)
        return True

    def _report(self, pending: list[dict[str, torch.Tensor]], step: int, t0: float, done_in_epoch: int) -> torch.Tensor:
        """Read the pending losses in one go, check them, and report them; returns their sums (on the device)."""
        if not pending:
            return torch.zeros(len(self.names), device=self.run.device)
        stacked = torch.stack([d[n] for d in pending for n in self.names]).view(len(pending), len(self.names))
        stacked, rows = self._read(stacked, step)
        self.run.threads.poll()  # the cores free now, not at the start, decide how many threads train
        columns = {n: tuple(r[j] for r in rows) for j, n in enumerate(self.names)}
        self._check_finite(columns, step)
        elapsed = time.perf_counter() - t0
        run = self.run
        rate = done_in_epoch * run.items_per_step / max(elapsed, 1e-9)
        remaining = (run.total_steps - step) * run.items_per_step / max(rate, 1e-9)
        self.cb.on_event(StepEvent(self.epoch, step, run.total_steps, columns, run.task.lrs, rate,
                                  time.perf_counter() - self.run_started, remaining, self.run_id))
        notice = run.task.notice({n: sum(v) / len(v) for n, v in columns.items()})
        if notice is not None:
            self.cb.on_event(RunNotice(notice, step, run_id=self.run_id))
        self._report_health(step)
        return stacked.sum(0)

    def _read(self, stacked: torch.Tensor, step: int) -> tuple[torch.Tensor, list[list[float]]]:
        """The pending losses and their rows of numbers, read from the device in one go. Under torchrun they are
        averaged over the ranks first, in the one collective that also agrees on a stop and on the next report."""
        if not self.ranks.distributed:
            return stacked, stacked.tolist()
        now, in_epoch = time.perf_counter(), step - (self.epoch - 1) * self.run.steps_per_epoch
        interval = 0.0  # rank 0's choice alone: the others add nothing
        if self.ranks.is_zero:
            per_step = (now - self._last_report[0]) / max(1, in_epoch - self._last_report[1])
            interval = max(1, min(MAX_REPORT_INTERVAL, round(self.report_every_s / max(per_step, 1e-9))))
        flags = torch.tensor([float(self.control.stop_requested), interval], device=stacked.device)
        payload = self.ranks.reduce(torch.cat([stacked.flatten().float(), flags]), "sum")
        n = stacked.numel()
        payload[:n].div_(self.ranks.world_size)
        values = payload.tolist()
        self._agreed_stop = values[n] > 0
        self._last_report, self._next_report = (now, in_epoch), in_epoch + int(values[n + 1])
        width = stacked.shape[1]
        return payload[:n].view_as(stacked), [values[r * width:(r + 1) * width] for r in range(stacked.shape[0])]

    def _apply_knobs(self, step: int) -> None:
        """Knobs the user moved: applied between two steps, reported with their old and new values."""
        if self.ranks.distributed:  # a knob turned on one rank alone would set the ranks' optimizers apart
            self.control.take_knobs()
            self.cb.on_event(RunNotice("live knobs are for runs on one process; under torchrun the settings "
                                        "stay as the run began", step, run_id=self.run_id))
            return
        for knob in self.control.take_knobs():
            try:
                old = self.run.task.apply_knob(knob.name, knob.value, knob.network)
            except (ValueError, KeyError) as e:
                self.cb.on_event(RunNotice(f"{knob.name} was not changed: {e}", step, run_id=self.run_id))
                continue
            change = KnobChange(step, knob.name, old, knob.value, knob.network, self.run_id)
            self.knob_changes.append(change)
            self.cb.on_event(change)

    def _report_health(self, step: int) -> None:
        now = time.perf_counter()
        if now - self._health_at < HEALTH_EVERY_S:
            return
        self._health_at = now
        names, grads, weights = self.run.task.layer_health()
        if names:
            self.cb.on_event(LayerHealth(step, names, tuple(grads), tuple(weights), self.run_id))

    def _check_finite(self, columns: dict[str, tuple[float, ...]], step: int) -> None:
        for name, values in columns.items():
            if not all(math.isfinite(v) for v in values):
                what = "loss" if name == "loss" else f"{name} loss"
                first = next(j for j, v in enumerate(values) if not math.isfinite(v))  # values end at `step`
                rates = ", ".join(f"{v:g}" for v in self.run.task.lrs.values())
                raise TrainingFault(
                    f"the {what} became {values[first]} at step {step - len(values) + 1 + first}: training "
                    f"diverged. Lower the learning rate (now {rates}), add a schedule, or use batch normalisation")

    def _metrics(self, values: dict[str, float], seconds: float, steps: int) -> EpochMetrics | None:
        """None when a stop came while evaluating: a resume goes on from the epoch's last step, evaluating it."""
        run = self.run
        try:
            values.update(self.ranks.share(self._evaluate))  # rank 0 evaluates whole splits; every rank gets them
        except StopRequested:
            return None
        rate = steps * run.items_per_step / max(seconds, 1e-9)
        return EpochMetrics(self.epoch, values, run.task.lrs, seconds, rate, self.run_id, tuple(self.knob_changes),
                            self.ranks.world_size)

    def _evaluate(self) -> dict[str, float]:
        """Test and validation metrics of the model as it is now: on one process, the same figures a run on one
        device gets, and those rank 0 saves in its checkpoint."""
        values = {}
        with self._stop_between_batches():
            for prefix, split in (("test", self.run.test), ("val", self.run.val)):
                if split is not None and len(split[0]):  # text has no test split: its last 10% validates
                    values.update({f"{prefix}_{k}": v for k, v in self.run.evaluate(split).items()})
                    if prefix == "test":
                        self.test_answers, self.run.task.last_answers = self.run.task.last_answers, None
        return values

    @contextmanager
    def _stop_between_batches(self) -> Iterator[None]:
        """A stop asked for while the splits are evaluated (seconds for 10,000 test images on a CPU) ends the
        evaluation at its next batch: a hook before each forward of the task's networks raises StopRequested.
        Not under torchrun, where the other ranks wait for rank 0's figures, nor for a compiled model, whose
        guards a changed hook would trip."""
        if self.ranks.distributed or self.run.config.compile:
            yield
            return

        def check(module: torch.nn.Module, args: tuple) -> None:
            if self.control.stop_requested:
                raise StopRequested

        hooks = [m.register_forward_pre_hook(check) for m in self.run.task.modules.values()]
        try:
            yield
        finally:
            for hook in hooks:
                hook.remove()

"""Stop, pause, single steps, slow motion, live knobs and weight requests for a run, safe from any thread.

The Trainer checks it at every batch boundary; nothing here kills a thread.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass


class StopRequested(Exception):
    """Raised inside a long part of a run that has no training batches (a download, decoding a dataset, an
    epoch's evaluation) when the run was asked to stop: the run then ends as stopped without waiting for it."""


@dataclass(frozen=True)
class KnobRequest:
    name: str  # "lr", "momentum", "weight_decay", "l1" or "dropout"
    value: float
    network: str = ""  # one network of a GAN ("generator"), or "" for all


class RunControl:
    def __init__(self) -> None:
        self._stop = threading.Event()
        self._weights = threading.Event()
        self._lock = threading.Condition()
        self._paused = False
        self._steps_allowed = 0  # single steps granted while paused
        self._pause_at_epoch_end = False
        self._knobs: list[KnobRequest] = []
        self.stop_reason = "stopped"
        self.step_delay_s = 0.0  # slow motion: a pause after every step
        self.held_at: int | None = None  # while the run is held: the steps done so far

    # -- stopping --------------------------------------------------------------------------------------------
    def stop(self, reason: str = "stopped") -> None:
        """End the run at the next batch boundary; `reason` is what it ends as ("stopped", or "interrupted" for a
        signal or a closing app)."""
        with self._lock:
            if not self._stop.is_set():
                self.stop_reason = reason
            self._stop.set()
            self._paused = False
            self._lock.notify_all()  # a paused run must wake up to stop

    def interrupt(self) -> None:
        self.stop("interrupted")

    @property
    def stop_requested(self) -> bool:
        return self._stop.is_set()

    # -- pausing and single steps ----------------------------------------------------------------------------
    def pause(self) -> None:
        with self._lock:
            if not self._stop.is_set():
                self._paused = True

    def resume(self) -> None:
        with self._lock:
            self._paused, self._pause_at_epoch_end = False, False
            self._lock.notify_all()

    @property
    def paused(self) -> bool:
        return self._paused

    def step_once(self) -> None:
        """While paused: train exactly one more batch, then hold again."""
        with self._lock:
            self._paused = True
            self._steps_allowed += 1
            self._lock.notify_all()

    def finish_epoch(self) -> None:
        """Train to the end of the current epoch, then hold."""
        with self._lock:
            self._pause_at_epoch_end = True
            self._paused = False
            self._lock.notify_all()

    def gate(self, steps_done: int = 0) -> None:
        """Called before every step: returns at once when running, else when resumed, stopped or given a step."""
        if not self._paused:
            return
        with self._lock:
            while self._paused and not self._stop.is_set() and self._steps_allowed == 0:
                self.held_at = steps_done
                self._lock.wait()
            self.held_at = None
            if self._paused and self._steps_allowed > 0:
                self._steps_allowed -= 1

    def wait_while_paused(self, timeout: float | None = None) -> None:
        with self._lock:
            if self._paused and not self._stop.is_set():
                self._lock.wait(timeout)

    def epoch_ended(self) -> None:
        """Called by the Trainer after each epoch: holds there if finish_epoch() asked for it."""
        with self._lock:
            if self._pause_at_epoch_end:
                self._pause_at_epoch_end, self._paused = False, True

    def slow_motion(self) -> None:
        """The slow-motion pause after a step; a stop ends it at once."""
        if self.step_delay_s > 0:
            self._stop.wait(self.step_delay_s)

    # -- live knobs ------------------------------------------------------------------------------------------
    def set_knob(self, name: str, value: float, network: str = "") -> None:
        """Change a hyperparameter at the next step (the trainer applies it between steps)."""
        with self._lock:
            self._knobs.append(KnobRequest(name, float(value), network))

    @property
    def knobs_pending(self) -> bool:
        return bool(self._knobs)

    def take_knobs(self) -> list[KnobRequest]:
        with self._lock:
            knobs, self._knobs = self._knobs, []
        return knobs

    # -- weights for the views -------------------------------------------------------------------------------
    def request_weights(self) -> None:
        """Ask for a WeightsSnapshot at the next batch boundary."""
        self._weights.set()

    def take_weights_request(self) -> bool:
        if self._weights.is_set():
            self._weights.clear()
            return True
        return False

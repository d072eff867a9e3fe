"""The thread governor: as many torch threads as the cores that other processes leave free."""

from __future__ import annotations

import torch

from playground.core.training.cpu_threads import ThreadGovernor, threads_for


def test_threads_follow_the_free_cores():
    assert threads_for(2, 0.0, 2) == 2
    assert threads_for(2, 0.2, 2) == 2  # a little background work does not cost a thread
    assert threads_for(2, 0.9, 2) == 1  # one busy core: train on the other
    assert threads_for(2, 2.0, 2) == 1  # never fewer than one
    assert threads_for(16, 3.0, 8) == 8  # never more than asked for


class _FakeMachine:
    """CPU seconds as the governor samples them: others use `others` cores, this process `own` cores."""

    def __init__(self):
        self.now, self.total, self.own = 0.0, 0.0, 0.0

    def run(self, seconds: float, others: float, own: float) -> None:
        self.now += seconds
        self.own += own * seconds
        self.total += (others + own) * seconds

    def sample(self) -> tuple[float, float]:
        return self.total, self.own


def test_the_count_is_re_decided_while_the_load_changes():
    before = torch.get_num_threads()
    machine = _FakeMachine()
    governor = ThreadGovernor(2, interval_s=0.5, sample=machine.sample, clock=lambda: machine.now, cores=2)
    try:
        assert governor.threads == 2
        machine.run(0.6, others=1.0, own=1.0)  # another process keeps one core busy
        assert governor.poll() == 1 and torch.get_num_threads() == 1
        machine.run(0.2, others=0.0, own=1.0)
        assert governor.poll() == 1  # the interval has not passed: no new decision
        machine.run(0.6, others=0.0, own=1.0)  # it has ended
        assert governor.poll() == 2 and torch.get_num_threads() == 2
        assert governor.changes == 2
    finally:
        torch.set_num_threads(before)

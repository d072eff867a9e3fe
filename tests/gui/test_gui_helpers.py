"""The window's Qt-free helpers: throttling, plot buffers, smoothing, number formats, the 1-2-5 spin steps."""

from __future__ import annotations

import math

import numpy as np
import pytest

from playground.core.training.events import LoadProgress, StepEvent
from playground.gui import formatting
from playground.gui.plots.series import Series, Smoother
from playground.gui.settings.spin_boxes import nice_step
from playground.gui.training.throttle import ProgressLimiter, StepMerger


class FakeClock:
    def __init__(self):
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def _step(step: int, losses: tuple[float, ...]) -> StepEvent:
    return StepEvent(1, step, 1000, {"loss": losses}, {"lr": 0.1}, 100.0, 1.0, 2.0)


def test_step_merger_lets_at_most_30_per_second_through_and_loses_no_loss():
    clock = FakeClock()
    merger = StepMerger(1 / 30, clock)
    sent = []
    for i in range(1, 1001):  # 1000 events in one second
        clock.now = i / 1000
        if (event := merger.add(_step(i, (float(i),)))) is not None:
            sent.append(event)
    if (rest := merger.flush()) is not None:
        sent.append(rest)
    assert len(sent) <= 31
    assert [v for e in sent for v in e.losses["loss"]] == [float(i) for i in range(1, 1001)]
    assert sent[-1].step == 1000


def test_progress_limiter_passes_new_messages_and_the_end():
    clock = FakeClock()
    limiter = ProgressLimiter(1 / 30, clock)
    assert limiter.allow(LoadProgress("Downloading a", 1, 100))
    assert not limiter.allow(LoadProgress("Downloading a", 2, 100))
    assert limiter.allow(LoadProgress("Downloading a", 100, 100))
    assert limiter.allow(LoadProgress("Decoding", 0, 4))
    clock.now = 1.0
    assert limiter.allow(LoadProgress("Decoding", 1, 4))


def test_series_grows_past_its_capacity_and_finds_the_nearest_point():
    s = Series(capacity=4)
    s.extend(np.arange(10.0), np.arange(10.0) * 2)
    s.append(10, 20)
    assert len(s) == 11 and s.x[-1] == 10 and s.y[3] == 6
    assert s.nearest(3.4) == (3.0, 6.0) and s.nearest(-5) == (0.0, 0.0) and s.nearest(99) == (10.0, 20.0)
    s.clear()
    assert s.nearest(1.0) is None


def test_smoother_starts_at_the_first_value_and_follows_a_constant():
    smoother = Smoother(0.9)
    out = smoother.feed(np.array([2.0, 2.0, 2.0]))
    assert np.allclose(out, 2.0)


@pytest.mark.parametrize(("value", "steps", "expected"), [
    (0.001, 1, 0.002), (0.002, 1, 0.005), (0.005, 1, 0.01), (0.01, -1, 0.005), (0.001, -2, 0.0002),
    (0.0, 1, 1e-6), (1e-6, -1, 0.0)])
def test_nice_step_walks_the_1_2_5_ladder(value, steps, expected):
    assert math.isclose(nice_step(value, steps, 1e-6), expected, rel_tol=1e-9, abs_tol=1e-15)


def test_formats():
    assert formatting.duration(65) == "1:05" and formatting.duration(3723) == "1:02:03"
    assert formatting.duration(float("inf")) == "–"
    assert formatting.shape((1, 28, 28)) == "1 × 28 × 28"
    assert formatting.percent(0.9812) == "98.1%" and formatting.option_label("batch_norm") == "Batch norm"

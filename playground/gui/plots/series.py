"""Growing numpy buffers for plot curves, and the smoothing of a noisy loss curve (Qt-free)."""

from __future__ import annotations

import numpy as np


class Series:
    """x/y values in preallocated arrays that double when full, so appending is cheap and setData gets views."""

    def __init__(self, capacity: int = 4096):
        self._x = np.empty(capacity, dtype=np.float64)
        self._y = np.empty(capacity, dtype=np.float64)
        self._n = 0

    def __len__(self) -> int:
        return self._n

    @property
    def x(self) -> np.ndarray:
        return self._x[:self._n]

    @property
    def y(self) -> np.ndarray:
        return self._y[:self._n]

    def clear(self) -> None:
        self._n = 0

    def append(self, x: float, y: float) -> None:
        self.extend(np.array([x], dtype=np.float64), np.array([y], dtype=np.float64))

    def extend(self, xs: np.ndarray, ys: np.ndarray) -> None:
        k = len(xs)
        if self._n + k > len(self._x):
            capacity = max(2 * len(self._x), self._n + k)
            self._x = np.resize(self._x, capacity)  # np.resize copies the old values into the new array
            self._y = np.resize(self._y, capacity)
        self._x[self._n:self._n + k] = xs
        self._y[self._n:self._n + k] = ys
        self._n += k

    def nearest(self, x: float) -> tuple[float, float] | None:
        """The point whose x is closest to `x` (x must be increasing), or None when empty."""
        if self._n == 0:
            return None
        xs = self.x
        i = int(np.clip(np.searchsorted(xs, x), 1, self._n - 1)) if self._n > 1 else 0
        if self._n > 1 and abs(xs[i - 1] - x) <= abs(xs[i] - x):
            i -= 1
        return float(xs[i]), float(self._y[i])


class Smoother:
    """An exponential moving average with bias correction, as TensorBoard draws its smoothed curves."""

    def __init__(self, weight: float = 0.95):
        self.weight = weight
        self._value = 0.0
        self._count = 0

    def reset(self) -> None:
        self._value, self._count = 0.0, 0

    def feed(self, values: np.ndarray) -> np.ndarray:
        out = np.empty(len(values), dtype=np.float64)
        w = self.weight
        if w <= 0:
            out[:] = values
            return out
        for i, v in enumerate(values):  # a few dozen values per call: a plain loop is fine
            self._value = w * self._value + (1 - w) * float(v)
            self._count += 1
            out[i] = self._value / (1 - w ** self._count)
        return out


def smooth(values: np.ndarray, weight: float) -> np.ndarray:
    """The whole series smoothed as Smoother would have fed it (when the smoothing factor changes)."""
    smoother = Smoother(weight)
    return smoother.feed(values) if weight > 0 else np.asarray(values, dtype=np.float64).copy()

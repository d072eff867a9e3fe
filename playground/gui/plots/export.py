"""Every point of the plots as CSV: each step's losses (raw and smoothed), rates and knob changes; each epoch's
figures."""

from __future__ import annotations

import csv

import numpy as np


def steps_csv(path: str, curves, knob_changes: list) -> None:
    """One row per step: step, each loss and its smoothed value, each learning rate, the knob moved there."""
    steps = curves.main_raw.x.astype(int)
    columns: list[tuple[str, np.ndarray]] = []
    for i, name in enumerate(curves.names):
        label = "loss" if i == 0 and name == "loss" else name
        columns += [(label, _on(steps, curves.raw[name])), (f"smoothed_{label}", _on(steps, curves.smoothed[name]))]
    for name, series in curves.lrs.items():
        columns.append(("lr" if name == "lr" else f"lr_{name}", _on(steps, series, fill_forward=True)))
    knobs = {}
    for change in knob_changes:
        where = f" ({change.network})" if change.network else ""
        knobs.setdefault(change.step, []).append(f"{change.name}{where} {change.old:g}->{change.new:g}")
    with open(path, "w", newline="", encoding="utf-8") as f:
        out = csv.writer(f)
        out.writerow(["step", *(c for c, _ in columns), "knob_change"])
        for row, step in enumerate(steps):
            out.writerow([step, *(_cell(v[row]) for _, v in columns), "; ".join(knobs.get(int(step), []))])


def epochs_csv(path: str, runs: list[tuple[str, list]]) -> None:
    """One row per epoch of each (run name, EpochMetrics list), the run named in the first column."""
    rows = [{"run": name, **m.to_dict()} for name, epochs in runs for m in epochs]
    fields = list(dict.fromkeys(["run", *(k for row in rows for k in row)]))
    with open(path, "w", newline="", encoding="utf-8") as f:
        out = csv.writer(f)
        out.writerow(fields)
        out.writerows([["" if row.get(k) is None else row[k] for k in fields] for row in rows])


def _on(steps: np.ndarray, series, fill_forward: bool = False) -> np.ndarray:
    """The series' values at these steps (NaN where it has none; the last value before, for rates)."""
    out = np.full(len(steps), np.nan)
    if len(series) == 0:
        return out
    xs, ys = series.x.astype(int), series.y
    if fill_forward:
        idx = np.searchsorted(xs, steps, side="right") - 1
        ok = idx >= 0
        out[ok] = ys[idx[ok]]
        return out
    pos = np.searchsorted(xs, steps)
    ok = (pos < len(xs)) & (xs[np.minimum(pos, len(xs) - 1)] == steps)
    out[ok] = ys[pos[ok]]
    return out


def _cell(value: float) -> str:
    return "" if not np.isfinite(value) else repr(float(value))

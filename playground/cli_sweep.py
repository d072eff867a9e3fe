"""`playground sweep`: try many settings, each trial a recorded run, on optuna.

    playground sweep --config sweep.toml                      a [sweep] table beside an ordinary run config
    playground sweep --arch mlp --dataset spiral --vary lr=log:1e-4:1e-1 --trials 20 --workers 2
    playground sweep show NAME [--json]                       the trials and the best
    playground sweep NAME --resume                            go on with a stopped sweep
    playground sweep --join NAME --storage postgresql://...   one more worker, on any machine

Imports only the standard library at module level: the core (optuna, torch) loads inside the commands.
"""

from __future__ import annotations

import argparse
import json
import signal
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

VARY_HELP = ("a setting to vary (repeatable): NAME=log:LOW:HIGH (log-uniform), NAME=LOW:HIGH (uniform), "
             "NAME=int:LOW:HIGH, or NAME=A,B,C (lists as [32],[64,64]); NAME may be dotted: arch_options.hidden, "
             "layers.2.out_features")


def add_sweep_parser(sub: Any) -> None:
    from playground.cli import _add_config_flags

    p = sub.add_parser("sweep", help="try many settings at once: every trial a recorded run (optuna)",
                       description="A sweep over settings; `sweep show NAME` lists one, `sweep NAME --resume` "
                                   "goes on with one, `sweep --join NAME` adds a worker.",
                       formatter_class=argparse.ArgumentDefaultsHelpFormatter)
    p.add_argument("words", nargs="*", metavar="[show] NAME", help="show NAME, or NAME with --resume")
    _add_config_flags(p)
    p.add_argument("--config", metavar="FILE.toml", help="a run config with a [sweep] table (flags override it)")
    p.add_argument("--preset", metavar="NAME", help="named settings to start from")
    p.add_argument("--name", metavar="NAME", help="the sweep's name (default: ARCH-DATASET-sweep)")
    p.add_argument("--vary", action="append", default=[], metavar="NAME=VALUES", help=VARY_HELP)
    p.add_argument("--trials", type=int, help="trials in all [20; a grid: its size]")
    p.add_argument("--strategy", choices=("grid", "random", "tpe"), help="how settings are picked [tpe]")
    p.add_argument("--metric", help="the epoch metric to optimise [test_accuracy for a classifier, else test_loss]")
    p.add_argument("--direction", choices=("maximize", "minimize"), help="[from the metric]")
    p.add_argument("--prune", choices=("median", "none"), help="stop poor trials early [median]")
    p.add_argument("--workers", type=int, help="trials at once on this machine, each in its own process [1]")
    p.add_argument("--storage", metavar="URL", help="the study's database: postgresql://USER:PASSWORD@HOST/DB "
                   "for several machines (default: an SQLite file beside the run store)")
    p.add_argument("--resume", action="store_true", help="go on with the sweep NAME")
    p.add_argument("--join", metavar="NAME", help="run trials of the sweep NAME as one more worker")
    p.add_argument("--json", action="store_true", help="show: one JSON object per line and trial")
    p.set_defaults(run=run_sweep_command)


def run_sweep_command(args: argparse.Namespace) -> int:
    from playground.core.errors import ConfigError

    words = args.words
    if args.join:
        return _join(args)
    if words[:1] == ["show"] and len(words) == 2:
        return _show(words[1], args.storage, args.json)
    if len(words) == 1 and args.resume:
        return _resume(words[0], args)
    if not words and not args.resume:
        return _new(args)
    raise ConfigError([("sweep", "use `playground sweep --config F` or flags with --vary, `playground sweep show "
                                 "NAME`, `playground sweep NAME --resume` or `playground sweep --join NAME`")])


def _new(args: argparse.Namespace) -> int:
    from playground.cli import build_config
    from playground.core.sweeps import read_sweep_table

    args.config_skip = ("sweep",)
    config = build_config(args)  # before torch: a bad setting is reported at once
    table = read_sweep_table(args.config) if args.config else {}
    spec = _spec(args, config, table)
    from playground.core.sweeps import check_space, run_sweep

    resolved = spec.resolved()
    check_space(resolved.config, list(resolved.space))  # every mistake before the first trial
    for note in resolved.notes:
        _say(f"playground: {note}")
    _say(resolved.describe() + (f"; {spec.workers} workers" if spec.workers > 1 else ""))
    return _running(args, lambda setup, told: run_sweep(spec, args.storage, setup, told))


def _spec(args: argparse.Namespace, config: Any, table: dict[str, Any]) -> Any:
    """The [sweep] table of the file, under the flags: --vary adds to (or replaces) its space."""
    from playground.core.sweeps import SweepSpec, parse_space, parse_vary, unique_name

    keys = ("trials", "strategy", "metric", "direction", "prune", "workers")
    settings = {k: table[k] for k in keys if k in table}
    settings.update({k: getattr(args, k) for k in keys if getattr(args, k) is not None})
    space = {p.path: p for p in parse_space(table["space"])} if "space" in table else {}
    space.update({p.path: p for p in map(parse_vary, args.vary)})
    name = args.name or table.get("name") or unique_name(f"{config.arch}-{config.dataset}-sweep", args.storage)
    return SweepSpec(name=str(name), config=config, space=tuple(space.values()), **settings)


def _resume(name: str, args: argparse.Namespace) -> int:
    from playground.core.sweeps import resume

    _say(f"sweep {name}: going on")
    return _running(args, lambda setup, told: resume(name, args.storage, args.workers or 1, args.trials, setup,
                                                      told))


def _join(args: argparse.Namespace) -> int:
    from playground.core.sweeps import read_sweep, run_worker

    def work(setup: Any, told: Any) -> Any:
        run_worker(args.join, args.storage, setup, told)
        return read_sweep(args.join, args.storage)

    return _running(args, work, summary=False)


def _running(args: argparse.Namespace, work: Any, summary: bool = True) -> int:
    """Run the sweep's work here, a line per trial; Ctrl+C (SIGTERM) stops the trial running and the sweep."""
    from playground.core.sweeps import SweepStopped, TrialSetup

    setup = TrialSetup(threads=args.threads or 0)
    with _signals(setup) as received:
        try:
            result = work(setup, _tell_trial)
        except SweepStopped as e:
            _say(f"playground: {e}")
            return 128 + (received[0] if received else signal.SIGINT)
    if summary:
        _print_summary(result)
    return 0


@contextmanager
def _signals(setup: Any) -> Iterator[list[int]]:
    """The first SIGINT or SIGTERM stops the trial running (its settings run again on resume); a second, or
    one between trials, leaves at once."""
    import threading

    received: list[int] = []

    def handle(signum: int, frame: Any) -> None:
        control = setup.current
        if received or control is None or control.stop_requested:
            raise KeyboardInterrupt
        received.append(signum)
        control.interrupt()
        _say(f"playground: {signal.Signals(signum).name} received: stopping this trial (again to quit at once)")

    if threading.current_thread() is not threading.main_thread():
        yield received
        return
    previous = {s: signal.signal(s, handle) for s in (signal.SIGINT, signal.SIGTERM)}
    try:
        yield received
    finally:
        for s, handler in previous.items():
            signal.signal(s, signal.SIG_DFL if handler is None else handler)


def _shown(value: Any) -> str:
    return f"{value:.4g}" if isinstance(value, float) else json.dumps(value)


def _tell_trial(record: Any) -> None:
    value = "" if record.value is None else f" value={record.value:.4f}"
    params = " ".join(f"{k}={_shown(v)}" for k, v in record.params.items())
    why = f" ({record.message})" if record.message and record.state != "complete" else ""
    run = f" run={record.run}" if record.run else ""
    print(f"trial {record.number} {record.state}{value} {params}{run}{why}", flush=True)


def _print_summary(summary: Any) -> None:
    spec, best = summary.spec, summary.best
    counts = ", ".join(f"{n} {s}" for s, n in summary.counts().items() if n)
    print(f"Sweep {spec.name}: {counts or 'no trials yet'}; {spec.direction} {spec.metric}", flush=True)
    if best is not None:
        params = " ".join(f"{k}={_shown(v)}" for k, v in best.params.items())
        print(f"best: trial {best.number} {spec.metric}={best.value:.4f} {params} run={best.run}", flush=True)
    _say(f"playground sweep show {spec.name} lists its trials; playground runs show RUN shows one")


def _show(name: str, storage: str | None, as_json: bool) -> int:
    from playground.core.sweeps import importances, read_sweep

    summary = read_sweep(name, storage)
    if as_json:
        for trial in summary.trials:
            print(json.dumps(trial.to_json()))
        return 0
    spec = summary.spec
    print(spec.describe())
    paths = [p.path for p in spec.space]
    widths = [max(len(p), 10) for p in paths]
    print("  ".join(["trial", "state   ", f"{spec.metric:>14}", *(f"{p:{w}}" for p, w in zip(paths, widths)), "run"]))
    for t in summary.trials:
        value = "" if t.value is None else f"{t.value:.4f}"
        params = (f"{_shown(t.params.get(p)):{w}}" for p, w in zip(paths, widths))
        print("  ".join([f"{t.number:>5}", f"{t.state:8}", f"{value:>14}", *params, t.run or "-"]))
    _print_summary(summary)
    found = importances(name, storage)
    if found:
        print("importance: " + ", ".join(f"{k} {v:.2f}" for k, v in found.items()))
    return 0


def _say(line: str) -> None:
    print(line, file=sys.stderr, flush=True)

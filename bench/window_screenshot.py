"""A screenshot of the real window while a run trains: what a user sees, for the README and for checking a change.

    xvfb-run -a -s "-screen 0 1600x1000x24" python bench/window_screenshot.py OUT.png \
        [--arch mlp] [--dataset spiral] [--set epochs=20 --set dataset_options.features=x,y,x2,y2] \
        [--dock network] [--steps 300] [--after-s 0] [--stop]

The picture is taken once the run has trained --steps steps (0: right after Train) and --after-s more seconds have
passed; --dock brings that dock forward first. --stop takes it after the run has been stopped instead.
"""

from __future__ import annotations

import argparse
import ast
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from app_driver import TrainingDriver, make_app, settle  # noqa: E402


def _value(text: str):
    try:
        return ast.literal_eval(text)
    except (ValueError, SyntaxError):
        return text


def _settings(pairs: list[str]) -> dict:
    """--set key=value pairs; a dotted key sets inside a dict field (dataset_options.features=x,y)."""
    out: dict = {}
    for pair in pairs:
        key, _, raw = pair.partition("=")
        if "." in key:
            field, sub = key.split(".", 1)
            out.setdefault(field, {})[sub] = _value(raw)
        else:
            out[key] = _value(raw)
    return out


def main() -> int:
    args = _parse()
    app = make_app()
    from playground.core.config import TrainConfig

    config = TrainConfig(arch=args.arch, dataset=args.dataset, **_settings(args.set))
    driver = TrainingDriver(config, lambda e: None)
    window = driver.window
    window.showMaximized()
    if args.dock:
        window.docks.bring_forward(args.dock)
    driver.start()

    def step() -> int:
        run = window.session.run
        return run.last_step.step if run is not None and run.last_step is not None else 0

    if not settle(app, lambda: step() >= args.steps, args.timeout):
        print(f"the run did not get that far (step {step()}: {window.status.currentMessage()})", file=sys.stderr)
    settle(app, lambda: False, args.after_s)
    if args.stop:
        window.run_controller.stop()
        settle(app, lambda: not window.run_controller.active, 60)
        settle(app, lambda: False, 1.0)
    window.grab().save(str(args.out))
    print(f"{args.out} at step {step():,}")
    window.run_controller.stop()
    settle(app, lambda: not window.run_controller.active, 60)
    window.close()
    return 0


def _parse() -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("out", type=Path)
    p.add_argument("--arch", default="mlp")
    p.add_argument("--dataset", default="spiral")
    p.add_argument("--set", action="append", default=[], help="a TrainConfig field, key=value")
    p.add_argument("--dock", default="", help="bring this dock forward (its declared name)")
    p.add_argument("--steps", type=int, default=0)
    p.add_argument("--after-s", type=float, default=0.0)
    p.add_argument("--stop", action="store_true")
    p.add_argument("--timeout", type=float, default=600)
    return p.parse_args()


if __name__ == "__main__":
    sys.exit(main())

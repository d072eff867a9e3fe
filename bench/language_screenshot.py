"""Screenshots of a gpt learning to write, in the real window: the Text panel mid-training, then the Attention view.

    xvfb-run -a -s "-screen 0 1600x1000x24" python bench/language_screenshot.py docs/gpt-writing.png \
        docs/attention.png [--steps 1500] [--arch gpt] [--dataset shakespeare]

The run uses the architecture's defaults; the first picture is taken once it has trained --steps steps and the
Text panel has written from its weights, the second once the Attention view has shown the heads of a later step.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from PySide6.QtCore import Qt

sys.path.insert(0, str(Path(__file__).resolve().parent))
from app_driver import TrainingDriver, make_app, settle  # noqa: E402


def main() -> int:
    args = _parse()
    app = make_app()
    from playground.core.config import TrainConfig
    from playground.core.models.catalogue import ARCH_CATALOGUE

    config = TrainConfig(arch=args.arch, dataset=args.dataset, **ARCH_CATALOGUE[args.arch].run_defaults_for("text"))
    driver = TrainingDriver(config, lambda e: None)
    window = driver.window
    window.showMaximized()
    driver.start()
    text = window.docks.views["text"]

    def step() -> int:
        run = window.session.run
        return run.last_step.step if run is not None and run.last_step is not None else 0

    if not settle(app, lambda: step() >= args.steps and text.output.toPlainText(), args.timeout):
        print(f"the run did not get that far in time (step {step()}: {window.status.currentMessage()})",
              file=sys.stderr)
        return 1
    settle(app, lambda: False, 2.5)  # the text of a snapshot at about that step
    window.grab().save(str(args.text_out))
    window.docks.bring_forward("attention")
    view = window.docks.views["attention"]
    window.resizeDocks([window.docks.docks["attention"]], [620], Qt.Orientation.Horizontal)
    seen = step()
    settle(app, lambda: view.maps is not None and (view.maps.step or 0) > seen, args.timeout)
    view._on_grid_cell_clicked(len(view.maps.pictures) - 1, 1)  # the last layer's second head, large
    settle(app, lambda: False, 0.5)
    window.grab().save(str(args.attention_out))
    print(f"{args.text_out} at step {seen:,}; {args.attention_out} at step {view.maps.step:,}")
    window.run_controller.stop()
    settle(app, lambda: not window.run_controller.active, 60)
    window.close()
    return 0


def _parse() -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("text_out", type=Path)
    p.add_argument("attention_out", type=Path)
    p.add_argument("--steps", type=int, default=1500)
    p.add_argument("--arch", default="gpt")
    p.add_argument("--dataset", default="shakespeare")
    p.add_argument("--timeout", type=float, default=600)
    return p.parse_args()


if __name__ == "__main__":
    sys.exit(main())

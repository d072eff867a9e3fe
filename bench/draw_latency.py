"""How long from the last mouse move of a drawing to the updated prediction, in the real event loop.

A robot sends mouse events to the drawing panel's canvas on a schedule (like a mouse at 125 Hz) while
the Qt event loop runs as in the app: each event goes out from a precise timer, so it waits behind a
prediction that is running, as a real one would. For every drawn digit, the latency is measured from
the time the last move was due to the `prediction_updated` signal (the label is set just before it).
With --training, seed-cnn trains on MNIST in a thread of the same process at the app's lower thread
priority, with weight snapshots flowing to the panel, as in the app while a run goes on.

Garbage collection follows the app's policy (gui/gui_gc.py: automatic collection off, a GUI-thread timer collects
once a second, torch's objects frozen); --automatic-gc measures with Python's automatic collection instead, as
figures before 2026-12-08 did.

    python bench/draw_latency.py [--digits 150] [--interval-ms 8] [--training] [--paint] [--automatic-gc]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import threading
import time

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QEvent, QObject, QPointF, Qt, QTimer, Signal, Slot  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402
from synthetic_handwriting import handwriting_set  # noqa: E402
from synthetic_input import send_mouse, to_widget  # noqa: E402

from playground.gui.drawing.panel import DrawingPanel  # noqa: E402

MOVE, PRESS, RELEASE = QEvent.Type.MouseMove, QEvent.Type.MouseButtonPress, QEvent.Type.MouseButtonRelease


class MouseRobot(QObject):
    """Plays digits onto the canvas from a timer, one event per interval, and times each digit's last move."""

    done = Signal()

    def __init__(self, panel: DrawingPanel, digits: list, interval_ms: float, paint: bool):
        super().__init__()
        self.panel, self.interval_s, self.paint = panel, interval_ms / 1000, paint
        self.events = [self._events_of(d) for d in digits]
        self.latencies: list[float] = []
        self.move_costs: list[float] = []
        self.send_delays: list[float] = []  # how late the last moves went out (the machine, or a prediction)
        self.updates_while_drawing = 0
        self._digit = self._index = 0
        self._due = 0.0
        self._waiting_since: float | None = None  # the last move's due time, until the prediction arrives
        self._timer = QTimer(self, singleShot=True, timerType=Qt.TimerType.PreciseTimer)
        self._timer.timeout.connect(self._on_timer_timeout)
        self.missed = 0  # digits whose last move brought no prediction within a second (should stay 0)
        self._watchdog = QTimer(self, singleShot=True, interval=1000)
        self._watchdog.timeout.connect(self._on_watchdog_timeout)
        panel.prediction_updated.connect(self._on_panel_prediction_updated)

    def _events_of(self, digit) -> list[tuple[QEvent.Type, QPointF, bool]]:
        out = []
        for stroke in digit.strokes:
            points = [to_widget(self.panel.canvas, x, y) for x, y in stroke]
            points = [QPointF(round(p.x()), round(p.y())) for p in points]  # a mouse reports whole pixels
            points = points[:1] + [p for prev, p in zip(points, points[1:]) if p != prev]  # and only changes
            out += [(PRESS, points[0], False)] + [(MOVE, p, i == len(points) - 2) for i, p in enumerate(points[1:])]
            out.append((RELEASE, points[-1], False))
        last_move = max(i for i, e in enumerate(out) if e[0] == MOVE)
        return [(kind, pos, i == last_move) for i, (kind, pos, _) in enumerate(out)]

    def start(self) -> None:
        self.panel.canvas.clear()
        self._due = time.perf_counter() + self.interval_s
        self._timer.start(0)

    @Slot()
    def _on_timer_timeout(self) -> None:
        kind, pos, is_last_move = self.events[self._digit][self._index]
        started = time.perf_counter()
        if is_last_move:
            self.send_delays.append(started - self._due)
        send_mouse(self.panel.canvas, kind, pos, pressed=kind != RELEASE)
        if kind == MOVE:
            self.move_costs.append(time.perf_counter() - started)
        if is_last_move:
            self._waiting_since = self._due
            self._watchdog.start()
            return  # the next events wait for the prediction
        self._next()

    @Slot()
    def _on_watchdog_timeout(self) -> None:
        self.missed += 1
        self._waiting_since = None
        self._due = time.perf_counter()
        self._next()

    def _next(self) -> None:
        self._index += 1
        if self._index == len(self.events[self._digit]):
            self._digit, self._index = self._digit + 1, 0
            if self._digit == len(self.events):
                self.done.emit()
                return
            self.panel.canvas.clear()
        self._due += self.interval_s
        self._timer.start(max(0, round((self._due - time.perf_counter()) * 1000)))

    @Slot(object)
    def _on_panel_prediction_updated(self, probs: object) -> None:
        if self._waiting_since is None:
            self.updates_while_drawing += probs is not None
            return
        if self.paint:
            self.panel.repaint()  # count the painting of the new answer too
        self.latencies.append(time.perf_counter() - self._waiting_since)
        self._watchdog.stop()
        self._waiting_since = None
        self._due = time.perf_counter()
        self._next()


def start_training(panel: DrawingPanel):
    """seed-cnn on MNIST in a thread of this process, its snapshots delivered to the panel (queued)."""
    from playground.core.config import TrainConfig
    from playground.core.training.callbacks import Callback
    from playground.core.training.control import RunControl
    from playground.core.training.trainer import Trainer
    from playground.gui.training.thread_priority import lower_current_thread_priority

    class Relay(QObject, Callback):
        weights = Signal(object)
        snapshots = 0
        samples_per_s = 0.0

        def on_weights(self, snapshot) -> None:
            self.snapshots += 1
            self.weights.emit(snapshot)

        def on_step(self, event) -> None:
            self.samples_per_s = event.samples_per_s

    relay, control = Relay(), RunControl()
    relay.weights.connect(panel.on_weights)
    asker = WeightsAsker(panel, control)  # as the app's run controller does for the views that want weights
    config = TrainConfig(epochs=50, device="cpu")

    def train() -> None:
        lower_current_thread_priority()  # as the app's training worker does
        Trainer().fit(config, relay, control)

    thread = threading.Thread(target=train, daemon=True)
    thread.start()
    panel.set_training(True)
    time.sleep(5)  # let the dataset load and the loop reach full speed
    relay.asker = asker
    return relay, control, thread


class WeightsAsker(QObject):
    """Asks the run for weights as often as the panel tells its session it wants them."""

    def __init__(self, panel, control):
        super().__init__(panel)
        self._panel, self._control = panel, control
        self._timer = QTimer(self, interval=50)
        self._timer.timeout.connect(self._on_timer_timeout)
        self._timer.start()
        self._last = 0.0

    @Slot()
    def _on_timer_timeout(self) -> None:
        every = self._panel.session.snapshot_interval_ms
        if every is not None and time.monotonic() - self._last >= every / 1000:
            self._last = time.monotonic()
            self._control.request_weights()


def report(name: str, seconds: list[float]) -> str:
    ms = sorted(s * 1000 for s in seconds)
    p95 = ms[min(len(ms) - 1, round(0.95 * (len(ms) - 1)))]
    return f"{name}: n={len(ms)} p50={statistics.median(ms):.2f} ms p95={p95:.2f} ms max={ms[-1]:.2f} ms"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--digits", type=int, default=150, help="digits to draw (default: %(default)s)")
    parser.add_argument("--interval-ms", type=float, default=8.0, help="time between mouse events (default: 8)")
    parser.add_argument("--training", action="store_true", help="train seed-cnn in the same process meanwhile")
    parser.add_argument("--paint", action="store_true", help="include repainting the panel in the latency")
    parser.add_argument("--gui-threads", type=int, default=0,
                        help="torch threads of the GUI thread (0: leave PyTorch's default, as the app does)")
    parser.add_argument("--switch-interval", type=float, default=0.0,
                        help="Python's GIL switch interval in ms (0: leave the default, 5 ms)")
    parser.add_argument("--size", type=int, nargs=2, default=(900, 520), help="panel size (default: 900 520)")
    parser.add_argument("--automatic-gc", action="store_true",
                        help="Python's automatic collection, not the app's GUI-thread timer (as earlier figures)")
    args = parser.parse_args()
    app = QApplication(sys.argv[:1])
    if not args.automatic_gc:  # the app's policy (gui/app.py): a GUI-thread timer collects, torch's objects frozen
        from playground.gui.gui_gc import GuiThreadCollector

        app.collector = GuiThreadCollector(parent=app)
    if args.switch_interval:
        sys.setswitchinterval(args.switch_interval / 1000)
    if args.gui_threads:
        import torch

        torch.set_num_threads(args.gui_threads)  # this thread's own OpenMP team (threads started later too)
    panel = DrawingPanel()
    panel.resize(*args.size)
    panel.show()
    if not panel.wait_for_bundled_model():
        print("the bundled model did not load")
        return 1
    app.processEvents()
    if not args.automatic_gc:
        from playground.gui.gui_gc import freeze_long_lived

        freeze_long_lived()  # as the app does at Ready
    training = start_training(panel) if args.training else None
    samples = handwriting_set(per_style=max(1, args.digits // 22 + 1), seed=1)[:args.digits]
    robot = MouseRobot(panel, samples, args.interval_ms, args.paint)
    robot.done.connect(app.quit)
    robot.start()
    app.exec()
    if training:
        relay, control, thread = training
        control.stop()
        thread.join(30)
        print(f"training meanwhile: {relay.snapshots} weight snapshots loaded by the panel, "
              f"{relay.samples_per_s:.0f} training samples/s at the end")
    import torch

    print(f"canvas {panel.canvas.square().width():.0f} px, mouse events every {args.interval_ms} ms, "
          f"torch threads {torch.get_num_threads()}, training {'on' if training else 'off'}, "
          f"cores {os.cpu_count()}")
    print(report("last move -> prediction", robot.latencies))
    print(report("  of which the last move went out late", robot.send_delays))
    print(report("one mouse move handled by the canvas", robot.move_costs))
    print(f"digits without a prediction after their last move: {robot.missed}")
    print(f"predictions shown while strokes were drawn: {robot.updates_while_drawing / len(robot.latencies):.1f} "
          "per digit")
    panel.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())

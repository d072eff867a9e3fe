"""The status bar: epoch, step, samples per second, elapsed and remaining time, and the device; and the run's
warnings (RunNotice), which stay until the next run starts: a passing message would be gone by the next epoch."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel, QStatusBar, QWidget

from playground.core.training.events import RunNotice, StepEvent
from playground.gui import formatting

NOTICE_CHARS = 70  # of the latest warning, in the bar; the tooltip holds every warning in full


class RunStatusBar(QStatusBar):
    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.notice = QLabel(objectName="runNotice")
        self._notices: list[str] = []
        self.addPermanentWidget(self.notice)
        self.clear_notices()
        self.epoch, self.step, self.speed = QLabel(), QLabel(), QLabel()
        self.elapsed, self.remaining, self.device = QLabel(), QLabel(), QLabel("Device: –")
        tips = ("Epoch of the run", "Training steps (batches) done", "Training speed",
                "Time since Train was pressed", "Estimated time to the end of the run", "Where the run trains")
        for label, tip in zip((self.epoch, self.step, self.speed, self.elapsed, self.remaining, self.device), tips):
            label.setToolTip(tip)
            self.addPermanentWidget(label)
        self.unit = "samples"
        self.clear_run()

    def set_unit(self, unit: str) -> None:
        """What the speed counts: samples, or characters of text."""
        self.unit = unit

    def clear_run(self) -> None:
        for label in (self.epoch, self.step, self.speed, self.elapsed, self.remaining):
            label.setText("")

    def show_step(self, event: StepEvent, epochs: int) -> None:
        self.epoch.setText(f"Epoch {event.epoch}/{epochs}")
        self.step.setText(f"Step {formatting.count(event.step)}/{formatting.count(event.total_steps)}")
        self.speed.setText(formatting.rate(event.samples_per_s, self.unit))
        self.elapsed.setText(f"Elapsed {formatting.duration(event.elapsed_s)}")
        self.remaining.setText(f"Remaining {formatting.duration(event.remaining_s)}")

    def show_device(self, device: str) -> None:
        self.device.setText(f"Device: {device}")

    def show_notice(self, event: RunNotice) -> None:
        text = f"Step {formatting.count(event.step)}: {event.message}"
        self._notices.append(text)
        short = text if len(text) <= NOTICE_CHARS else text[:NOTICE_CHARS - 1] + "…"
        more = f" (+{len(self._notices) - 1} more)" if len(self._notices) > 1 else ""
        self.notice.setText(f"⚠ {short}{more}")
        self.notice.setToolTip("\n\n".join(self._notices))
        self.notice.setVisible(True)

    def clear_notices(self) -> None:
        self._notices = []
        self.notice.setText("")
        self.notice.setToolTip("")
        self.notice.setVisible(False)

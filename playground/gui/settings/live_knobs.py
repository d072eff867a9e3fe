"""While a run trains: the settings that can change on the fly (learning rate, momentum, weight decay, L1,
dropout; each network's rate and beta1 for a GAN) stay editable and become knob changes; the others are locked,
and their tooltips say why."""

from __future__ import annotations

from PySide6.QtCore import QObject, QTimer, Signal, Slot
from PySide6.QtWidgets import QAbstractSpinBox, QCheckBox, QComboBox, QLineEdit, QWidget

DEBOUNCE_MS = 150  # typing 0.005 gives one change, not three; arrows, the wheel and Enter apply at once
LOCKED = "Locked while the run trains: this needs a new model or new data. Stop the run to change it."


class LiveKnobs(QObject):
    changed = Signal(str, float, str)  # knob name, new value, network ("" for every network)

    def __init__(self, panel, parent: QObject | None = None):
        """panel: the SettingsPanel."""
        super().__init__(parent)
        self._panel = panel
        self._running = False
        self._knobs: dict[QWidget, tuple[str, str]] = {}  # widget -> (knob, network), for this run
        self._pending: dict[tuple[str, str], float] = {}
        self._locked: dict[QWidget, str] = {}
        self._timer = QTimer(self, singleShot=True, interval=DEBOUNCE_MS)
        self._timer.timeout.connect(self._on_timer_timeout)

    def knob_widgets(self) -> dict[QWidget, tuple[str, str]]:
        """The widgets that stay live during a run, for this architecture, with the knob each one moves."""
        t, p = self._panel.training, self._panel
        if p.networks.rows():
            knobs = {w: (k, row.network) for row in p.networks.rows() for w, k in ((row.lr, "lr"),
                                                                                   (row.beta1, "momentum"))}
        else:
            knobs = {t.lr: ("lr", ""), t.momentum: ("momentum", ""), t.weight_decay: ("weight_decay", "")}
        knobs[t.l1] = ("l1", "")
        if (dropout := p.model.options.widget("dropout")) is not None:
            knobs[dropout] = ("dropout", "")
        return knobs

    def set_running(self, running: bool) -> None:
        self._running = running
        if running:
            self._knobs = self.knob_widgets()
            for widget in self._knobs:
                if not widget.property("knobConnected"):  # a widget lives across runs: connect it once
                    widget.valueChanged.connect(self._on_knob_widget_value_changed)
                    if isinstance(widget, QAbstractSpinBox):
                        widget.editingFinished.connect(self._on_timer_timeout)  # Enter: what was typed, now
                    widget.setProperty("knobConnected", True)
            self._lock(set(self._knobs))
        else:
            self._unlock()

    def _lock(self, live: set[QWidget]) -> None:
        p = self._panel
        candidates = [p.model.combo, *_editors(p.model.options), p.data, p.device, *_editors(p.training),
                      *(row.optimizer for row in p.networks.rows())]
        for widget in candidates:
            if widget not in live and widget.isEnabled():
                self._locked[widget] = widget.toolTip()
                widget.setToolTip(LOCKED)
                widget.setEnabled(False)
        for group in (p.model, p.data):
            group.setTitle(f"{group.title().split(' (')[0]} (locked while training)")

    def _unlock(self) -> None:
        for widget, tip in self._locked.items():
            widget.setEnabled(True)
            widget.setToolTip(tip)
        self._locked = {}
        for group in (self._panel.model, self._panel.data):
            group.setTitle(group.title().split(" (")[0])
        self._panel.refresh_enabled()

    def locked_widgets(self) -> list[QWidget]:
        return list(self._locked)

    @Slot()
    def _on_knob_widget_value_changed(self) -> None:
        widget = self.sender()
        if self._running and widget in self._knobs:
            self._pending[self._knobs[widget]] = float(widget.value())
            typing = isinstance(widget, QAbstractSpinBox) and widget.lineEdit().isModified()
            if typing:
                self._timer.start()  # the next key may follow: the number is not whole yet
            else:
                self._on_timer_timeout()

    @Slot()
    def _on_timer_timeout(self) -> None:
        self._timer.stop()
        pending, self._pending = self._pending, {}
        for (name, network), value in pending.items():
            self.changed.emit(name, value, network)


def _editors(widget: QWidget) -> list[QWidget]:
    """The editable widgets inside a form (not its labels)."""
    kinds = (QAbstractSpinBox, QCheckBox, QComboBox, QLineEdit)
    # a spin box's own line edit goes with its spin box: locked, a live rate's box could not be typed into
    return [w for w in widget.findChildren(QWidget) if isinstance(w, kinds)
            and not isinstance(w.parentWidget(), (QAbstractSpinBox, QComboBox))]

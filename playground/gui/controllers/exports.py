"""File › Export model as…: the run selected in the Runs panel, else the last run that finished here, as ONNX,
a torch.export program, safetensors weights, TOML settings or a Python training script (playground.core.export,
which checks every export against the model).

An export runs in a background thread (ONNX takes seconds); its result, or the message of what went wrong
(a missing optional package names `pip install 'playground[export]'`), comes back to the status bar.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QObject, Slot
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMenu, QWidget

from playground.core.errors import PlaygroundError
from playground.gui.views.background import BackgroundJobs

FORMATS = (("onnx", "&ONNX…", ".onnx", "ONNX model (*.onnx)"),
           ("pt2", "torch.e&xport program (.pt2)…", ".pt2", "torch.export program (*.pt2)"),
           ("safetensors", "&Weights as safetensors…", ".safetensors", "safetensors (*.safetensors)"),
           ("toml", "&Settings as TOML…", ".toml", "TOML (*.toml)"),
           ("script", "&Python training script…", ".py", "Python script (*.py)"))


@dataclass(frozen=True)
class ExportJob:
    fmt: str
    out: str
    name: str
    checkpoint: Any  # a Checkpoint in memory, or the path of a model.pt


def run_export(job: ExportJob) -> tuple[bool, str]:
    """In the export thread: (True, what was written and checked) or (False, the problem and its fix)."""
    from playground.core.checkpoint import load_checkpoint
    from playground.core.export import export_checkpoint

    try:
        ckpt = load_checkpoint(job.checkpoint) if isinstance(job.checkpoint, str) else job.checkpoint
        return True, export_checkpoint(ckpt, job.fmt, job.out).summary()
    except (PlaygroundError, OSError) as e:
        return False, str(e)


class ExportController(QObject):
    def __init__(self, session: Any, selected: Callable[[], list[Any]], status: Any, messages: Any,
                 dialog_parent: QWidget | None, parent: QObject | None = None):
        """selected() lists the runs selected in the Runs panel (RunRecords)."""
        super().__init__(parent)
        self.session, self._selected, self._status, self._messages = session, selected, status, messages
        self._dialog_parent = dialog_parent
        self._jobs = BackgroundJobs(run_export, "playground-export", self)
        self._jobs.done.connect(self._on_jobs_done)
        self._jobs.failed.connect(self._on_jobs_failed)
        self.busy = False

    def build_menu(self, parent: QWidget) -> QMenu:
        menu = QMenu("Export &model as", parent, objectName="exportModelMenu")
        menu.setToolTipsVisible(True)
        for fmt, text, _, _ in FORMATS:
            action = QAction(text, menu, toolTip="The run selected in Runs, else the last run trained here")
            action.setData(fmt)
            action.triggered.connect(self._on_export_action_triggered)
            menu.addAction(action)
        return menu

    def source(self) -> tuple[str, Any] | None:
        """(the run's name, its checkpoint or model.pt path) to export, or None when there is none."""
        chosen = self._selected()
        if len(chosen) == 1 and chosen[0].checkpoint_path.is_file():
            return chosen[0].name, str(chosen[0].checkpoint_path)
        last = self.session.last_completed
        if last is not None and last.checkpoint is not None:
            return f"{last.config.arch}-{last.config.dataset}", last.checkpoint
        return None

    def export(self, fmt: str, out: str) -> bool:
        """Start exporting the source in `fmt` to the file `out`; the result arrives in the status bar."""
        found = self.source()
        if found is None:
            self._messages.info("Nothing to export yet", "Train a model first, or select one run with a model in "
                                "the Runs panel (a run that finished at least one epoch).")
            return False
        self.busy = True
        self._jobs.submit(ExportJob(fmt, out, *found))
        self._status.showMessage(f"Exporting {found[0]} as {fmt}… (ONNX and pt2 take a few seconds)")
        return True

    def shutdown(self) -> None:
        self._jobs.close()

    @Slot()
    def _on_export_action_triggered(self) -> None:
        from playground.gui import file_actions

        fmt = self.sender().data()
        found = self.source()
        if found is None:
            self.export(fmt, "")  # says what to do
            return
        _, _, suffix, file_filter = next(f for f in FORMATS if f[0] == fmt)
        path = file_actions.ask_save_path(self._dialog_parent, f"Export {found[0]} as {fmt}",
                                          f"{found[0]}{suffix}", file_filter)
        if path:
            self.export(fmt, path)

    @Slot(object, object)
    def _on_jobs_done(self, job: ExportJob, result: tuple[bool, str]) -> None:
        self.busy = False
        ok, text = result
        if ok:
            self._status.showMessage(text, 15000)
        else:
            self._status.showMessage(f"Export failed: {text}", 15000)
            self._messages.error(f"Cannot export {job.name} as {job.fmt}", text)

    @Slot(str)
    def _on_jobs_failed(self, text: str) -> None:
        self.busy = False
        self._messages.error("Export failed", f"{text}. This is a bug in playground; please report it")

"""The Runs panel's work: the store's runs into the table, and each action on them (open, continue, follow,
overlay, compare, rename, note, delete). It holds the store (through RunsSource); the panel only asks.

Overlaid runs live in the session (the plots draw them), each with a colour of its own that the table shows.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, Slot
from PySide6.QtWidgets import QWidget

from playground.core.errors import PlaygroundError
from playground.gui.session import SessionModel, StoredRun

# distinct from the current run's blue and orange, and from each other
OVERLAY_COLOURS = ((44, 160, 44), (214, 39, 40), (148, 103, 189), (140, 86, 75), (227, 119, 194),
                   (23, 190, 207), (188, 189, 34), (127, 127, 127))
# what a resume must keep (Trainer's _check_resumable): a form that changes one of them cannot continue the run
FIXED_ON_RESUME = ("arch", "arch_options", "dataset", "dataset_options", "optimizer", "schedule", "optimizers")


class RunsController(QObject):
    def __init__(self, session: SessionModel, panel: Any, source: Any, settings: Any, runs: Any, follow: Any,
                 open_model: Callable[[str], None], show_plots: Callable[[], None], status: Any, messages: Any,
                 dialog_parent: QWidget | None, parent: QObject | None = None):
        """panel: RunsPanel; source: RunsSource; settings: SettingsPanel (config, set_config); runs: RunController
        (active, resume_stored); follow: FollowController (follow); open_model(path) loads a checkpoint for
        drawing; show_plots() builds and shows the plots; status, messages: the status bar and WindowMessages."""
        super().__init__(parent)
        self.session, self.panel, self.source, self._settings = session, panel, source, settings
        self._runs, self._follow, self._open_model, self._show_plots = runs, follow, open_model, show_plots
        self._status, self._messages, self._dialog_parent = status, messages, dialog_parent
        self._deleting: list[str] = []
        self._noting = ""
        self.dialog: QWidget | None = None  # the dialog open now (kept: without a parent Python owns it)
        source.changed.connect(self._on_source_changed)
        source.problem.connect(self._on_source_problem)
        for name in ("open", "continue", "follow", "overlay", "compare", "note", "delete"):
            getattr(panel, f"{name}_requested").connect(getattr(self, f"_on_panel_{name}_requested"))
        panel.overlays_cleared.connect(self._on_panel_overlays_cleared)
        panel.model.rename_requested.connect(self._on_model_rename_requested)
        panel.model.overlay_toggled.connect(self._on_model_overlay_toggled)

    def start(self) -> None:
        self.source.start()
        self.panel.show_location(self.source.location)

    def shutdown(self) -> None:
        self.source.shutdown()

    # -- the store's runs ---------------------------------------------------------------------------------------
    @Slot(list)
    def _on_source_changed(self, records: list[Any]) -> None:
        self.panel.show_location(self.source.location)
        self.panel.show_runs(records)
        by_id = {r.id: r for r in records}
        overlays = tuple(o for o in self.session.overlays if o.run_id in by_id)  # a deleted run leaves the plots
        grown = [o for o in overlays if by_id[o.run_id].epochs_done != len(o.epochs)]  # a running run's new epochs
        if grown or len(overlays) != len(self.session.overlays):
            self._set_overlays(tuple(self._stored(by_id[o.run_id], o.colour) if o in grown else o for o in overlays))

    @Slot(str)
    def _on_source_problem(self, text: str) -> None:
        self.panel.show_problem(text)

    def _stored(self, record: Any, colour: tuple[int, int, int] = (0, 0, 0)) -> StoredRun:
        epochs = tuple(self.source.store.epochs(record.id)) if self.source.store is not None else ()
        return StoredRun(record.name, str(record.folder), record.kind, record.epochs_planned, epochs, record.id,
                         colour)

    # -- open, continue, follow ---------------------------------------------------------------------------------
    @Slot(str)
    def _on_panel_open_requested(self, run_id: str) -> None:
        self.open_run(run_id)

    def open_run(self, run_id: str) -> bool:
        """The run's settings into the form, its epochs into the plots, its model into drawing and the views."""
        record = self.source.record(run_id)
        if record is None or self._busy("open a run"):
            return False
        try:
            self._settings.set_config(_config_of(record))
        except PlaygroundError as e:
            self._messages.error("Cannot open this run's settings", f"{e}. Its curves and model open anyway.")
        self._follow.stop_following("Stopped following: the plots show the run you opened")
        self._show_plots()
        self.session.show_stored_run(self._stored(record))
        where = "its model was never saved (it ended before its first epoch)"
        if record.checkpoint_path.is_file():
            try:
                self._open_model(str(record.checkpoint_path))
                where = "its model is loaded for drawing and the views"
            except (PlaygroundError, OSError) as e:
                where = f"its model could not be loaded ({e})"
        self._status.showMessage(f"Opened {record.name}: its settings are in the form, its curves in the plots; "
                                 f"{where}", 12000)
        return True

    @Slot(str)
    def _on_panel_continue_requested(self, run_id: str) -> None:
        record = self.source.record(run_id)
        if record is None or self._busy("continue a run"):
            return
        from playground.gui.runs.dialogs import ContinueDialog

        try:
            config, changes = self.continued_config(record)
        except PlaygroundError as e:
            self._messages.error("Cannot continue this run", f"its settings cannot be read: {e}")
            return
        dialog = self.dialog = ContinueDialog(self._dialog_parent, record, changes,
                                              max(1, self._settings.config().epochs))
        dialog.chosen.connect(self._on_continue_chosen)
        dialog.open()

    def continued_config(self, record: Any) -> tuple[Any, dict[str, tuple[Any, Any]]]:
        """The settings a Continue trains with: the form's, when they fit the run, else the run's own; and what
        they change from the run's (epochs aside)."""
        from playground.core.store import config_difference

        own = _config_of(record)
        form = self._settings.config()
        chosen = form if all(getattr(form, k) == getattr(own, k) for k in FIXED_ON_RESUME) else own
        changes = config_difference(own.to_dict(), chosen.to_dict())
        changes.pop("epochs", None)
        return chosen, changes

    @Slot(str, int)
    def _on_continue_chosen(self, run_id: str, more: int) -> None:
        self.continue_run(run_id, more)

    def continue_run(self, run_id: str, more: int) -> bool:
        """Train the stored run `more` epochs further from its last checkpoint, in this window."""
        record = self.source.record(run_id)
        if record is None or self._busy("continue a run"):
            return False
        config, _ = self.continued_config(record)
        config = config.replace(epochs=record.epochs_done + more)
        self._settings.set_config(config)
        self._show_plots()
        return self._runs.resume_stored(record.id, config, self._stored(record).epochs)

    @Slot(str)
    def _on_panel_follow_requested(self, run_id: str) -> None:
        record = self.source.record(run_id)
        if record is not None and not self._busy("follow another run"):
            self._show_plots()
            self._follow.follow(record.folder, record)

    @Slot()
    def _on_follow_folder_triggered(self) -> None:
        from pathlib import Path

        from PySide6.QtWidgets import QFileDialog

        folder = QFileDialog.getExistingDirectory(self._dialog_parent, "Follow the run writing this folder",
                                                  str(Path.home()))
        if folder:
            self.follow_folder(folder)

    def follow_folder(self, folder: str) -> bool:
        """Follow the run in `folder` (a shared folder another machine writes, say), known to the store or not."""
        from playground.core.store.lookup import run_in_folder

        if self._busy("follow another run"):
            return False
        self._show_plots()
        return self._follow.follow(folder, run_in_folder(self.source.records, folder))

    def _busy(self, what: str) -> bool:
        if self._runs.active:
            self._messages.info("A run is training", f"Stop the run in this window to {what}: the plots, the "
                                "form and the model show one run at a time. Overlaying runs works meanwhile.")
            return True
        return False

    # -- overlays --------------------------------------------------------------------------------------------------
    @Slot(list)
    def _on_panel_overlay_requested(self, run_ids: list[str]) -> None:
        self.overlay(run_ids)

    def overlay(self, run_ids: list[str]) -> None:
        """Draw these runs over the plots too (the ones drawn already stay)."""
        overlays = list(self.session.overlays)
        for run_id in run_ids:
            record = self.source.record(run_id)
            if record is None or any(o.run_id == run_id for o in overlays) or not record.epochs_done:
                continue
            used = {o.colour for o in overlays}
            spare = [c for c in OVERLAY_COLOURS if c not in used] or [OVERLAY_COLOURS[len(overlays) % len(used)]]
            colour = spare[0]
            overlays.append(self._stored(record, colour))
        self._show_plots()
        self._set_overlays(tuple(overlays))

    @Slot(str, bool)
    def _on_model_overlay_toggled(self, run_id: str, on: bool) -> None:
        if on:
            self.overlay([run_id])
        else:
            self._set_overlays(tuple(o for o in self.session.overlays if o.run_id != run_id))

    @Slot()
    def _on_panel_overlays_cleared(self) -> None:
        self._set_overlays(())

    def _set_overlays(self, overlays: tuple[StoredRun, ...]) -> None:
        self.session.set_overlays(overlays)
        self.panel.show_overlays({o.run_id: o.colour for o in overlays})

    # -- compare, rename, note, delete ------------------------------------------------------------------------------
    @Slot(str, str)
    def _on_panel_compare_requested(self, a_id: str, b_id: str) -> None:
        from playground.core.store import config_difference
        from playground.gui.runs.dialogs import compare_settings

        a, b = self.source.record(a_id), self.source.record(b_id)
        if a is not None and b is not None:
            self.dialog = compare_settings(self._dialog_parent, a, b, config_difference(a.config, b.config))

    @Slot(str, str)
    def _on_model_rename_requested(self, run_id: str, name: str) -> None:
        if self._change(lambda: self.source.store.rename(run_id, name), "Cannot rename the run"):
            self._status.showMessage(f"Renamed the run to {name}", 6000)

    @Slot(str)
    def _on_panel_note_requested(self, run_id: str) -> None:
        from playground.gui.runs.dialogs import ask_note

        record = self.source.record(run_id)
        if record is not None:
            self._noting = run_id
            self.dialog = ask_note(self._dialog_parent, record)
            self.dialog.textValueSelected.connect(self._on_note_text_selected)

    @Slot(str)
    def _on_note_text_selected(self, text: str) -> None:
        run_id = self._noting
        self._change(lambda: self.source.store.set_notes(run_id, text.strip()), "Cannot save the note")

    @Slot(list)
    def _on_panel_delete_requested(self, run_ids: list[str]) -> None:
        from playground.gui.runs.dialogs import confirm_delete

        records = [r for r in map(self.source.record, run_ids) if r is not None]
        if records:
            self._deleting = [r.id for r in records]
            self.dialog = confirm_delete(self._dialog_parent, records)
            self.dialog.delete_button.clicked.connect(self._on_delete_confirmed)

    @Slot()
    def _on_delete_confirmed(self) -> None:
        kept = []

        def delete() -> None:
            for run_id in self._deleting:
                record = self.source.record(run_id)
                if not self.source.store.delete(run_id):
                    kept.append(str(record.folder))

        if self._change(delete, "Cannot delete the run"):
            also = f"; these folders hold other files and were kept: {', '.join(kept)}" if kept else ""
            self._status.showMessage(f"Deleted {len(self._deleting)} run(s){also}", 10000)

    def _change(self, action: Callable[[], Any], title: str) -> bool:
        """A change to the store made here; then the table reads the store again (data_version counts only
        other connections' changes)."""
        try:
            if self.source.store is None:
                raise PlaygroundError("the run store is not open; see the Runs panel for why")
            action()
        except (PlaygroundError, OSError) as e:
            self._messages.error(title, str(e))
            return False
        finally:
            self.source.refresh()
        return True


def _config_of(record: Any) -> Any:
    """The run's TrainConfig; settings this version no longer knows are left out (a run of an older version)."""
    from playground.core.config import TrainConfig

    known = TrainConfig.__dataclass_fields__
    return TrainConfig.from_dict({k: v for k, v in record.config.items() if k in known})

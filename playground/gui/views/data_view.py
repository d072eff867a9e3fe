"""The Data view: a look at the dataset of the settings before a run, and at the run's own during one. Whatever
the dataset, it asks the source what its inputs are and shows them their way (data_compute, data_pages).

The data is read in a background thread (BackgroundJobs), only while the view is on screen, and only once per
dataset: a large file or a download never holds up the window. Until then it says what it is loading; a problem
is shown with its fix in place of the data.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QTimer, Slot
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QStackedWidget, QVBoxLayout, QWidget

from playground.core.data.catalogue import DATASET_CATALOGUE
from playground.gui.session import SessionModel
from playground.gui.views.background import BackgroundJobs
from playground.gui.views.data_compute import DataJob, Images, Points, Problem, Sequences, Table, Text, compute
from playground.gui.views.data_pages import ImagesPage, PlotPage, TextPage
from playground.gui.views.data_table_page import TablePage
from playground.gui.views.presence import Presence

SETTLE_MS = 300  # settings typed in (a path, a column) settle before the data is read
EMPTY_TEXT = "Choose a dataset in the settings to look at its data here, before and during training."


class DataView(QWidget):
    def __init__(self, session: SessionModel, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("dataView")
        self.session = session
        self.header = QLabel(EMPTY_TEXT, self, objectName="dataHeader", wordWrap=True)
        self.reload = QPushButton("Reload", self, objectName="dataReload")
        self.reload.setToolTip("Read the data again (after the file changed)")
        self.message = QLabel(self, objectName="dataMessage", wordWrap=True)
        self.pages = QStackedWidget(self)
        self.pages.addWidget(self.message)
        self._made: dict[type, QWidget] = {}  # the pages, each made when first shown (their plots: 30 ms at start)
        top = QHBoxLayout()
        top.addWidget(self.header, 1)
        top.addWidget(self.reload)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.pages, 1)
        self.result: Any = None  # the last result shown (tests read it)
        self._wanted: Any = None  # the config whose data should be on screen
        self._shown_key: tuple | None = None  # the data on screen (or being read)
        self._settle = QTimer(self, singleShot=True, interval=SETTLE_MS)
        self._settle.timeout.connect(self._on_settle_timeout)
        self.presence = Presence(self)
        self.presence.changed.connect(self._on_presence_changed)
        self._jobs = BackgroundJobs(compute, "playground-data", self)
        self._jobs.done.connect(self._on_jobs_done)
        self._jobs.failed.connect(self._on_jobs_failed)
        self.reload.clicked.connect(self._on_reload_clicked)
        session.run_starting.connect(self._on_run_starting)

    # the pages by name, each made when first asked for
    images = property(lambda self: self._page(ImagesPage))
    plot = property(lambda self: self._page(PlotPage))
    table = property(lambda self: self._page(TablePage))
    text = property(lambda self: self._page(TextPage))

    def _page(self, cls: type) -> Any:
        if cls not in self._made:
            self._made[cls] = cls(self)
            self.pages.addWidget(self._made[cls])
        return self._made[cls]

    # -- what to show ----------------------------------------------------------------------------------------
    def show_dataset(self, config: Any) -> None:
        """Show the data of this config (a TrainConfig): the settings' while idle. During a run the run's stays."""
        if self.session.active and self._wanted is not None:
            return
        self._want(config)

    def _on_run_starting(self, config: Any) -> None:
        self._want(config)

    def _want(self, config: Any) -> None:
        self._wanted = config
        self._settle.start()

    @Slot()
    def _on_settle_timeout(self) -> None:
        self._load()

    @Slot()
    def _on_presence_changed(self) -> None:
        self._load()

    @Slot()
    def _on_reload_clicked(self) -> None:
        self._load(again=True)

    def _load(self, again: bool = False) -> None:
        config = self._wanted
        if config is None or not self.presence.on_screen:
            return  # read when seen: a look at the data is never worth a download nobody watches
        job = DataJob(config)
        if job.key == self._shown_key and not again:
            return
        self._shown_key = job.key
        info = DATASET_CATALOGUE.get(config.dataset)
        if info is not None and info.needs_file and not config.data_file:
            self._show_problem(Problem(f"{config.dataset} reads a file of yours: choose it in the settings (Data, "
                                       "Browse…) to see its data here."))
            return
        self.header.setText(f"Loading {config.dataset}…" + (f" ({config.data_file})" if config.data_file else ""))
        self.reload.setEnabled(False)
        self._jobs.submit(job)

    # -- results ---------------------------------------------------------------------------------------------
    @Slot(object, object)
    def _on_jobs_done(self, job: DataJob, result: Any) -> None:
        if job.key != self._shown_key:
            return  # another dataset was chosen meanwhile: its own result follows
        self.reload.setEnabled(True)
        self.result = result
        if isinstance(result, Problem):
            self._show_problem(result)
            return
        kind = type(result)
        page = self._page({Images: ImagesPage, Points: PlotPage, Sequences: PlotPage, Table: TablePage,
                           Text: TextPage}[kind])
        getattr(page, {Points: "show_points", Sequences: "show_sequences"}.get(kind, "show_result"))(result)
        self.pages.setCurrentWidget(page)
        self.header.setText(describe(result))

    @Slot(str)
    def _on_jobs_failed(self, message: str) -> None:
        self.reload.setEnabled(True)
        self._show_problem(Problem(f"The data could not be shown ({message}); check the dataset's settings, "
                                   "then press Reload."))

    def _show_problem(self, problem: Problem) -> None:
        self.result = problem
        self.header.setText("No data to show")
        self.message.setText(problem.message)
        self.pages.setCurrentWidget(self.message)

    def shutdown(self) -> None:
        self._settle.stop()
        self._jobs.close()


def describe(result: Any) -> str:
    """The line above the data: how much of it there is."""
    if isinstance(result, Table):
        p = result.preview
        return (f"{p.path}: {result.rows:,} rows × {len(p.columns)} columns ({_delimiter(p.delimiter)}, "
                f"{p.encoding}); the first {len(p.rows)} rows, then a summary of every column")
    counts = result.counts
    if isinstance(result, Text):
        return (f"{counts.dataset}: {result.characters:,} characters ({counts.train:,} to train on, "
                f"{counts.test:,} to validate), a vocabulary of {len(result.vocabulary)}")
    what = {Images: "images", Points: "points", Sequences: "sequences"}[type(result)]
    classes = f", {len(counts.per_class)} classes" if counts.per_class else ""
    return f"{counts.dataset}: {counts.train:,} training and {counts.test:,} test {what}{classes}"


def _delimiter(d: str) -> str:
    return {",": "commas", ";": "semicolons", "\t": "tabs", "|": "pipes"}.get(d, repr(d))

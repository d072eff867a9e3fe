"""Starting a run that the store records: its folder, its record (new, or the one a resume continues), and
the writer to attach. The CLI's `train` and, later, the app's worker both start runs through `start_run`."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from playground.core.config import TrainConfig
from playground.core.errors import StoreError
from playground.core.store.folder import default_run_dir, start_run_dir, write_metrics
from playground.core.store.lookup import match_run, run_in_folder
from playground.core.store.records import MODEL_FILE, RunRecord
from playground.core.store.store import RunStore
from playground.core.store.writer import StoreWriter


@dataclass(frozen=True)
class ResumeTarget:
    checkpoint: Path
    record: RunRecord | None  # the run it belongs to, when the store has it


@dataclass
class RecordedRun:
    """A run recorded as running: pass `id`, `checkpoint_path` and `resume_from` to Trainer.fit, with `writer()`
    among its callbacks."""

    store: RunStore
    record: RunRecord
    folder: Path
    resume_from: Path | None

    @property
    def id(self) -> str:
        return self.record.id

    @property
    def checkpoint_path(self) -> Path:
        return self.folder / MODEL_FILE

    def writer(self) -> StoreWriter:
        return StoreWriter(self.store, self.id, self.folder)


def resume_target(ref: str | Path, store: RunStore) -> ResumeTarget:
    """What `--resume RUN` continues: RUN is a checkpoint file, a run folder, or a run's id or name."""
    path = Path(ref).expanduser()
    if path.is_file():
        return ResumeTarget(path, run_in_folder(store.runs(), path))
    if path.is_dir():
        if not (path / MODEL_FILE).is_file():
            raise StoreError(f"{path} holds no {MODEL_FILE}: its run ended before its first epoch, or it is no run "
                             "folder; start the run again")
        return ResumeTarget(path / MODEL_FILE, run_in_folder(store.runs(), path))
    record = match_run(store.runs(), str(ref))
    if record is None:
        raise StoreError(f"{ref} does not exist: it is no file or folder, and no run's id or name in the run store "
                         f"{store.path}; `playground runs` lists the runs")
    if not record.checkpoint_path.is_file():
        raise StoreError(f"run {record.name} has no checkpoint ({record.checkpoint_path} does not exist): it ended "
                         "before its first epoch; start it again")
    return ResumeTarget(record.checkpoint_path, record)


def start_run(store: RunStore, config: TrainConfig, out: str | Path | None = None,
              resume: str | Path | None = None, name: str | None = None,
              sweep: tuple[str, int] | None = None) -> RecordedRun:
    """Make the run's folder and record it as running. A resume in the run's own folder continues its record
    (same id, its epochs from the checkpoint on); elsewhere (`out`) it starts a new run with those epochs.
    `sweep` tags a new run as a sweep's trial: (the sweep's name, the trial's number)."""
    store.repair()  # runs whose writers died are interrupted, before this one is told apart from them
    target = resume_target(resume, store) if resume else None
    if target is not None:
        folder = Path(out) if out else target.checkpoint.parent
    else:
        folder = Path(out) if out else default_run_dir(config, store.root)
    folder = start_run_dir(folder, config, resuming=target is not None)
    if target is None:
        record = store.create(config.to_dict(), folder, run_kind(config), name, sweep=sweep)
        return RecordedRun(store, record, folder, None)
    history = _history(target.checkpoint)
    record = target.record
    if record is not None and record.folder.resolve() == folder.resolve():
        if record.status == "running":
            raise StoreError(f"run {record.name} is still running (process {record.owner_pid} on "
                             f"{record.owner_host}); stop it before resuming it")
        record = store.restart(record.id, config.to_dict(), history)
    else:
        record = store.create(config.to_dict(), folder, run_kind(config), name)
        store.set_epochs(record.id, history)
    write_metrics(folder, history)  # the folder agrees with the store from the start, as after every epoch
    return RecordedRun(store, record, folder, target.checkpoint)


def run_kind(config: TrainConfig) -> str:
    """classification, regression, gan or vae, from the catalogues (no torch)."""
    from playground.core.data.catalogue import DATASET_CATALOGUE
    from playground.core.models.catalogue import arch_task

    return arch_task(config.arch, DATASET_CATALOGUE[config.dataset].task)


def _history(checkpoint: Path) -> list[dict]:
    """The epochs a checkpoint has done, as metrics.jsonl rows."""
    from playground.core.checkpoint import load_checkpoint  # torch: a resume trains anyway

    ckpt = load_checkpoint(checkpoint)
    return [m for m in ckpt.metrics if int(m["epoch"]) <= ckpt.epoch]

"""The run's settings as TOML: `playground train --config FILE` runs it again."""

from __future__ import annotations

from pathlib import Path

from playground.core.checkpoint import Checkpoint
from playground.core.config import TrainConfig, read_toml, to_toml
from playground.core.errors import ExportError
from playground.core.export.exported import replaced


def export_toml(ckpt: Checkpoint, out: Path) -> float:
    with replaced(out) as tmp:
        tmp.write_text(to_toml(ckpt.config), encoding="utf-8")
        if TrainConfig.from_dict(read_toml(tmp)) != ckpt.config:
            raise ExportError(f"the settings in {out} do not read back as the run's; this is a bug in playground, "
                              "please report it")
    return 0.0

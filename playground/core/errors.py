"""User-facing errors: each message names the problem and the fix, and the checks those messages share."""

import math


def shown_key(key: object) -> str:
    """A setting's name as a one-line message shows it: quoted when it is not a plain name (a file may hold
    any text as a key, line breaks included)."""
    return key if isinstance(key, str) and key.replace("-", "_").isidentifier() else repr(key)


def finite(value: float) -> bool:
    """math.isfinite that refuses whole numbers no float can hold (a file may say 10**400) and never raises."""
    try:
        return math.isfinite(value)
    except OverflowError:
        return False


def shown_value(value: object) -> str:
    """A value as a one-line message shows it: 10**400 is not printed in full."""
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


class PlaygroundError(Exception):
    """An error whose message is meant for the user, shown without a traceback."""


class ConfigError(PlaygroundError):
    """A setting is invalid; `problems` lists (field, message) pairs."""

    def __init__(self, problems: list[tuple[str, str]]):
        self.problems = problems
        super().__init__("; ".join(f"{f}: {m}" for f, m in problems))


class DatasetError(PlaygroundError):
    """A dataset is missing, corrupt or cannot be downloaded."""


class CheckpointError(PlaygroundError):
    """A checkpoint is missing, corrupt or of an unknown format."""


class IncompatibleError(PlaygroundError):
    """An architecture cannot work with a dataset's inputs."""


class TrainingFault(PlaygroundError):
    """A run failed while training (NaN loss, out of memory)."""


class StoreError(PlaygroundError):
    """The run store cannot be opened or written, or a run asked for is not in it."""


class ExportError(PlaygroundError):
    """A run cannot be exported in the format asked for, or the export does not match the model."""

"""Your own drawings, kept as 28×28 PNGs in ordinary image folders under the per-user folder:
my-drawings/<class>/NNN.png (classes you name and draw) and my-handwriting/<digit>/NNN.png (digits the bundled
model read wrong). Being plain image folders, `playground train --dataset image-folder --dataset-option
path=<folder> --dataset-option size=28 --dataset-option grayscale=true` trains on them too.

No torch here: the app lists, adds and deletes examples before torch has loaded.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import numpy as np

from playground.core.config import TrainConfig
from playground.core.data.paths import app_data_dir
from playground.core.errors import DatasetError
from playground.core.images import save_png

MIN_CLASSES = 2
MIN_EXAMPLES = 5  # per class: fewer cannot be split into training and test images and still teach anything
SIZE = 28
_NAME = re.compile(r"[A-Za-z0-9_][A-Za-z0-9_ .-]{0,39}")  # a folder name on every platform
_EXAMPLE = re.compile(r"(\d+)\.png")


def my_drawings_dir() -> Path:
    return app_data_dir() / "my-drawings"


def handwriting_dir() -> Path:
    return app_data_dir() / "my-handwriting"


class DrawingSet:
    """One image folder of 28×28 grayscale examples: a sub-folder per class, files 001.png, 002.png, ..."""

    def __init__(self, root: str | Path):
        self.root = Path(root)

    def classes(self) -> list[str]:
        """Class names in the order image-folder numbers them (sorted folder names)."""
        if not self.root.is_dir():
            return []
        return sorted(d.name for d in self.root.iterdir() if d.is_dir() and _NAME.fullmatch(d.name))

    def add_class(self, name: str) -> str:
        """Create the class's folder (an existing one is kept, with its examples); returns the name used."""
        name = name.strip()
        if not _NAME.fullmatch(name) or name.strip(". ") != name:
            raise DatasetError(f"{name!r} cannot name a class: use up to 40 letters, digits, spaces, '-', '_' "
                               "or '.', starting with a letter or digit")
        (self.root / name).mkdir(parents=True, exist_ok=True)
        return name

    def remove_class(self, name: str) -> None:
        """Delete a class and every example of it (the app asks first)."""
        shutil.rmtree(self._class_dir(name), ignore_errors=True)

    def examples(self, name: str) -> list[Path]:
        folder = self._class_dir(name)
        if not folder.is_dir():
            return []
        return sorted((f for f in folder.iterdir() if _EXAMPLE.fullmatch(f.name)), key=_number)

    def counts(self) -> dict[str, int]:
        return {c: len(self.examples(c)) for c in self.classes()}

    def add_example(self, name: str, pixels: np.ndarray) -> Path:
        """Save a 28×28 uint8 image (white ink on black) as the class's next example."""
        if pixels.shape != (SIZE, SIZE):
            raise ValueError(f"an example is {SIZE}×{SIZE}, got {pixels.shape}")
        folder = self._class_dir(name)
        folder.mkdir(parents=True, exist_ok=True)
        existing = self.examples(name)
        number = _number(existing[-1]) + 1 if existing else 1
        return save_png(pixels, folder / f"{number:03d}.png")

    def delete_example(self, path: str | Path) -> None:
        path = Path(path)
        if path.parent.parent != self.root:  # only ever an example of this set
            raise ValueError(f"{path} is not an example in {self.root}")
        path.unlink(missing_ok=True)

    def training_problem(self) -> str | None:
        """Why these examples cannot be trained on yet, naming the fix; None when they can."""
        counts = self.counts()
        if len(counts) < MIN_CLASSES:
            have = f"only {len(counts)} class" + ("" if len(counts) == 1 else "es")
            return f"{have} so far: add at least {MIN_CLASSES} classes, and draw {MIN_EXAMPLES} examples of each"
        short = [f"{c} ({n})" for c, n in counts.items() if n < MIN_EXAMPLES]
        if short:
            return (f"every class needs at least {MIN_EXAMPLES} examples; draw more of: {', '.join(short)} "
                    "(or delete the classes you do not want)")
        return None

    def _class_dir(self, name: str) -> Path:
        if not _NAME.fullmatch(name):
            raise DatasetError(f"no class {name!r} in {self.root}")
        return self.root / name


def read_example(path: str | Path) -> np.ndarray:
    """An example as a 28×28 uint8 array."""
    from PIL import Image

    with Image.open(path) as image:
        return np.asarray(image.convert("L").resize((SIZE, SIZE)), dtype=np.uint8)


def training_config(root: str | Path, epochs: int = 40, seed: int = 0) -> TrainConfig:
    """A run that takes seconds on a few dozen drawings: a small CNN, and augmentation (small random shifts,
    rotations, scales and slants) because a few examples of each class are all there is."""
    return TrainConfig(arch="seed-cnn", arch_options={"channels": [16, 32]}, dataset="image-folder",
                       dataset_options={"path": str(root), "size": SIZE, "grayscale": True},
                       epochs=epochs, batch_size=16, lr=0.003, optimizer="adam", augment=True, distort=0.5,
                       seed=seed, eval_batch_size=256)


def _number(path: Path) -> int:
    match = _EXAMPLE.fullmatch(path.name)
    return int(match.group(1)) if match else 0


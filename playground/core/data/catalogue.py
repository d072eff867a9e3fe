"""Which datasets exist, with their descriptions, inputs, shapes and options, without importing torch.

The app fills its settings form from this before torch has loaded; `registry` adds the loaders. A dataset says
what its inputs are (images, points, sequences, text, table rows) and what is learnt from them (its task), so
that architectures, kinds and views ask the dataset rather than test its name.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from playground.core.data import features
from playground.core.data.inputs import IMAGES, POINTS, SEQUENCES, TABLE, TEXT
from playground.core.models.options import OptionSpec

CLASSIFICATION_POINTS = ("spiral", "circles", "xor", "blobs", "moons")  # the keys of synthetic.CLASSIFICATION
REGRESSION_POINTS = ("linear", "sine")  # the keys of synthetic.REGRESSION
LANGUAGE = "language"  # the task of text: predict the next character


@dataclass(frozen=True)
class DatasetInfo:
    name: str
    description: str
    task: str  # "classification", "regression" or "language"
    input_shape: tuple[int, ...]  # before options that change it (image-folder size); () for text (windows)
    num_outputs: int  # classes, or 1 for regression; 0 = found when loaded (image folders, text's vocabulary)
    needs_download: bool = False
    options: tuple[OptionSpec, ...] = ()
    inputs: str = IMAGES  # see data.inputs
    needs_file: bool = False  # reads a file the user names (TrainConfig.data_file)
    arch: str = ""  # the architecture a run on it takes when none is named ("": the config's default)
    run_defaults: tuple[tuple[str, Any], ...] = ()  # TrainConfig values it trains best with (under an arch's own)

    def defaults(self) -> dict[str, Any]:
        return {o.name: o.default for o in self.options}

    def shape_for(self, options: dict[str, Any]) -> tuple[int, ...]:
        """The input shape with these options (image-folder's size and colour change it)."""
        if self.name == "image-folder":
            o = {**self.defaults(), **options}
            return (1 if o["grayscale"] else 3, o["size"], o["size"])
        if "features" in self.defaults():  # 2-D points read through features: one input each
            return (len(features.chosen(options.get("features", features.DEFAULT))),)
        return self.input_shape


_GENERATED_OPTIONS = (
    OptionSpec("samples", "int", 2000, "number of generated points", (), 20, 1_000_000),
    OptionSpec("noise", "float", 0.1, "standard deviation of the noise added", (), 0.0, 5.0))
_PLANE_OPTIONS = (*_GENERATED_OPTIONS, OptionSpec("features", "str", ",".join(features.DEFAULT), features.HELP,
                                                  check=features.problem))
_TEXT_OPTIONS = (
    OptionSpec("window", "int", 0, "characters per training sequence; 0: a gpt's context, or 100 for rnn, lstm "
               "and gru", (), 0, 4096),)

# a table of a few thousand rows gives a few dozen steps an epoch: it needs many epochs (seconds each)
_TABLE_RUN = (("epochs", 30), ("batch_size", 64), ("lr", 0.003))

_DESCRIPTIONS = {
    "spiral": "Two interleaved spirals of 2-D points (hard for a linear model)",
    "circles": "A ring of 2-D points around a smaller ring",
    "xor": "2-D points labelled by the sign of x times y",
    "blobs": "Three Gaussian blobs of 2-D points",
    "moons": "Two interleaving half circles of 2-D points",
    "linear": "1-D regression: y = 0.8 x + 0.2 plus noise",
    "sine": "1-D regression: y = sin(pi x) plus noise",
    "waves": "Sequences of 32 values: tell sine, square, sawtooth and triangle waves apart (for rnn, lstm, gru)",
}

DATASET_CATALOGUE: dict[str, DatasetInfo] = {d.name: d for d in (
    DatasetInfo("mnist", "Handwritten digits 0-9, 28x28 grey (60k train, 10k test)", "classification",
                (1, 28, 28), 10, needs_download=True),
    DatasetInfo("fashion-mnist", "Zalando clothing in 10 classes, 28x28 grey (60k train, 10k test)",
                "classification", (1, 28, 28), 10, needs_download=True),
    DatasetInfo("kmnist", "Kuzushiji: 10 cursive Japanese characters, 28x28 grey (60k train, 10k test)",
                "classification", (1, 28, 28), 10, needs_download=True),
    DatasetInfo("cifar10", "Small colour photos in 10 classes, 3x32x32 (50k train, 10k test)",
                "classification", (3, 32, 32), 10, needs_download=True),
    DatasetInfo("image-folder", "Your own images: one sub-folder per class, resized to a square",
                "classification", (3, 32, 32), 0, options=(
                    OptionSpec("path", "str", "", "folder with one sub-folder of images per class"),
                    OptionSpec("size", "int", 32, "side of the square the images are resized to", (), 8, 256),
                    OptionSpec("grayscale", "bool", False, "convert the images to one grey channel"))),
    *(DatasetInfo(n, _DESCRIPTIONS[n], "classification", (2,), 3 if n == "blobs" else 2,
                  options=_PLANE_OPTIONS, inputs=POINTS) for n in CLASSIFICATION_POINTS),
    *(DatasetInfo(n, _DESCRIPTIONS[n], "regression", (1,), 1, options=_GENERATED_OPTIONS, inputs=POINTS)
      for n in REGRESSION_POINTS),
    DatasetInfo("waves", _DESCRIPTIONS["waves"], "classification", (32, 1), 4, options=(
        OptionSpec("samples", "int", 4000, "number of generated sequences", (), 20, 1_000_000),
        OptionSpec("noise", "float", 0.1, "standard deviation of the noise added", (), 0.0, 5.0)), inputs=SEQUENCES),
    DatasetInfo("shakespeare", "Tiny Shakespeare: 1.1 million characters of his plays, to learn to write "
                "(bundled, for gpt, lstm, gru, rnn)", LANGUAGE, (), 65, options=_TEXT_OPTIONS, inputs=TEXT),
    DatasetInfo("text", "Your own text: any UTF-8 file (--data-file), to learn to write like it", LANGUAGE, (), 0,
                options=_TEXT_OPTIONS, inputs=TEXT, needs_file=True),
    # its task and shape come from the file: the target column decides (TrainConfig.task overrides), the columns
    # the width; "classification" stands for it until the table is read
    DatasetInfo("csv", "Your own table: a CSV file (--data-file) and the column to learn (--target); "
                "classification or regression follows from that column", "classification", (), 0,
                inputs=TABLE, needs_file=True, arch="mlp", run_defaults=_TABLE_RUN),
)}

NO_DOWNLOAD = tuple(n for n, d in DATASET_CATALOGUE.items()
                    if not d.needs_download and n != "image-folder" and not d.needs_file)


def dataset_option_problems(name: str, options: dict[str, Any]) -> list[str]:
    known = {o.name: o for o in DATASET_CATALOGUE[name].options}
    problems = []
    for key, value in options.items():
        if key not in known:
            problems.append(f"{name} has no option {key!r}; its options are {', '.join(known) or 'none'}")
        elif (msg := known[key].problem(value)) is not None:
            problems.append(msg)
    return problems

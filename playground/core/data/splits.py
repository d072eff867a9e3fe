"""A dataset decoded once into tensors: train / validation / test splits plus what the model needs to know."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace

import torch

# progress(message, done, total): called while a dataset downloads or decodes; total 0 = unknown.
Progress = Callable[[str, int, int], None]


def no_progress(message: str, done: int, total: int) -> None:
    pass


@dataclass(frozen=True)
class DataSplits:
    """Inputs are float32, already normalised; labels are int64 classes or float32 targets (regression)."""

    train_x: torch.Tensor
    train_y: torch.Tensor
    test_x: torch.Tensor
    test_y: torch.Tensor
    task: str  # "classification" or "regression"
    num_classes: int  # output size: classes, or 1 for regression
    class_names: tuple[str, ...] = ()
    mean: tuple[float, ...] = ()  # the normalisation applied to images, for drawing and export
    std: tuple[float, ...] = ()
    val_x: torch.Tensor | None = None
    val_y: torch.Tensor | None = None
    notices: tuple[str, ...] = ()  # what the user should know about the data (images skipped), told at the start
    inputs: str = ""  # "text" for character ids (data.inputs), "" for numbers
    features: tuple[str, ...] = ()  # 2-D points read through these (data.features); () = the points as they are

    @property
    def input_shape(self) -> tuple[int, ...]:
        return tuple(self.train_x.shape[1:])

    def with_validation(self, fraction: float, seed: int) -> DataSplits:
        """Hold out a fraction of the training split (fixed by the seed) for validation."""
        if fraction <= 0 or self.val_x is not None:  # a split of its own (text's last 10%) stays
            return self
        n = len(self.train_x)
        perm = torch.randperm(n, generator=torch.Generator().manual_seed(seed))
        k = max(1, int(n * fraction))
        val, train = perm[:k], perm[k:]
        return replace(self, train_x=self.train_x[train], train_y=self.train_y[train],
                       val_x=self.train_x[val], val_y=self.train_y[val])


def with_features(data: DataSplits, names: tuple[str, ...]) -> DataSplits:
    """2-D points -> the columns of these features (data.features); the points as they are for x, y."""
    from playground.core.data.features import DEFAULT, expand

    if tuple(names) == DEFAULT:
        return data
    return replace(data, train_x=expand(data.train_x, names), test_x=expand(data.test_x, names),
                   features=tuple(names))


def image_splits(train_images: torch.Tensor, train_y: torch.Tensor, test_images: torch.Tensor,
                 test_y: torch.Tensor, class_names: tuple[str, ...]) -> DataSplits:
    """uint8 N x C x H x W images -> standardised splits, with statistics of the training split alone."""
    x = train_images.float().div_(255)
    mean = tuple(round(v, 4) for v in x.mean(dim=(0, 2, 3)).tolist())
    std = tuple(round(max(v, 1e-6), 4) for v in x.std(dim=(0, 2, 3)).tolist())
    return DataSplits(
        train_x=_standardise(x, mean, std), train_y=train_y.long(),
        test_x=apply_normalisation(test_images, mean, std), test_y=test_y.long(),
        task="classification", num_classes=len(class_names), class_names=class_names, mean=mean, std=std)


def apply_normalisation(images: torch.Tensor, mean: tuple[float, ...], std: tuple[float, ...]) -> torch.Tensor:
    """uint8 images (any leading dims, channels third from last) -> float32 standardised as in training."""
    return _standardise(images.float().div_(255), mean, std)


def _standardise(x: torch.Tensor, mean: tuple[float, ...], std: tuple[float, ...]) -> torch.Tensor:
    return x.sub_(torch.tensor(mean)[:, None, None]).div_(torch.tensor(std)[:, None, None])

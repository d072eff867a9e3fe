"""Adapting the digit model to one person's handwriting: a short fine-tune of the bundled model on the digits it
read wrong (my-handwriting/<digit>/NNN.png), mixed with MNIST so that it does not forget everyone else's.

The convolutional features stay as MNIST taught them (batch norm keeps its statistics); the layers after them
(the head) learn, at a low rate, from batches of one of the person's digits (with slightly distorted copies, so
that a few dozen are not learnt by heart) to seven MNIST training digits. Every image passes the features once,
so a few hundred steps take seconds on a busy CPU. It always starts from the bundled model, so adapting again with
more digits does not drift. Accuracy on the person's digits and on a fixed, seeded 2,000-digit subset of MNIST
test is measured before and after. The result is a checkpoint in the per-user folder (inference/bundled.py), which
the Draw panel loads instead of the bundled model until it is reset.
"""

from __future__ import annotations

import math
import os
from collections.abc import Callable
from dataclasses import dataclass, replace
from functools import partial
from pathlib import Path

import numpy as np
import torch
import torch.nn.functional as F
from torch import nn

from playground.core.checkpoint import Checkpoint, load_checkpoint, save_checkpoint
from playground.core.data.my_drawings import DrawingSet, read_example
from playground.core.errors import DatasetError, PlaygroundError
from playground.core.inference.bundled import adapted_model_path, bundled_model_path
from playground.core.training.augment import distort
from playground.core.training.cpu_threads import ThreadGovernor
from playground.core.training.eager_optim import eager

DIGITS = tuple(str(d) for d in range(10))
MNIST_SUBSET = 2000  # MNIST test digits measured before and after: a fixed, seeded subset (about 0.2 s each time)
MIN_DIGITS = 1
Progress = Callable[[int, int], None]  # (steps done, steps in all)


@dataclass(frozen=True)
class AdaptSettings:
    steps: int = 300
    lr: float = 3e-4
    personal_batch: int = 16
    mnist_batch: int = 112  # seven MNIST digits to one of yours: measured, MNIST test moved 0.2 points
    mnist_pool: int = 3000  # MNIST training digits mixed in
    variants: int = 480  # distorted copies of the person's digits, about this many in all
    distortion: float = 0.4  # of the copies: augment.distort's strength
    seed: int = 0


@dataclass(frozen=True)
class AdaptResult:
    """Accuracies (0..1) before and after, on the person's digits and on MNIST_SUBSET MNIST test digits."""

    personal_before: float
    personal_after: float
    mnist_before: float
    mnist_after: float
    personal_count: int
    mnist_count: int
    steps: int
    path: Path | None  # where the adapted model was saved (None: not saved, or stopped)

    def summary(self) -> str:
        return (f"Your {self.personal_count} digits (it learnt from them): {self.personal_before:.0%} → "
                f"{self.personal_after:.0%}; "
                f"MNIST test ({self.mnist_count:,} digits): {self.mnist_before:.1%} → {self.mnist_after:.1%}")


def personal_digits(root: str | Path) -> tuple[np.ndarray, np.ndarray]:
    """The person's digits as N x 28 x 28 uint8 images and their labels."""
    drawings = DrawingSet(root)
    pairs = [(read_example(p), int(d)) for d in DIGITS for p in drawings.examples(d)]
    if len(pairs) < MIN_DIGITS:
        raise DatasetError("no digits of yours yet: draw digits, and when one is read wrong, click what it was")
    images, labels = zip(*pairs)
    return np.stack(images), np.array(labels, dtype=np.int64)


def adapt_to_handwriting(personal_root: str | Path, data_dir: str | None = None, out: str | Path | None = None,
                         settings: AdaptSettings = AdaptSettings(), progress: Progress | None = None,
                         should_stop: Callable[[], bool] | None = None) -> AdaptResult:
    """Fine-tune the bundled model on the person's digits mixed with MNIST; save it to `out` (the per-user
    folder by default; "" not at all). Raises PlaygroundError with a message naming the fix."""
    threads = torch.get_num_threads()
    try:
        return _adapt(personal_root, data_dir, out, settings, progress, should_stop or _never)
    except _Stopped:
        return AdaptResult(math.nan, math.nan, math.nan, math.nan, 0, 0, 0, None)
    finally:
        torch.set_num_threads(threads)  # the calling thread's own count, as it was


def _adapt(personal_root: str | Path, data_dir: str | None, out: str | Path | None, settings: AdaptSettings,
           progress: Progress | None, should_stop: Callable[[], bool]) -> AdaptResult:
    from playground.core.data.registry import load_dataset

    # torch's threads: the cores other processes leave free, re-decided as it goes (two OpenMP threads sharing a
    # busy core made each step five times slower)
    governor = ThreadGovernor(torch.get_num_threads())
    base = _bundled_checkpoint()
    images, labels = personal_digits(personal_root)
    mnist = load_dataset("mnist", data_dir=data_dir)
    mean, std = base.spec.mean[0], base.spec.std[0]
    mine_x = torch.from_numpy(images).float().div_(255).sub_(mean).div_(std).unsqueeze(1)
    mine_y = torch.from_numpy(labels)
    model = base.build_model()
    features, head = _split(model)
    # the features stay as MNIST taught them: every image goes through them once, and each step trains the head
    # alone on those features (milliseconds, even on a busy CPU)
    seen = partial(_features, features, governor, should_stop)
    test = seen(*_subset(mnist.test_x, mnist.test_y, MNIST_SUBSET, settings.seed))
    pool = seen(*_subset(mnist.train_x, mnist.train_y, settings.mnist_pool, settings.seed + 1))
    mine = seen(mine_x, mine_y)
    varied = seen(*_variants(mine_x, mine_y, settings))
    before = (_accuracy(head, *mine), _accuracy(head, *test))
    steps = _fine_tune(head, varied, pool, settings, governor, progress, should_stop)
    after = (_accuracy(head, *mine), _accuracy(head, *test))
    path = None
    if steps == settings.steps and out != "":
        path = Path(out) if out is not None else adapted_model_path()
        _save(path, base, model, after[1], len(labels), steps)
    return AdaptResult(before[0], after[0], before[1], after[1], len(labels), len(test[1]), steps, path)


def _bundled_checkpoint() -> Checkpoint:
    path = bundled_model_path()
    if path is None:
        raise PlaygroundError("this installation has no bundled digit model to adapt; reinstall playground")
    return load_checkpoint(path)


def _subset(x: torch.Tensor, y: torch.Tensor, n: int, seed: int) -> tuple[torch.Tensor, torch.Tensor]:
    index = torch.randperm(len(y), generator=torch.Generator().manual_seed(seed))[:n]
    return x[index], y[index]


def _variants(x: torch.Tensor, y: torch.Tensor, s: AdaptSettings) -> tuple[torch.Tensor, torch.Tensor]:
    """The person's digits and slightly distorted copies of them, so that a few dozen are not learnt by heart."""
    copies = max(s.variants // len(y), 1)
    generator = torch.Generator().manual_seed(s.seed)
    repeated = x.repeat(copies, 1, 1, 1)
    varied = distort(repeated, s.distortion, float(x.min()), generator)  # x.min(): an empty pixel, standardised
    return torch.cat([x, varied]), y.repeat(copies + 1)


def _features(features: nn.Module, governor: ThreadGovernor, should_stop: Callable[[], bool], x: torch.Tensor,
              y: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
    out = []
    with torch.inference_mode():
        for k in range(0, len(y), 500):
            if should_stop():
                raise _Stopped
            governor.poll()
            out.append(features(x[k:k + 500]))
    return torch.cat(out), y


class _Stopped(Exception):
    pass


def _never() -> bool:
    return False


def _fine_tune(head: nn.Module, mine: tuple, mnist: tuple, s: AdaptSettings, governor: ThreadGovernor,
               progress: Progress | None, should_stop: Callable[[], bool]) -> int:
    """The head's training steps on features; returns how many ran (fewer when stopped)."""
    generator = torch.Generator().manual_seed(s.seed)
    optimizer = eager(torch.optim.Adam)(head.parameters(), lr=s.lr)
    head.train()
    for step in range(s.steps):
        governor.poll()
        if should_stop():
            return step
        i = torch.randint(len(mine[1]), (s.personal_batch,), generator=generator)
        j = torch.randint(len(mnist[1]), (s.mnist_batch,), generator=generator)
        x, y = torch.cat([mine[0][i], mnist[0][j]]), torch.cat([mine[1][i], mnist[1][j]])
        loss = F.cross_entropy(head(x), y, label_smoothing=0.1)
        optimizer.zero_grad(set_to_none=True)
        loss.backward()
        optimizer.step()
        if progress is not None and (step % 10 == 9 or step == s.steps - 1):
            progress(step + 1, s.steps)
    head.eval()
    return s.steps


def _split(model: nn.Module) -> tuple[nn.Module, nn.Module]:
    """(features, head): a Sequential cut at its Flatten; the features in eval mode for good (batch norm keeps
    MNIST's statistics). A model of another shape is fine-tuned whole."""
    model.eval()
    if isinstance(model, nn.Sequential):
        for k, module in enumerate(model):
            if isinstance(module, nn.Flatten):
                return model[:k], model[k:]
    return nn.Identity(), model


def _accuracy(head: nn.Module, x: torch.Tensor, y: torch.Tensor) -> float:
    head.eval()
    with torch.inference_mode():
        return int((head(x).argmax(1) == y).sum()) / max(1, len(y))


def _save(path: Path, base: Checkpoint, model: nn.Module, mnist_accuracy: float, personal: int, steps: int) -> None:
    state = {k: v.detach().clone() for k, v in model.state_dict().items()}
    metrics = [*base.metrics, {"adapted_to": personal, "adapt_steps": steps, "test_accuracy": mnist_accuracy,
                               "test_subset": MNIST_SUBSET}]
    ckpt = replace(base, model_states={"model": state}, optimizer_states=None, metrics=metrics, source="")
    save_checkpoint(os.fspath(path), ckpt)  # a temporary file, then os.replace

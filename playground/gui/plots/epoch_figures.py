"""Which figures of an epoch the two epoch plots draw: the loss (train, and the held-out split: test, or
validation where a dataset has no test split), and the kind's score (a classifier's accuracy, a regression's R²,
a GAN's discriminator, a language model's bits per character; see kinds.base.EpochScore). Qt-free."""

from __future__ import annotations

from dataclasses import dataclass

from playground.core.kinds.base import EpochScore
from playground.core.training.events import EpochMetrics


@dataclass(frozen=True)
class EpochFigures:
    score: EpochScore | None
    main_loss: str = "loss"  # the task's first loss: train_<main_loss>

    def values(self, m: EpochMetrics) -> dict[str, float | None]:
        """train_loss, test_loss, train_acc, test_acc and extra_acc (the score's further curve) of an epoch."""
        s = self.score
        held = "test" if m.get("test_loss") is not None else "val"
        out = {"train_loss": m.get(f"train_{self.main_loss}"), "test_loss": m.get(f"{held}_loss"),
               "train_acc": None, "test_acc": None, "extra_acc": None}
        if s is None:
            return out
        scale = 100.0 if s.percent else 1.0
        if "train" in s.splits:
            out["train_acc"] = _scaled(m.get(f"train_{s.metric}"), scale)
        out["test_acc"] = _scaled(next((m.get(f"{p}_{s.metric}") for p in ("test", "val") if p in s.splits
                                        and m.get(f"{p}_{s.metric}") is not None), None), scale)
        if s.also:
            out["extra_acc"] = _scaled(m.get(s.also[0][0]), scale)
        return out

    def labels(self, held_out: str = "test") -> dict[str, str]:
        """The legend's name of each curve."""
        s = self.score
        test = "validation" if held_out == "val" else "test"
        names = {"train_loss": "train", "test_loss": test, "train_acc": "train", "test_acc": test, "extra_acc": ""}
        if s is not None and "train" not in s.splits:  # no curve: no legend entry (a regression's R², a GAN's)
            names["train_acc"] = ""
        if s is not None and s.held_label:
            names["test_acc"] = s.held_label
        if s is not None and s.also:
            names["extra_acc"] = s.also[0][1]
        return names


def _scaled(value: float | None, scale: float) -> float | None:
    return None if value is None else value * scale

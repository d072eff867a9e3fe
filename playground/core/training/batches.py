"""How a kind of model draws its batches from the training split, on the device: `len()` units per epoch, an
epoch's order a permutation of them, a batch the units at some positions of that order.

Random samples (images, points, table rows): a unit is a sample. Text: a unit is a window of consecutive
characters, and its targets are the same window one character on; an epoch covers the text in windows that
start at a random offset, in random order.
"""

from __future__ import annotations

import torch


class SampleBatches:
    unit, per_unit = "samples", 1  # what the rates count

    def __init__(self, x: torch.Tensor, y: torch.Tensor):
        self.x, self.y = x, y

    def __len__(self) -> int:
        return len(self.x)

    def start_epoch(self, generator: torch.Generator) -> None:
        pass

    def draw(self, idx: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        return self.x[idx], self.y[idx]


class WindowBatches:
    unit = "characters"

    def __init__(self, tokens: torch.Tensor, window: int):
        self.tokens, self.window, self.per_unit = tokens, window, window
        self.count = (len(tokens) - 1) // window  # each window needs one character more: its last target
        self.offset = 0
        self._steps = torch.arange(window + 1, device=tokens.device)

    def __len__(self) -> int:
        return self.count

    def start_epoch(self, generator: torch.Generator) -> None:
        """Shift this epoch's windows by a random offset (from the epoch's seeded generator: a resumed run
        draws the same), so that no character always starts a window."""
        room = len(self.tokens) - 1 - self.count * self.window
        self.offset = int(torch.randint(room + 1, (1,), device=self.tokens.device, generator=generator))

    def draw(self, idx: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        rows = self.tokens[(idx * self.window + self.offset)[:, None] + self._steps]
        return rows[:, :-1], rows[:, 1:]

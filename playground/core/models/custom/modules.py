"""The small modules a custom network needs beyond torch.nn: a residual block and a recurrent layer that returns
one tensor. `source.network_source` copies their source into exported code, so they use only torch and nn."""

from __future__ import annotations

import torch
from torch import nn


class Residual(nn.Module):
    """x + body(x): the body gives back the shape it takes (the shape check makes sure)."""

    def __init__(self, body: nn.Sequential):
        super().__init__()
        self.body = body

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return x + self.body(x)


class RecurrentLayer(nn.Module):
    """A batch-first nn.LSTM, nn.GRU or nn.RNN that returns one tensor: every step's output (N x T x H) for
    output="sequence", or the last step's (N x H) for output="last"."""

    def __init__(self, rnn: nn.Module, output: str = "sequence"):
        super().__init__()
        if output not in ("sequence", "last"):
            raise ValueError(f"output must be 'sequence' or 'last', got {output!r}")
        self.rnn, self.output = rnn, output

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        out, _ = self.rnn(x)  # the state is dropped: a Sequential passes one tensor on
        if self.output == "sequence":
            return out
        if not self.rnn.bidirectional:
            return out[:, -1]
        # the backward direction reads the sequence from its end: its last step is the first position
        half = out.shape[-1] // 2
        return torch.cat([out[:, -1, :half], out[:, 0, half:]], dim=-1)

    def extra_repr(self) -> str:
        return f"output={self.output!r}"

"""Recurrent classifiers (RNN, LSTM, GRU) that read a sequence step by step, or an image row by row.

An image C x H x W becomes H steps of C*W values (MNIST: 28 steps of 28 pixels); a sequence T x F is T steps
of F values. The class comes from the last layer's final hidden state (both directions when bidirectional).
"""

from __future__ import annotations

import torch
from torch import nn

from playground.core.errors import IncompatibleError

_CELLS = {"rnn": nn.RNN, "lstm": nn.LSTM, "gru": nn.GRU}


def sequence_shape(input_shape: tuple[int, ...], arch: str) -> tuple[int, int]:
    """(steps, values per step) for an input shape."""
    if len(input_shape) == 3:
        c, h, w = input_shape
        return h, c * w
    if len(input_shape) == 2:
        return input_shape[0], input_shape[1]
    raise IncompatibleError(f"{arch} is a recurrent network and reads sequences (or images row by row), but this "
                            f"dataset has single points of shape {tuple(input_shape)}; choose linear or mlp for it")


class RecurrentClassifier(nn.Module):
    def __init__(self, cell: str, input_shape: tuple[int, ...], num_outputs: int, hidden: int = 128,
                 layers: int = 1, bidirectional: bool = False, dropout: float = 0.0):
        super().__init__()
        _, features = sequence_shape(input_shape, cell)
        self.directions = 2 if bidirectional else 1
        self.rnn = _CELLS[cell](features, hidden, layers, batch_first=True, bidirectional=bidirectional,
                                dropout=dropout if layers > 1 else 0.0)
        self.dropout = nn.Dropout(dropout) if dropout > 0 else nn.Identity()
        self.head = nn.Linear(hidden * self.directions, num_outputs)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        if x.dim() == 4:  # N x C x H x W -> N x H x (C*W): one row per step
            n, c, h, w = x.shape
            x = x.permute(0, 2, 1, 3).reshape(n, h, c * w)
        _, state = self.rnn(x.contiguous())
        h_n = state[0] if isinstance(state, tuple) else state  # the LSTM's is (h, c)
        last = h_n[-self.directions:].transpose(0, 1).reshape(x.shape[0], -1)  # the last layer, every direction
        return self.head(self.dropout(last))


def builder(cell: str):
    def build(input_shape: tuple[int, ...], num_outputs: int, hidden: int = 128, layers: int = 1,
              bidirectional: bool = False, dropout: float = 0.0) -> nn.Module:
        return RecurrentClassifier(cell, input_shape, num_outputs, hidden, layers, bidirectional, dropout)

    build.__doc__ = f"A {cell.upper()} classifier over the rows of an image or the steps of a sequence."
    return build


class CharRecurrent(nn.Module):
    """Characters (N x T ids) -> N x T x vocabulary scores for the next character: an embedding, the recurrent
    layers, a linear read-out at every step. `forward_state` carries the state from one call to the next, so
    that writing goes on character by character without reading everything again."""

    def __init__(self, cell: str, vocab: int, hidden: int = 128, layers: int = 1, dropout: float = 0.0):
        super().__init__()
        self.embedding = nn.Embedding(vocab, hidden)
        self.rnn = _CELLS[cell](hidden, hidden, layers, batch_first=True, dropout=dropout if layers > 1 else 0.0)
        self.dropout = nn.Dropout(dropout) if dropout > 0 else nn.Identity()
        self.head = nn.Linear(hidden, vocab)

    def forward(self, idx: torch.Tensor) -> torch.Tensor:
        return self.forward_state(idx)[0]

    def forward_state(self, idx: torch.Tensor, state: object = None) -> tuple[torch.Tensor, object]:
        out, state = self.rnn(self.embedding(idx), state)
        return self.head(self.dropout(out)), state


def text_builder(cell: str):
    def build(input_shape: tuple[int, ...], num_outputs: int, hidden: int = 128, layers: int = 1,
              bidirectional: bool = False, dropout: float = 0.0) -> nn.Module:
        if bidirectional:
            raise IncompatibleError(f"a bidirectional {cell} would read the very character it must predict; "
                                    "turn bidirectional off for text")
        return CharRecurrent(cell, num_outputs, hidden, layers, dropout)

    build.__doc__ = f"A {cell.upper()} that reads text one character after another and predicts the next."
    return build

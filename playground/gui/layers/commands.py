"""Every edit of the layers as an undoable command on one QUndoStack: add, remove, duplicate, move, set an
argument, replace them all. A command keeps the list before and after (a network is a few dozen small dicts),
so undo and redo put back exactly what was there, and the rows it touched are selected again."""

from __future__ import annotations

import copy
from typing import Any

from PySide6.QtGui import QUndoCommand, QUndoStack

from playground.gui.layers.stack_model import LayerStackModel

# what a layer added from the palette starts with: the arguments it cannot do without (Linear leaves out
# out_features: as the network's last Linear it then gives the dataset's outputs)
STARTERS: dict[str, dict[str, Any]] = {
    "Conv2d": {"out_channels": 16, "kernel_size": 3, "padding": 1},
    "ConvTranspose2d": {"out_channels": 16, "kernel_size": 2, "stride": 2},
    "MaxPool2d": {"kernel_size": 2}, "AvgPool2d": {"kernel_size": 2}, "AdaptiveAvgPool2d": {"output_size": 1},
    "Upsample": {"scale_factor": 2}, "Embedding": {"embedding_dim": 64},
    "LSTM": {"hidden_size": 128}, "GRU": {"hidden_size": 128}, "RNN": {"hidden_size": 128},
    "TransformerBlock": {"heads": 4}, "Residual": {"layers": [{"type": "ReLU"}]},
}
Layers = list[dict[str, Any]]


class EditLayers(QUndoCommand):
    def __init__(self, model: LayerStackModel, text: str, before: Layers, after: Layers,
                 selected_before: list[int], selected_after: list[int]):
        super().__init__(text)
        self._model = model
        self._before, self._after = before, after
        self._selected_before, self._selected_after = selected_before, selected_after

    def redo(self) -> None:
        self._model.set_layers(copy.deepcopy(self._after), self._selected_after)

    def undo(self) -> None:
        self._model.set_layers(copy.deepcopy(self._before), self._selected_before)


class LayerEdits:
    """The edits the editor offers, each one command on `stack` (Ctrl+Z / Ctrl+Shift+Z)."""

    def __init__(self, model: LayerStackModel, stack: QUndoStack):
        self.model, self.stack = model, stack

    def _push(self, text: str, after: Layers, selected: list[int], selected_after: list[int]) -> None:
        if after != self.model.layers:
            self.stack.push(EditLayers(self.model, text, copy.deepcopy(self.model.layers), after, selected,
                                       selected_after))

    def add(self, type_name: str, row: int, selected: list[int]) -> None:
        row = max(0, min(row, len(self.model.layers)))
        layer = {"type": type_name, **copy.deepcopy(STARTERS.get(type_name, {}))}
        self._push(f"Add {type_name}", _inserted(self.model.layers, row, [layer]), selected, [row])

    def remove(self, rows: list[int]) -> None:
        rows = _valid(rows, self.model.layers)
        if rows:
            kept = [layer for i, layer in enumerate(self.model.layers) if i not in rows]
            after = [min(rows[0], len(kept) - 1)] if kept else []
            self._push(f"Remove {_names(self.model.layers, rows)}", copy.deepcopy(kept), rows, after)

    def duplicate(self, rows: list[int]) -> None:
        rows = _valid(rows, self.model.layers)
        if rows:
            copies = [self.model.layers[i] for i in rows]
            at = rows[-1] + 1
            self._push(f"Duplicate {_names(self.model.layers, rows)}", _inserted(self.model.layers, at, copies),
                       rows, list(range(at, at + len(rows))))

    def move(self, rows: list[int], delta: int) -> None:
        """One place up (delta -1) or down (+1), the rows kept together; nothing past either end."""
        rows = _valid(rows, self.model.layers)
        if rows and 0 <= rows[0] + delta and rows[-1] + delta < len(self.model.layers):
            self.move_to(rows, rows[0] + delta if delta < 0 else rows[-1] + 2)

    def move_to(self, rows: list[int], target: int) -> None:
        """The rows, in order, to before row `target` of the list as it is now (a drop)."""
        rows = _valid(rows, self.model.layers)
        if not rows:
            return
        moved = [self.model.layers[i] for i in rows]
        kept = [layer for i, layer in enumerate(self.model.layers) if i not in rows]
        at = target - sum(1 for i in rows if i < target)
        self._push(f"Move {_names(self.model.layers, rows)}", _inserted(kept, at, moved), rows,
                   list(range(at, at + len(rows))))

    def set_argument(self, row: int, name: str, value: Any) -> None:
        """value None leaves the argument out (its default, or inferred from the input)."""
        if not 0 <= row < len(self.model.layers):
            return
        after = copy.deepcopy(self.model.layers)
        if value is None:
            after[row].pop(name, None)
        else:
            after[row][name] = value
        self._push(f"Set {name} of layer {row + 1}", after, [row], [row])

    def replace(self, layers: Layers, text: str) -> None:
        self._push(text, copy.deepcopy(layers), [], [0] if layers else [])


def _inserted(layers: Layers, at: int, new: Layers) -> Layers:
    return copy.deepcopy(layers[:at] + new + layers[at:])


def _valid(rows: list[int], layers: Layers) -> list[int]:
    return sorted({r for r in rows if 0 <= r < len(layers)})


def _names(layers: Layers, rows: list[int]) -> str:
    if len(rows) == 1:
        return f"layer {rows[0] + 1} ({layers[rows[0]].get('type', '?')})"
    return f"{len(rows)} layers"

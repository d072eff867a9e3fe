"""The palette: every layer type of the core's table (core.models.custom.layer_types), grouped, each with a
tooltip of what it takes and its arguments. Double-click or Enter adds one; a type can be dragged into the list.

The types are read once torch has loaded (layer_types builds them from torch.nn's signatures): until then the
palette says it is waiting."""

from __future__ import annotations

from PySide6.QtCore import QByteArray, QMimeData, Qt, Signal, Slot
from PySide6.QtWidgets import QAbstractItemView, QListWidget, QListWidgetItem, QWidget

from playground.gui.layers.stack_model import TYPE_MIME

GROUPS = (
    ("Layers", ("Linear", "Conv2d", "ConvTranspose2d", "Embedding")),
    ("Pooling and shape", ("MaxPool2d", "AvgPool2d", "AdaptiveAvgPool2d", "Upsample", "Flatten", "Identity")),
    ("Normalisation", ("BatchNorm1d", "BatchNorm2d", "LayerNorm", "Dropout")),
    ("Activations", ("ReLU", "Tanh", "Sigmoid", "GELU", "LeakyReLU", "SiLU", "ELU", "Softmax")),
    ("Sequences", ("LSTM", "GRU", "RNN", "TransformerBlock")),
    ("Blocks", ("Residual",)),
)
_TYPE_ROLE = Qt.ItemDataRole.UserRole


class LayerPalette(QListWidget):
    chosen = Signal(str)  # a layer type to add

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("layerPalette")
        self.setToolTip("Layer types: double-click one (or press Enter) to add it after the selected layer, "
                        "or drag it into the list")
        self.setDragEnabled(True)
        self.setDragDropMode(QAbstractItemView.DragDropMode.DragOnly)
        self.setMaximumWidth(150)
        self.addItem("Loading layer types…")
        self.loaded = False
        self.itemActivated.connect(self._on_item_activated)

    def load(self) -> None:
        """Fill the palette from the core's layer types (imports torch: call once it has loaded)."""
        if self.loaded:
            return
        from playground.core.models.custom.layer_types import LAYER_TYPES

        self.clear()
        listed = {name for _, names in GROUPS for name in names}
        others = tuple(name for name in LAYER_TYPES if name not in listed)
        for group, names in (*GROUPS, ("Other", others)):
            present = [n for n in names if n in LAYER_TYPES]
            if present:
                self._add_header(group)
            for name in present:
                item = QListWidgetItem(f"  {name}")
                item.setData(_TYPE_ROLE, name)
                item.setToolTip(type_tooltip(LAYER_TYPES[name]))
                self.addItem(item)
        self.loaded = True

    def _add_header(self, text: str) -> None:
        item = QListWidgetItem(text)
        item.setFlags(Qt.ItemFlag.NoItemFlags)  # a heading: neither chosen nor dragged
        font = item.font()
        font.setBold(True)
        item.setFont(font)
        self.addItem(item)

    def item_for(self, type_name: str) -> QListWidgetItem | None:
        for i in range(self.count()):
            if self.item(i).data(_TYPE_ROLE) == type_name:
                return self.item(i)
        return None

    def mimeData(self, items: list[QListWidgetItem]) -> QMimeData:
        data = QMimeData()
        names = [i.data(_TYPE_ROLE) for i in items if i.data(_TYPE_ROLE)]
        if names:
            data.setData(TYPE_MIME, QByteArray(names[0].encode()))
        return data

    def mimeTypes(self) -> list[str]:
        return [TYPE_MIME]

    @Slot(QListWidgetItem)
    def _on_item_activated(self, item: QListWidgetItem) -> None:
        if item.data(_TYPE_ROLE):
            self.chosen.emit(item.data(_TYPE_ROLE))


_TAKES = {"images": "images (channels × height × width)", "features": "features", "sequences":
          "sequences (steps × features)", "token ids": "token ids"}


def type_tooltip(layer: object) -> str:
    """What a layer type takes and its arguments, the inferred one named (a layer_types.LayerType)."""
    from playground.core.models.custom.arguments import describe_kinds

    takes = " or ".join(_TAKES.get(t, t) for t in layer.takes)
    lines = [f"{layer.name}: takes {takes}"]
    if layer.name == "Residual":
        lines.append("Its layers' output is added to its input (a skip connection); set its layers as a list")
    for arg in layer.args.values():
        if arg.name == layer.inferred:
            note = f"inferred from the input's {layer.inferred_from}"
        elif arg.required:
            note = "required"
        else:
            note = f"default {arg.default!r}"
        lines.append(f"  {arg.name}: {describe_kinds(arg.kinds)}, {note}")
    return "\n".join(lines)

"""Qt-free core: configs, registries, data as tensors, the Trainer, checkpoints.

Nothing under this package may import PySide6, pyqtgraph or playground.gui.
"""

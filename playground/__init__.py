"""playground: learn and try out deep learning with PyTorch."""

__version__ = "0.1.0"

"""Architectures: a registry of builders that adapt to a dataset's input shape."""

"""Datasets: a registry of loaders that return whole splits as tensors."""

"""Sweeps in the app: Run › Sweep… (dialog), the worker processes (runner), the Sweep view (view, plots, table)."""

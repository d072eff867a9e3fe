"""The Trainer and what it reports: one training loop for the CLI, the benchmark and the app."""

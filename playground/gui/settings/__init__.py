"""The settings form (architecture, dataset, their options, hyperparameters, per-network optimizers), the
model summary, presets, the knobs that stay live during a run, and the settings remembered between launches."""

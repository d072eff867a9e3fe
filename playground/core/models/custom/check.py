"""A custom network checked against the run it would train in, before any data is loaded: its layers as data,
the shape of each layer's output on the dataset's inputs (the first layer that cannot take its input named, with a
fix), and the memory it would need at the batch size. `playground train` runs this in check(); the app's layer
editor runs it off the GUI thread as the layers are typed."""

from __future__ import annotations

from typing import Any

from playground.core.errors import ConfigError


def layer_problems(config: Any) -> list[tuple[str, str]]:
    """(setting, message) pairs; empty when the layers can train on the config's dataset."""
    from playground.core.data.catalogue import DATASET_CATALOGUE
    from playground.core.data.inputs import TEXT
    from playground.core.kinds import kind_for
    from playground.core.models.custom.memory import memory_problem
    from playground.core.models.custom.shapes import check_shapes
    from playground.core.models.custom.spec import parse_layers

    try:
        specs = parse_layers(config.layers)
    except ConfigError as e:
        return list(e.problems)
    info = DATASET_CATALOGUE[config.dataset]
    shape = kind_for(config.arch, config.dataset).planned_input(config)
    if not shape:  # a table's columns are known once it is read: the network is checked when it is built
        return []
    report = check_shapes(specs, shape, tokens=info.inputs == TEXT, num_outputs=info.num_outputs or None,
                          batch_size=config.batch_size)
    if report.problem is not None:
        return [("layers", report.problem.message)]
    if (message := memory_problem(report)) is not None:
        return [("layers", message)]
    return []

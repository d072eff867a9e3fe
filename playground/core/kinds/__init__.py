"""The kinds of model, registered here and nowhere else: a new kind is one module beside these and one line in
`KINDS`. Everything outside a kind asks it (`kind_named`, `kind_of`); see base.ModelKind."""

from __future__ import annotations

from typing import Any

from playground.core.kinds import classifier, gan, language, regressor, vae
from playground.core.kinds.base import EpochScore, GenerateRequest, ModelKind

KINDS: dict[str, ModelKind] = {k.name: k for k in (
    classifier.KIND,
    regressor.KIND,
    gan.KIND,
    vae.KIND,
    language.KIND,
)}

__all__ = ["KINDS", "EpochScore", "GenerateRequest", "ModelKind", "kind_for", "kind_named", "kind_of"]


def kind_named(name: str) -> ModelKind:
    """The kind a ModelSpec's task names; KeyError for a name no kind has."""
    return KINDS[name]


def kind_of(spec: Any) -> ModelKind:
    """The kind of a model (a ModelSpec, or anything with its .task)."""
    return KINDS[spec.task]


def kind_for(arch: str, dataset: str) -> ModelKind:
    """The kind a run of `arch` on `dataset` (catalogue names) trains: the architecture's own, else the
    dataset's task."""
    from playground.core.data.catalogue import DATASET_CATALOGUE
    from playground.core.models.catalogue import arch_task

    return KINDS[arch_task(arch, DATASET_CATALOGUE[dataset].task)]

"""A sweep as an optuna study: made once with its spec in the study's user attributes, loaded by every worker
(on this machine or another) with the sampler and pruner its spec names. No search of our own."""

from __future__ import annotations

from typing import Any

from playground.core.errors import ConfigError, StoreError
from playground.core.sweeps.settings import check_space
from playground.core.sweeps.space import grid_space
from playground.core.sweeps.spec import SweepSpec
from playground.core.sweeps.storage import open_storage, quiet, require_optuna, shown_url

SPEC_ATTR = "playground"  # the study's user attribute that holds the sweep's spec


def create_study(spec: SweepSpec, storage_url: str | None = None) -> tuple[Any, SweepSpec]:
    """A new study for the sweep (its spec checked first); StoreError when one of that name exists."""
    optuna = require_optuna()
    spec = spec.resolved()
    check_space(spec.config, list(spec.space))
    storage = open_storage(storage_url)
    if spec.name in _names(storage):
        raise StoreError(f"there already is a sweep named {spec.name!r} in {shown_url(storage.url)}; go on with it "
                         f"(playground sweep {spec.name} --resume) or choose another --name")
    with quiet():
        study = optuna.create_study(storage=storage, study_name=spec.name, direction=spec.direction,
                                    sampler=make_sampler(spec), pruner=make_pruner(spec))
    study.set_user_attr(SPEC_ATTR, spec.to_attrs())
    return study, spec


def load_study(name: str, storage_url: str | None = None) -> tuple[Any, SweepSpec]:
    """The study of the sweep `name` with its sampler and pruner, and its spec."""
    optuna = require_optuna()
    storage = open_storage(storage_url)
    if name not in _names(storage):
        known = ", ".join(sorted(_names(storage))) or "none yet"
        raise StoreError(f"there is no sweep named {name!r} in {shown_url(storage.url)} (its sweeps: {known}); "
                         "check the name and --storage")
    with quiet():
        bare = optuna.load_study(study_name=name, storage=storage)
    attrs = bare.user_attrs.get(SPEC_ATTR)
    if not isinstance(attrs, dict):
        raise StoreError(f"the study {name!r} in {shown_url(storage.url)} was not made by playground sweep; "
                         "choose another name")
    spec = SweepSpec.from_attrs(name, attrs)
    with quiet():
        study = optuna.load_study(study_name=name, storage=storage, sampler=make_sampler(spec),
                                  pruner=make_pruner(spec))
    return study, spec


def set_trials(study: Any, spec: SweepSpec, trials: int) -> SweepSpec:
    """Raise (or lower) the trial count of a sweep, for a resume that goes on further."""
    if trials < 1:
        raise ConfigError([("trials", f"must be at least 1, got {trials}")])
    spec = spec.replace(trials=trials)
    study.set_user_attr(SPEC_ATTR, spec.to_attrs())
    return spec


def sweep_names(storage_url: str | None = None) -> list[str]:
    """The sweeps in a storage, as their names."""
    return sorted(_names(open_storage(storage_url)))


def unique_name(base: str, storage_url: str | None = None) -> str:
    """`base`, or `base-2`, `base-3`... where a sweep has that name already."""
    taken, name, n = set(sweep_names(storage_url)), base, 1
    while name in taken:
        n += 1
        name = f"{base}-{n}"
    return name


def _names(storage: Any) -> set[str]:
    return {s.study_name for s in storage.get_all_studies()}


def make_sampler(spec: SweepSpec) -> Any:
    """optuna's sampler for the strategy: a grid over the listed values, random, or TPE (constant liar: workers
    running at once do not all pick the same point)."""
    optuna = require_optuna()
    with quiet():
        if spec.strategy == "grid":
            return optuna.samplers.GridSampler(grid_space(list(spec.space)))
        if spec.strategy == "random":
            return optuna.samplers.RandomSampler()
        return optuna.samplers.TPESampler(n_startup_trials=min(10, max(3, spec.trials // 3)), constant_liar=True)


def make_pruner(spec: SweepSpec) -> Any:
    """The median rule (stop a trial whose epoch is worse than the median of the trials before at that epoch,
    once a few trials have finished and a quarter of its epochs are done, the second at least), or none. Judged
    at epoch 2 of 100, every trial is still near chance: a slow start is not a poor trial."""
    optuna = require_optuna()
    if spec.prune == "none":
        return optuna.pruners.NopPruner()
    # optuna prunes from step n_warmup_steps on; the steps are epochs, counted from 1
    warmup = max(2, spec.config.epochs // 4)
    return optuna.pruners.MedianPruner(n_startup_trials=min(5, max(3, spec.trials // 4)), n_warmup_steps=warmup)

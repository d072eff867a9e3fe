"""torch.optim's optimizers without importing torch._dynamo, which takes 2.5-3 s (the largest part of the app's
start on a slow machine).

torch.optim wraps an optimizer's step, zero_grad, add_param_group, state_dict and load_state_dict so that, when
torch.compile traces an optimizer, the graph breaks around them; each wrapper imports torch._dynamo on its first
call, even in eager mode, where the wrappers do nothing else. The playground never compiles an optimizer (only a
model, with --compile), so `eager(cls)` is cls with those wrappers taken off: the same code runs, without the
import. Should torch change its wrappers, they are not recognised and stay: slower to start, never wrong.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

import torch
from torch._compile import _disable_dynamo
from torch.optim.optimizer import _use_grad_for_differentiable

_DYNAMO_WRAPPED = ("zero_grad", "add_param_group", "state_dict", "load_state_dict")
_DISABLE_CODE = _disable_dynamo(lambda: None).__code__
_USE_GRAD_CODE = _use_grad_for_differentiable(lambda: None).__code__
_cache: dict[type, type] = {}


def eager(cls: type[torch.optim.Optimizer]) -> type[torch.optim.Optimizer]:
    """A subclass of cls, named as it is, whose methods do not import torch._dynamo."""
    if cls not in _cache:
        methods: dict[str, Any] = {}
        for name in _DYNAMO_WRAPPED:
            inner = _inside(getattr(cls, name), _DISABLE_CODE)
            if inner is not None:
                methods[name] = inner
        raw_step = _inside(cls.step, _USE_GRAD_CODE)
        if raw_step is not None:
            methods["step"] = _step_without_graph_breaks(raw_step)
        _cache[cls] = type(cls.__name__, (cls,), {**methods, "__module__": cls.__module__,
                                                  "__qualname__": cls.__qualname__})
    return _cache[cls]


def _inside(method: Callable, wrapper_code: Any) -> Callable | None:
    """What the wrapper with this code wraps, looking through the functools.wraps chain (torch's profiler hook
    wraps step once an optimizer of the class exists); None where no such wrapper is found."""
    f: Any = method
    while f is not None:
        if getattr(f, "__code__", None) is wrapper_code:
            return f.__wrapped__
        f = getattr(f, "__wrapped__", None)
    return None


def _step_without_graph_breaks(raw: Callable) -> Callable:
    """torch.optim's _use_grad less its graph breaks: grad mode off (unless differentiable) around the step."""

    @functools.wraps(raw)
    def step(self: torch.optim.Optimizer, *args: Any, **kwargs: Any) -> Any:
        previous = torch.is_grad_enabled()
        try:
            torch.set_grad_enabled(self.defaults["differentiable"])
            return raw(self, *args, **kwargs)
        finally:
            torch.set_grad_enabled(previous)

    return step

"""Building a model on the meta device: its shapes and parameter counts, with no memory and no initialisers run.

On the meta device torch runs an initialiser (normal_, trunc_normal_...) through its Python reference kernels,
which import torch._dynamo on their first use: 2.5-3 s on a slow machine, for values a meta tensor does not have.
Inside `meta_build()` an in-place operation on a meta tensor returns it untouched, unless it changes the tensor's
shape or flags.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import torch
from torch.overrides import TorchFunctionMode

# in-place operations that change a tensor's shape, strides or flags, which a shape must see
_SHAPE_CHANGING = frozenset({
    "resize_", "resize_as_", "set_", "as_strided_", "squeeze_", "unsqueeze_", "t_", "transpose_", "swapdims_",
    "swapaxes_", "requires_grad_", "share_memory_", "detach_", "retain_grad",
})


class _SkipValuesOnMeta(TorchFunctionMode):
    def __torch_function__(self, func: Any, types: Any, args: tuple = (), kwargs: dict | None = None) -> Any:
        kwargs = kwargs or {}
        name = getattr(func, "__name__", "")
        if name.endswith("_") and not name.startswith("_") and name not in _SHAPE_CHANGING:
            target = args[0] if args else kwargs.get("tensor")  # torch.nn.init passes it by name
            if isinstance(target, torch.Tensor) and target.is_meta:
                return target
        return func(*args, **kwargs)


@contextmanager
def meta_build() -> Iterator[None]:
    """Modules created inside are on the meta device, their initialisers skipped."""
    with torch.device("meta"), _SkipValuesOnMeta():
        yield

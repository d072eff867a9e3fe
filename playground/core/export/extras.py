"""The optional packages exports need: a missing one is named with the extra that installs it."""

from __future__ import annotations

import importlib.util

from playground.core.errors import ExportError

INSTALL_HINT = "pip install 'playground[export]'"


def require(*packages: str) -> None:
    missing = [p for p in packages if importlib.util.find_spec(p) is None]
    if missing:
        raise ExportError(f"this export needs {', '.join(missing)}, which {'is' if len(missing) == 1 else 'are'} "
                          f"not installed; {INSTALL_HINT}")

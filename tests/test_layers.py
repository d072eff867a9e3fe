"""The shape of the code, enforced: a Qt-free core, arrows pointing down, and a clean `ruff check`."""

from __future__ import annotations

import os
import pkgutil
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import playground.core

ROOT = Path(__file__).resolve().parents[1]
QT_MODULES = ("PySide6", "shiboken6", "pyqtgraph")


def _venv_tool(name: str) -> str:
    """A console script installed next to this Python (the venv's), so CI and a checkout run the same one."""
    found = shutil.which(name, path=str(Path(sys.executable).parent))
    if found is None:
        pytest.fail(f"{name} is not installed next to {sys.executable}; pip install -e '.[test]'")
    return found


def _non_gui_modules() -> list[str]:
    core = [m.name for m in pkgutil.walk_packages(playground.core.__path__, "playground.core.")]
    return ["playground.core", *core, "playground.cli", "playground.cli_train", "playground.cli_runs",
            "playground.cli_export", "playground.cli_signals"]


def test_import_linter_contracts_hold():
    result = subprocess.run([_venv_tool("lint-imports"), "--no-cache", "--no-logo"], cwd=ROOT,
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout


def test_every_non_gui_module_imports_without_qt():
    modules = _non_gui_modules()
    assert len(modules) > 20, "walk_packages found too few modules; is the package layout broken?"
    code = (
        "import importlib, sys\n"
        f"for name in {modules!r}:\n"
        "    importlib.import_module(name)\n"
        f"qt = {QT_MODULES!r}\n"
        "print(','.join(sorted(m for m in sys.modules if m.split('.')[0] in qt or m.startswith('playground.gui'))))\n"
    )
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120, env=env)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "", f"importing the core and the CLI loaded Qt: {result.stdout.strip()}"


def test_cli_help_needs_neither_torch_nor_qt():
    """`playground --help` answers at once: the CLI module imports only the standard library."""
    code = "import sys, playground.cli; print(','.join(m for m in ('torch', 'PySide6') if m in sys.modules))"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == ""


def test_ruff_is_clean():
    paths = [p for p in ("playground", "tests", "bench") if (ROOT / p).is_dir()]
    result = subprocess.run([_venv_tool("ruff"), "check", "--no-cache", *paths], cwd=ROOT,
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr

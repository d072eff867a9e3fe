"""The app's side of the fault suite runs under the GUI tests' own fixtures: a ready window, settings in a
temporary folder, garbage collected in the GUI thread, and no QThread or window left behind. They live in
tests/gui/conftest.py; this folder takes them from there, so that the rest of the fault suite (the core and
the CLI) never creates a QApplication."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

_GUI_TESTS = Path(__file__).resolve().parents[2] / "gui"
sys.path.insert(0, str(_GUI_TESTS))  # guitest, which that conftest imports too

_spec = importlib.util.spec_from_file_location("gui_conftest_for_faults", _GUI_TESTS / "conftest.py")
_gui = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(_gui)

_collect_garbage_in_the_gui_thread = _gui._collect_garbage_in_the_gui_thread
_private_settings = _gui._private_settings
_dangling_qthreads_and_windows = _gui._dangling_qthreads_and_windows
window = _gui.window

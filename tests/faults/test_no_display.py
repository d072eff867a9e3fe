"""Starting the app where no window can open: one line naming the problem and the fix, exit 1, no core dump."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from playground.gui import display_check

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="X11 and Wayland checks are Linux's")


def _app(env_changes: dict[str, str | None], code: str = "from playground.cli import main; sys.exit(main([]))"):
    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")}
    env.update({k: v for k, v in env_changes.items() if v is not None})
    return subprocess.run([sys.executable, "-c", f"import sys; {code}"], env=env, capture_output=True,
                          text=True, timeout=60)


def test_without_a_display_the_app_says_so_and_exits_1():
    result = _app({})
    assert result.returncode == 1, result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1
    assert "no display" in lines[0] and "DISPLAY" in lines[0] and "playground train" in lines[0]


def test_a_display_that_does_not_answer_is_named():
    result = _app({"DISPLAY": ":97"})
    assert result.returncode == 1, result.stderr
    assert "':97'" in result.stderr and "playground train" in result.stderr


def test_missing_qt_libraries_are_named_with_the_install_command():
    ldd = "\tlibxcb-icccm.so.4 => not found\n\tlibxcb.so.1 => /usr/lib/libxcb.so.1 (0x1)\n"
    code = ("import playground.gui.display_check as d; d._ldd = lambda p: " + repr(ldd) + "; "
            "d._loadable = lambda name: False; from playground.cli import main; sys.exit(main([]))")
    result = _app({"DISPLAY": ":97"}, code)
    assert result.returncode == 1, result.stderr
    assert "libxcb-icccm.so.4" in result.stderr and "libxcb-cursor.so.0" in result.stderr
    assert "sudo apt-get install libxcb-icccm4 libxcb-cursor0" in result.stderr


def test_an_explicit_platform_is_left_to_qt(monkeypatch):
    monkeypatch.setenv("QT_QPA_PLATFORM", "offscreen")
    monkeypatch.delenv("DISPLAY", raising=False)
    assert display_check.problem() is None


def test_ldd_output_and_package_names():
    out = "\tlibxkbcommon-x11.so.0 => not found\n\tlibxcb-icccm.so.4 => not found\n\tlibxcb-icccm.so.4 => not found\n"
    assert display_check.parse_ldd(out) == ["libxkbcommon-x11.so.0", "libxcb-icccm.so.4"]
    assert display_check.debian_package("libxkbcommon-x11.so.0") == "libxkbcommon-x11-0"
    assert display_check.debian_package("libxcb-render-util.so.0") == "libxcb-render-util0"
    assert display_check.debian_package("libGL.so.1") == "libgl1"

"""Before Qt starts: is there a screen, and can Qt's platform plugin load? A message, never a core dump.

Without a display, or without the X11 libraries its xcb plugin needs, Qt aborts the process (exit 134) with a
text that suggests reinstalling the application. This module finds both cases first and says what to do.
Imports no Qt at module level: the plugin folder is looked up only on Linux with an X display.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

HEADLESS_HINT = "`playground train` trains without a window (see `playground train --help`)"
# loaded by the xcb plugin with dlopen, so `ldd` does not list it (Qt 6.5+)
DLOPENED = ("libxcb-cursor.so.0",)
_PACKAGE_EXCEPTIONS = {"libGL.so.1": "libgl1", "libEGL.so.1": "libegl1", "libOpenGL.so.0": "libopengl0",
                       "libglib-2.0.so.0": "libglib2.0-0", "libgthread-2.0.so.0": "libglib2.0-0",
                       "libX11-xcb.so.1": "libx11-xcb1", "libX11.so.6": "libx11-6"}


def problem() -> str | None:
    """Why the window cannot open here, naming the fix; None when it can (or when Qt is told where to draw)."""
    if not sys.platform.startswith("linux"):
        return None
    platform = os.environ.get("QT_QPA_PLATFORM", "").split(":")[0]
    if platform and platform != "xcb":
        return None  # offscreen, wayland, vnc...: the user chose; Qt's own message will do
    if not platform and os.environ.get("WAYLAND_DISPLAY"):
        return None
    if not os.environ.get("DISPLAY"):
        return ("no display: DISPLAY and WAYLAND_DISPLAY are not set (as over ssh), so the window cannot open. "
                f"Run it on a desktop, with `ssh -X`, or under `xvfb-run playground`; {HEADLESS_HINT}")
    missing = missing_libraries()
    if missing:
        packages = " ".join(dict.fromkeys(debian_package(lib) for lib in missing))
        return (f"Qt cannot open a window: its X11 platform plugin (xcb) needs {', '.join(missing)}, which "
                f"this system lacks. On Debian or Ubuntu: sudo apt-get install {packages} "
                f"(see the README for other systems); {HEADLESS_HINT}")
    if not _x_server_answers():
        return (f"cannot connect to the X display {os.environ['DISPLAY']!r}: is the X server running, and may "
                f"this user use it (xhost, XAUTHORITY)? {HEADLESS_HINT[0].upper()}{HEADLESS_HINT[1:]}")
    return None


def missing_libraries(plugin: Path | None = None) -> list[str]:
    """The shared libraries the xcb plugin needs and the dynamic loader cannot find."""
    plugin = plugin or _xcb_plugin()
    if plugin is None or not plugin.is_file():
        return []
    found = parse_ldd(_ldd(plugin))
    return found + [lib for lib in DLOPENED if lib not in found and not _loadable(lib)]


def parse_ldd(output: str) -> list[str]:
    """The 'lib.so.N => not found' names of ldd's output, each once, in order."""
    return list(dict.fromkeys(re.findall(r"^\s*(\S+)\s+=>\s+not found", output, re.MULTILINE)))


def debian_package(soname: str) -> str:
    """The Debian/Ubuntu package that ships a library, by Debian's naming rule (libfoo-bar.so.4 -> libfoo-bar4)."""
    if soname in _PACKAGE_EXCEPTIONS:
        return _PACKAGE_EXCEPTIONS[soname]
    name, _, version = soname.partition(".so.")
    version = version.split(".")[0]
    separator = "-" if name[-1:].isdigit() else ""
    return f"{name.lower()}{separator}{version}"


def _xcb_plugin() -> Path | None:
    try:
        from PySide6.QtCore import QLibraryInfo  # QtCore alone: loads no platform plugin
    except ImportError:
        return None
    return Path(QLibraryInfo.path(QLibraryInfo.LibraryPath.PluginsPath)) / "platforms" / "libqxcb.so"


def _ldd(path: Path) -> str:
    ldd = shutil.which("ldd")
    if ldd is None:
        return ""
    try:
        return subprocess.run([ldd, str(path)], capture_output=True, text=True, timeout=10).stdout
    except (OSError, subprocess.SubprocessError):
        return ""


def _loadable(soname: str) -> bool:
    try:
        ctypes.CDLL(soname)
        return True
    except OSError:
        return False


def _x_server_answers() -> bool:
    """Connect to the display with libxcb, as Qt will, and hang up; True if libxcb is not there to ask."""
    name = ctypes.util.find_library("xcb")
    if name is None:
        return True
    try:
        xcb = ctypes.CDLL(name)
    except OSError:
        return True
    xcb.xcb_connect.restype = ctypes.c_void_p
    xcb.xcb_connect.argtypes = [ctypes.c_char_p, ctypes.POINTER(ctypes.c_int)]
    xcb.xcb_connection_has_error.argtypes = [ctypes.c_void_p]
    xcb.xcb_disconnect.argtypes = [ctypes.c_void_p]
    connection = xcb.xcb_connect(None, None)
    try:
        return connection is not None and xcb.xcb_connection_has_error(connection) == 0
    finally:
        if connection:
            xcb.xcb_disconnect(connection)

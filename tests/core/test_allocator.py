"""The allocator settings: taken once per process on glibc, left alone when asked."""

from __future__ import annotations

import subprocess
import sys

import pytest

from playground.core.training import allocator

CHECK = "from playground.core.training.allocator import keep_freed_memory as k; print(k(), k())"


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="glibc's mallopt")
def test_glibc_takes_the_settings_once_per_process():
    out = subprocess.run([sys.executable, "-c", CHECK], capture_output=True, text=True, check=True).stdout.split()
    assert out == ["True", "True"]


def test_the_off_switch_leaves_the_allocator_alone():
    env = {allocator.OFF_SWITCH: "1", "PATH": ""}
    out = subprocess.run([sys.executable, "-c", CHECK], capture_output=True, text=True, check=True, env=env)
    assert out.stdout.split() == ["False", "True"]

"""The kinds of model are plug-ins: no module outside playground/core/kinds tests a kind's name, and each kind
is one module registered on one line of playground/core/kinds/__init__.py."""

from __future__ import annotations

import re
from pathlib import Path

from playground.core.kinds import KINDS
from playground.core.kinds.base import ModelKind

PACKAGE = Path(__file__).resolve().parents[1] / "playground"
NAMES = "|".join(re.escape(name) for name in KINDS)
# a comparison with a kind's name (task == "gan", "vae" != kind, kind in ("gan", "vae")), or of a model's task
# with anything (spec.task == GAN); a dataset deciding its own task (a table's target) is the data's business
COMPARED = re.compile(rf"""(==|!=|\bin)\s*\(?\s*["']({NAMES})["']|["']({NAMES})["']\s*(==|!=)"""
                      r"""|(spec|info|started|event|snapshot)\.task\s*(==|!=|\bin\b)""")


def test_no_module_outside_the_kinds_tests_a_kinds_name():
    found = []
    for path in PACKAGE.rglob("*.py"):
        if path.is_relative_to(PACKAGE / "core" / "kinds"):
            continue
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if COMPARED.search(line.split("#")[0]):
                found.append(f"{path.relative_to(PACKAGE.parent)}:{number}: {line.strip()}")
    assert not found, "kind names tested outside playground/core/kinds:\n" + "\n".join(found)


def test_each_kind_is_one_module_and_one_registration_line():
    registry = (PACKAGE / "core" / "kinds" / "__init__.py").read_text(encoding="utf-8")
    for name, kind in KINDS.items():
        module = type(kind).__module__.rsplit(".", 1)[-1]
        assert (PACKAGE / "core" / "kinds" / f"{module}.py").is_file()
        assert len(re.findall(rf"^\s+{module}\.KIND,$", registry, re.MULTILINE)) == 1, name
        assert isinstance(kind, ModelKind) and kind.name == name and kind.title and kind.does


def test_every_kind_says_what_shows_it_and_a_dock_exists_for_each_view():
    from playground.gui.dock_declarations import DOCKS

    docks = {d.name for d in DOCKS}
    for kind in KINDS.values():
        assert kind.views and kind.views <= docks, kind.name
        assert all(d.applies_to(kind) == (d.every_kind or d.name in kind.views) for d in DOCKS)

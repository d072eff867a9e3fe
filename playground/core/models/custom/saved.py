"""Networks saved under a name, one TOML file each (`[[layers]]`) in the per-user folder `networks/`: they are
architectures like the built-in ones in the app's list, in `playground list`, and for `--arch NAME`."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path
from typing import Any

import tomli_w

from playground.core.data.paths import app_data_dir
from playground.core.errors import ConfigError

NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]{0,63}")


def networks_dir() -> Path:
    return app_data_dir() / "networks"


def saved_networks() -> dict[str, Path]:
    """Every saved network's name and file, by name."""
    folder = networks_dir()
    return {p.stem: p for p in sorted(folder.glob("*.toml"))} if folder.is_dir() else {}


def save_network(name: str, layers: list[dict[str, Any]], builtin: tuple[str, ...] = ()) -> Path:
    """Write the layers as networks/NAME.toml (replacing an earlier network of that name); ConfigError for a
    name that cannot be a file name or that a built-in architecture has."""
    if not NAME.fullmatch(name) or name in builtin:
        why = "a built-in architecture has it" if name in builtin else "use letters, digits, '-', '_' or '.'"
        raise ConfigError([("name", f"{name!r} cannot name a network: {why}; choose another name")])
    from playground.core.store.folder import write_atomic

    networks_dir().mkdir(parents=True, exist_ok=True)
    path = networks_dir() / f"{name}.toml"
    write_atomic(path, f"# playground network {name}: playground train --arch {name}\n" +
                 tomli_w.dumps({"layers": layers}))
    return path


def load_network(name: str) -> list[dict[str, Any]]:
    """The layers of a saved network; ConfigError naming the file when it cannot be read."""
    path = saved_networks().get(name)
    if path is None:
        raise ConfigError([("arch", f"there is no network saved as {name!r} in {networks_dir()}")])
    try:
        with open(path, "rb") as f:
            layers = tomllib.load(f).get("layers")
    except (OSError, tomllib.TOMLDecodeError) as e:
        raise ConfigError([("arch", f"cannot read the network {path}: {e}; fix or delete the file")]) from None
    if not isinstance(layers, list):
        raise ConfigError([("arch", f"{path} holds no [[layers]]; fix or delete the file")])
    return layers

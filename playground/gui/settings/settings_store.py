"""Remembering the settings and the window layout between launches (QSettings, one INI file per user)."""

from __future__ import annotations

import json
import logging

from PySide6.QtCore import QByteArray, QSettings

from playground.core.config import TrainConfig
from playground.core.errors import ConfigError

log = logging.getLogger(__name__)
ORGANIZATION = "playground"
APPLICATION = "playground"


def open_settings() -> QSettings:
    """The user's settings file; tests point QSettings.setPath at a temporary folder."""
    return QSettings(QSettings.Format.IniFormat, QSettings.Scope.UserScope, ORGANIZATION, APPLICATION)


def save_config(settings: QSettings, config: TrainConfig) -> None:
    settings.setValue("run/config", json.dumps(config.to_dict()))


def load_config(settings: QSettings) -> TrainConfig | None:
    """The remembered run settings, or None when there are none or they no longer fit this version."""
    text = settings.value("run/config", "")
    if not text:
        return None
    try:
        values = json.loads(str(text))
        known = set(TrainConfig.__dataclass_fields__)
        return TrainConfig.from_dict({k: v for k, v in values.items() if k in known})
    except (ValueError, TypeError, AttributeError, ConfigError) as e:
        log.warning("ignoring remembered settings that cannot be read: %s", e)
        return None


def save_layout(settings: QSettings, geometry: QByteArray, state: QByteArray) -> None:
    settings.setValue("window/geometry", geometry)
    settings.setValue("window/state", state)


def load_layout(settings: QSettings) -> tuple[QByteArray | None, QByteArray | None]:
    geometry, state = settings.value("window/geometry"), settings.value("window/state")
    return (geometry if isinstance(geometry, QByteArray) else None,
            state if isinstance(state, QByteArray) else None)

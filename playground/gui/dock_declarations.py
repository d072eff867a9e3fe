"""Every dock of the window, declared once: its name, title, where it goes, what builds it, and which kinds of
model it shows something of. The window builds its docks from this (window_docks.py), the View menu lists them,
and the routing that brings a panel forward asks a kind for a dock by these names (kinds.ModelKind.front_view).

A view's factory is called once the window is on screen (views import pyqtgraph or start loading a model);
docks without one hold a part the window builds itself (the settings, the model summary, the runs table).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtWidgets import QWidget

from playground.gui.session import SessionModel

LEFT, RIGHT, BOTTOM = "left", "right", "bottom"
ViewFactory = Callable[[SessionModel], QWidget]


@dataclass(frozen=True)
class DockDecl:
    name: str  # the dock's object name is f"{name}Dock"; kinds name the views that apply to them by it
    title: str
    area: str  # LEFT, RIGHT (tabbed, in this order) or BOTTOM
    factory: ViewFactory | None = None  # None: the window puts its own widget in (put)
    every_kind: bool = False  # shown whatever the model: not a view of one kind
    shortcut: str = ""  # View menu: bring it forward

    def applies_to(self, kind: object) -> bool:
        """Whether this dock shows something of a model of this kind (a kinds.ModelKind)."""
        return self.every_kind or self.name in kind.views


def _draw(session: SessionModel) -> QWidget:
    from playground.gui.drawing.panel import DrawingPanel  # numpy, and it starts loading a model

    return DrawingPanel(session=session)


def _my_classes(session: SessionModel) -> QWidget:
    from playground.gui.my_classes.panel import MyClassesPanel

    return MyClassesPanel(session)


def _samples(session: SessionModel) -> QWidget:
    from playground.gui.views.samples_panel import SamplesPanel

    return SamplesPanel(session)


def _text(session: SessionModel) -> QWidget:
    from playground.gui.views.text_panel import TextPanel

    return TextPanel(session)


def _evaluation(session: SessionModel) -> QWidget:
    from playground.gui.views.evaluation_panel import EvaluationPanel

    return EvaluationPanel(session)


def _inside(session: SessionModel) -> QWidget:
    from playground.gui.views.inside_view import InsideView

    return InsideView(session)


def _attention(session: SessionModel) -> QWidget:
    from playground.gui.views.attention_view import AttentionView

    return AttentionView(session)


def _boundary(session: SessionModel) -> QWidget:
    from playground.gui.views.boundary_view import BoundaryView

    return BoundaryView(session)


def _network(session: SessionModel) -> QWidget:
    from playground.gui.views.network_view import NetworkView

    return NetworkView(session)


def _health(session: SessionModel) -> QWidget:
    from playground.gui.views.layer_health import LayerHealthView

    return LayerHealthView(session)


def _data(session: SessionModel) -> QWidget:
    from playground.gui.views.data_view import DataView

    return DataView(session)


def _sweep(session: SessionModel) -> QWidget:
    from playground.gui.sweeps.view import SweepView  # pyqtgraph

    return SweepView(session)


DOCKS: tuple[DockDecl, ...] = (
    DockDecl("settings", "Settings", LEFT, every_kind=True),
    DockDecl("summary", "Model summary", LEFT, every_kind=True),
    DockDecl("draw", "Draw", RIGHT, _draw, shortcut="Ctrl+1"),
    DockDecl("myClasses", "My classes", RIGHT, _my_classes, every_kind=True),  # draw your own classes, train
    DockDecl("samples", "Samples", RIGHT, _samples, shortcut="Ctrl+2"),
    DockDecl("text", "Text", RIGHT, _text, shortcut="Ctrl+3"),
    DockDecl("evaluation", "Evaluation", RIGHT, _evaluation, shortcut="Ctrl+4"),
    DockDecl("inside", "Inside", RIGHT, _inside, shortcut="Ctrl+5"),
    DockDecl("attention", "Attention", RIGHT, _attention, shortcut="Ctrl+6"),
    DockDecl("boundary", "Boundary", RIGHT, _boundary, shortcut="Ctrl+7"),
    DockDecl("health", "Layer health", RIGHT, _health, shortcut="Ctrl+8"),
    DockDecl("data", "Data", RIGHT, _data, every_kind=True),  # any dataset, before and during a run
    DockDecl("network", "Network", RIGHT, _network, every_kind=True, shortcut="Ctrl+9"),  # neurons, or blocks
    DockDecl("layers", "Layers", RIGHT, every_kind=True, shortcut="Ctrl+L"),  # the layer editor (gui/layers)
    DockDecl("sweep", "Sweep", RIGHT, _sweep, every_kind=True),  # a sweep's trials (gui/sweeps), any model
    DockDecl("runs", "Runs", BOTTOM, every_kind=True),
)

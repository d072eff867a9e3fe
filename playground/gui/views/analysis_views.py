"""The views that look inside the model (issue 10): the inside view, the decision boundary, layer health.

Each subscribes to the session and has shutdown(); the window puts each into the dock of the same name.
"""

from __future__ import annotations

from PySide6.QtWidgets import QWidget

from playground.gui.session import SessionModel


def build_analysis_views(session: SessionModel) -> list[tuple[str, QWidget]]:
    """(dock name, view) for each; imports pyqtgraph, so call it after the window is shown."""
    from playground.gui.views.boundary_view import BoundaryView
    from playground.gui.views.inside_view import InsideView
    from playground.gui.views.layer_health import LayerHealthView

    return [("inside", InsideView(session)), ("boundary", BoundaryView(session)), ("health", LayerHealthView(session))]

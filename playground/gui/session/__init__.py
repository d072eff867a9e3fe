"""The app's session as a Qt-free model: the current run, its events, its weight snapshots, the opened model.

Controllers change it (in the GUI thread); views subscribe to its signals (psygnal) and draw what it holds.
"""

from playground.gui.session.model import ChosenInput, Phase, RunRecord, SessionModel, StoredRun

__all__ = ["ChosenInput", "Phase", "RunRecord", "SessionModel", "StoredRun"]

"""Handing a worker object back to the GUI thread when its work is done, so that it is deleted there.

A QObject with a Python wrapper, deleted in a worker thread, takes the GIL in its destructor while it holds
one of Qt's signal-slot locks; the GUI thread, holding the GIL, can at that moment be waiting for the same
lock (any connect, even QGraphicsTextItem.setHtml's), and both wait for ever. CI hung on exactly this, once in
hundreds of runs. Deleted in the GUI thread, the object takes both in the GUI thread's own order.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QObject, QThread


def hand_back_to_gui_thread(worker: QObject) -> None:
    """From the worker's own thread (the only one that may push it): its deleteLater then runs in the GUI
    thread's event loop."""
    app = QCoreApplication.instance()
    if app is not None and worker.thread() is QThread.currentThread():
        worker.moveToThread(app.thread())

"""Fake views for controller tests: they record what a controller asks of them, and draw nothing."""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal


class FakeView:
    """Any method call is recorded as (name, args); `calls_to(name)` lists the arguments of each call."""

    def __init__(self, **answers):
        self.calls: list[tuple[str, tuple]] = []
        self._answers = answers

    def __getattr__(self, name: str):
        if name.startswith("_"):
            raise AttributeError(name)

        def record(*args, **kwargs):
            self.calls.append((name, args))
            return self._answers.get(name)

        return record

    def calls_to(self, name: str) -> list[tuple]:
        return [args for n, args in self.calls if n == name]


class FakeDialog(QObject):
    dataset_chosen = Signal(str)


class FakeMessages(FakeView):
    def __init__(self):
        super().__init__()
        self.dialog = FakeDialog()

    def offline_dataset(self, dataset: str, message: str) -> FakeDialog:
        self.calls.append(("offline_dataset", (dataset, message)))
        return self.dialog

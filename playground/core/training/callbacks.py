"""How a run reports: the Trainer hands every event to one method, `Callback.on_event`, which delivers it to the
method the event's type names (`StepEvent.hook` is "on_step", ...). A callback defines the methods of the events
it wants; a new event type is its dataclass and the callbacks that consume it, with no list to extend here.

Under torchrun only rank 0 reports: the Trainer passes its callback through `for_rank` once, so every callback
attached to a run, now or later (files, the run store, TensorBoard, the terminal), runs on rank 0 alone, as
Lightning's `rank_zero_only` does. A callback that must run on every rank (one that steers the run rather than
writing about it) sets `all_ranks = True`.
"""

from __future__ import annotations

from playground.core.training.events import Event


class Callback:
    all_ranks = False  # True: runs on every rank of a distributed run, not on rank 0 alone

    def on_event(self, event: Event) -> None:
        """Deliver `event` to this callback's method for its type, where it has one."""
        handler = getattr(self, event.hook, None)
        if handler is not None:
            handler(event)


class CallbackList(Callback):
    """Hands every event to each callback in turn."""

    def __init__(self, callbacks: list[Callback]):
        self.callbacks = list(callbacks)

    def on_event(self, event: Event) -> None:
        for callback in self.callbacks:
            callback.on_event(event)


def for_rank(callback: Callback, rank: int) -> Callback:
    """The part of `callback` that runs on `rank`: all of it on rank 0, else only what is marked all_ranks."""
    if rank == 0 or callback.all_ranks:
        return callback
    if isinstance(callback, CallbackList):
        kept = [c for c in (for_rank(c, rank) for c in callback.callbacks) if type(c) is not Callback]
        return CallbackList(kept)
    return Callback()

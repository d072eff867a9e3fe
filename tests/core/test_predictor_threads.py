"""Predicting on one core changes only the calling thread's torch thread count."""

import threading

import torch

from playground.core.inference.threads import predict_on_one_core_here


def _count_in(thread_fn) -> int:
    out = []
    t = threading.Thread(target=lambda: out.append(thread_fn()))
    t.start()
    t.join()
    return out[0]


def test_only_the_calling_thread_goes_to_one_core():
    default = _count_in(torch.get_num_threads)
    ready, go, seen = threading.Event(), threading.Event(), []

    def long_lived():  # a thread that already uses torch, like a training worker
        seen.append(torch.get_num_threads())
        ready.set()
        go.wait(10)
        seen.append(torch.get_num_threads())

    other = threading.Thread(target=long_lived)
    other.start()
    ready.wait(10)
    seen_in_caller = []

    def caller():
        predict_on_one_core_here()
        seen_in_caller.append(torch.get_num_threads())

    t = threading.Thread(target=caller)
    t.start()
    t.join()
    go.set()
    other.join()
    assert seen_in_caller == [1]
    assert seen[0] == seen[1] == default
    assert _count_in(torch.get_num_threads) == default  # threads started later get the default as before

"""Core tests run torch on one thread: the models are tiny, and on a busy 2-core machine two OpenMP
threads wait on each other (a 2 ms forward pass took 0.5 s)."""

import pytest
import torch


@pytest.fixture(autouse=True, scope="session")
def _one_torch_thread():
    before = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(before)

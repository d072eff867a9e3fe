"""Core tests run torch on one thread: the models are tiny, and on a busy 2-core machine two OpenMP
threads wait on each other (a 2 ms forward pass took 0.5 s)."""

import pytest
import torch


@pytest.fixture(autouse=True, scope="session")
def _one_torch_thread():
    from playground.core.training import setup

    before, default = torch.get_num_threads(), setup._DEFAULT_THREADS
    setup._DEFAULT_THREADS = 1  # runs with threads=0 restore this "default"
    torch.set_num_threads(1)
    yield
    setup._DEFAULT_THREADS = default
    torch.set_num_threads(before)


@pytest.fixture
def image_folder(tmp_path):
    """Two classes of six small PNGs (a bright and a dark square), for runs on image data without MNIST."""
    from PIL import Image

    root = tmp_path / "images"
    for name, grey in (("bright", 220), ("dark", 30)):
        (root / name).mkdir(parents=True)
        for k in range(6):
            Image.new("L", (10 + k, 10), grey + k).save(root / name / f"{k}.png")
    return root

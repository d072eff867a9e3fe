"""The CUDA paths (autocast, channels-last, non-blocking copies, compile fallback); skipped without a GPU."""

import pytest
import torch

from playground.core.config import TrainConfig
from playground.core.training.benchmark import benchmark
from playground.core.training.prepared import _amp_dtype
from playground.core.training.trainer import Trainer

cuda = pytest.mark.skipif(not torch.cuda.is_available(), reason="needs a CUDA GPU")


def test_amp_is_off_on_the_cpu() -> None:
    assert _amp_dtype(TrainConfig(amp=True), torch.device("cpu")) is None


@cuda
def test_autocast_uses_bf16_or_fp16_on_cuda() -> None:
    assert _amp_dtype(TrainConfig(amp=True), torch.device("cuda")) in (torch.bfloat16, torch.float16)
    assert _amp_dtype(TrainConfig(amp=False), torch.device("cuda")) is None


@cuda
@pytest.mark.parametrize("amp", [True, False])
def test_cnn_trains_on_cuda(amp: bool) -> None:
    result = Trainer().fit(TrainConfig(arch="mlp", dataset="spiral", device="cuda", amp=amp, epochs=2, lr=0.01))
    assert result.status == "completed", result.message
    assert result.checkpoint is not None and all(t.device.type == "cpu" for t in result.checkpoint.state_dict.values())


@cuda
def test_mnist_epoch_on_cuda(mnist_dir) -> None:
    result = Trainer().fit(TrainConfig(device="cuda", batch_size=256, lr=2e-3, data_dir=str(mnist_dir)))
    assert result.status == "completed", result.message
    assert result.metrics[-1].test_accuracy > 0.97


@cuda
def test_bench_on_cuda(mnist_dir) -> None:
    assert benchmark(TrainConfig(device="cuda", data_dir=str(mnist_dir)), steps=20, warmup=5) > 0

"""How long the layer editor's shape check takes: a 30-layer network (convolutions, batch norms, a residual block,
a dense head) checked against CIFAR-10's shape, and the same from the editor's thread; median of --repeats.

    python bench/shape_check_speed.py [--repeats 50]

Bar (issue 19): well under 100 ms for 30 layers, without a forward pass on real data.
"""

from __future__ import annotations

import argparse
import statistics
import threading
import time

from playground.core.models.custom.shapes import check_shapes
from playground.core.models.custom.spec import parse_layers

LAYERS = ([{"type": "Conv2d", "out_channels": 16, "kernel_size": 3, "padding": 1}, {"type": "BatchNorm2d"},
           {"type": "ReLU"}] * 8
          + [{"type": "Residual", "layers": [{"type": "Conv2d", "out_channels": 16, "kernel_size": 3, "padding": 1}]},
             {"type": "MaxPool2d", "kernel_size": 2}, {"type": "Flatten"}, {"type": "Linear", "out_features": 64},
             {"type": "ReLU"}, {"type": "Linear"}])


def timed() -> float:
    start = time.perf_counter()
    check_shapes(parse_layers(LAYERS), (3, 32, 32), num_outputs=10)
    return time.perf_counter() - start


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--repeats", type=int, default=50)
    args = p.parse_args()
    first = timed()  # imports and first calls
    times = [timed() for _ in range(args.repeats)]
    in_thread: list[float] = []
    worker = threading.Thread(target=lambda: in_thread.extend(timed() for _ in range(args.repeats)))
    worker.start()
    worker.join()
    print(f"{len(LAYERS)} layers: first {first * 1000:.1f} ms, then median {statistics.median(times) * 1000:.2f} ms "
          f"(max {max(times) * 1000:.2f}); in a thread median {statistics.median(in_thread) * 1000:.2f} ms")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

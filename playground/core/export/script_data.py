"""The datasets as plain PyTorch source for an exported training script: `load_data(data_dir)` returns the
splits playground trained on (torchvision for the image sets; the generated sets' own code, seeded alike)."""

from __future__ import annotations

import inspect
from textwrap import dedent

from playground.core.config import TrainConfig
from playground.core.data import features, synthetic
from playground.core.data.catalogue import DATASET_CATALOGUE
from playground.core.data.vision import MNIST_FAMILY
from playground.core.errors import ExportError
from playground.core.models.spec import ModelSpec

_STANDARDISE = '''
def standardise(images):
    """uint8 images -> float32, standardised with the training split's mean and standard deviation."""
    x = images.float().div(255)
    return (x - torch.tensor(MEAN).view(-1, 1, 1)) / torch.tensor(STD).view(-1, 1, 1)
'''

_WAVES = '''
def load_data(data_dir=None, samples={samples}, noise={noise!r}, seed=SEED, test_fraction=0.25):
    """Sequences of 32 values: a sine, square, sawtooth or triangle wave of random frequency, phase and
    amplitude, plus noise; the class is the wave's shape. Inputs are 32 steps x 1 value."""
    g = torch.Generator().manual_seed(seed)
    y = torch.arange(samples) % 4
    t = torch.linspace(0.0, 1.0, 32)
    periods = 1.5 + 2.5 * torch.rand(samples, 1, generator=g)
    phase = torch.rand(samples, 1, generator=g)
    amplitude = 0.5 + torch.rand(samples, 1, generator=g)
    u = (t * periods + phase) % 1.0  # position within the period, 0..1
    shapes = torch.stack([torch.sin(2 * math.pi * u), torch.where(u < 0.5, 1.0, -1.0), 2 * u - 1,
                          1 - 4 * (u - 0.5).abs()])
    x = shapes[y, torch.arange(samples)] * amplitude + noise * torch.randn(samples, 32, generator=g)
    perm = torch.randperm(samples, generator=g)
    x, y = x[perm].unsqueeze(2).float(), y[perm]
    k = max(1, int(samples * test_fraction))
    return x[k:], y[k:], x[:k], y[:k]
'''

_POINTS = '''
def load_data(data_dir=None, samples={samples}, noise={noise!r}, seed=SEED, test_fraction=0.25):
    """{description}: {samples} generated points, a quarter of them for testing."""
    g = torch.Generator().manual_seed(seed)
    x, y = {maker}(samples, g)
    perm = torch.randperm(samples, generator=g)
    x, y = x[perm], y[perm]
    {noise_line}
    k = max(1, int(samples * test_fraction))
    return x[k:].float(), y[k:], x[:k].float(), y[:k]
'''


_FEATURES = '''


def with_features(points):
    """The 2-D points as the inputs the network reads: {labels}."""
    x, y = points[:, 0], points[:, 1]
    return torch.stack([{columns}], 1)


_load_points = load_data


def load_data(data_dir=None):
    train_x, train_y, test_x, test_y = _load_points(data_dir)
    return with_features(train_x), train_y, with_features(test_x), test_y
'''


def data_source(config: TrainConfig, spec: ModelSpec) -> str:
    """Python source that defines load_data(data_dir) -> train_x, train_y, test_x, test_y."""
    name = config.dataset
    options = {**{o.name: o.default for o in DATASET_CATALOGUE[name].options}, **config.dataset_options}
    if name in MNIST_FAMILY:
        return _torchvision(MNIST_FAMILY[name][0], "data.unsqueeze(1)", "targets")
    if name == "cifar10":
        return _torchvision("CIFAR10", "torch.from_numpy(split.data).permute(0, 3, 1, 2)",
                            "torch.tensor(split.targets)", tensor_data=False)
    if name == "waves":
        return _WAVES.format(**options).strip() + "\n"
    if name in synthetic.CLASSIFICATION or name in synthetic.REGRESSION:
        return _points(name, options)
    raise ExportError(f"a run on {name} cannot be exported as a training script: the script loads MNIST, "
                      "Fashion-MNIST, KMNIST, CIFAR-10 and the generated datasets; export the settings (toml) "
                      "and train with playground instead")


def _torchvision(cls: str, images: str, labels: str, tensor_data: bool = True) -> str:
    image_expr = f"split.{images}" if tensor_data else images
    label_expr = f"split.{labels}" if tensor_data else labels
    return (_STANDARDISE + dedent(f'''

        def load_data(data_dir):
            """{cls} from data_dir in torchvision's layout (downloaded there when missing)."""
            from torchvision import datasets  # only here: the generated datasets need no torchvision

            splits = []
            for train in (True, False):
                split = datasets.{cls}(data_dir, train=train, download=True)
                splits += [standardise({image_expr}), {label_expr}.long()]
            return splits
        ''')).strip() + "\n"


def _points(name: str, options: dict) -> str:
    maker = synthetic.CLASSIFICATION.get(name) or synthetic.REGRESSION[name]
    public = maker.__name__.lstrip("_")
    source = inspect.getsource(maker).replace(f"def {maker.__name__}(", f"def {public}(", 1)
    classification = name in synthetic.CLASSIFICATION
    noise_line = ("x = x + noise * torch.randn(x.shape, generator=g)" if classification
                  else "y = (y + noise * torch.randn(y.shape, generator=g)).float()")
    description = DATASET_CATALOGUE[name].description
    loader = _POINTS.format(samples=options["samples"], noise=options["noise"], maker=public,
                            noise_line=noise_line, description=description)
    source = source.strip() + "\n\n" + loader.rstrip() + "\n"
    chosen = features.chosen(options.get("features", ""))
    if "features" not in options or chosen == features.DEFAULT:
        return source
    columns = ", ".join(features.SOURCE[n] for n in chosen)
    return source + _FEATURES.format(labels=", ".join(features.LABELS[n] for n in chosen), columns=columns)

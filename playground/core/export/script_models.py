"""The architectures as plain PyTorch source for an exported training script: `build_model()` builds the very
layers playground builds (the same modules in the same order, so the run's weights load into it)."""

from __future__ import annotations

import math
from textwrap import dedent

from playground.core.data.inputs import TEXT
from playground.core.errors import ExportError
from playground.core.export.script_sources import char_recurrent_source, gpt_source, vit_source
from playground.core.models.registry import ARCHITECTURES
from playground.core.models.spec import ModelSpec

ACTIVATIONS = {"relu": "nn.ReLU()", "tanh": "nn.Tanh()", "sigmoid": "nn.Sigmoid()", "gelu": "nn.GELU()",
               "leaky_relu": "nn.LeakyReLU()", "silu": "nn.SiLU()"}

_HEAD = '''
def head(sizes, activation, dropout=0.0):
    """Linear layers between consecutive sizes, with the activation (and dropout) between them."""
    layers = []
    for i, (a, b) in enumerate(zip(sizes[:-1], sizes[1:])):
        layers.append(nn.Linear(a, b))
        if i < len(sizes) - 2:
            layers.append(activation())
            if dropout > 0:
                layers.append(nn.Dropout(dropout))
    return layers


def with_head(features, hidden, activation, dropout=0.0):
    """The convolutional features, flattened, then linear layers down to the outputs."""
    with torch.no_grad():
        flat = features(torch.zeros(1, *INPUT_SHAPE)).numel()
    return nn.Sequential(*features, nn.Flatten(), *head([flat, *hidden, NUM_OUTPUTS], activation, dropout))
'''

_BASIC_BLOCK = '''
class BasicBlock(nn.Module):
    """Two 3x3 convolutions with batch norm, added to the input (through a 1x1 convolution where it changes)."""

    def __init__(self, c_in, c_out, stride):
        super().__init__()
        self.conv1 = nn.Conv2d(c_in, c_out, 3, stride, 1, bias=False)
        self.bn1 = nn.BatchNorm2d(c_out)
        self.conv2 = nn.Conv2d(c_out, c_out, 3, 1, 1, bias=False)
        self.bn2 = nn.BatchNorm2d(c_out)
        self.shortcut = nn.Sequential()
        if stride != 1 or c_in != c_out:
            self.shortcut = nn.Sequential(nn.Conv2d(c_in, c_out, 1, stride, bias=False), nn.BatchNorm2d(c_out))

    def forward(self, x):
        out = torch.relu(self.bn1(self.conv1(x)))
        return torch.relu(self.bn2(self.conv2(out)) + self.shortcut(x))
'''

_RECURRENT = '''
class RecurrentClassifier(nn.Module):
    """Reads an image row by row (or a sequence step by step); the class comes from the last hidden state."""

    def __init__(self, cell, features, hidden, layers, bidirectional, dropout):
        super().__init__()
        self.directions = 2 if bidirectional else 1
        self.rnn = cell(features, hidden, layers, batch_first=True, bidirectional=bidirectional,
                        dropout=dropout if layers > 1 else 0.0)
        self.dropout = nn.Dropout(dropout) if dropout > 0 else nn.Identity()
        self.head = nn.Linear(hidden * self.directions, NUM_OUTPUTS)

    def forward(self, x):
        if x.dim() == 4:  # N x C x H x W -> N x H x (C*W): one row per step
            n, c, h, w = x.shape
            x = x.permute(0, 2, 1, 3).reshape(n, h, c * w)
        _, state = self.rnn(x.contiguous())
        h_n = state[0] if isinstance(state, tuple) else state  # an LSTM's state is (h, c)
        last = h_n[-self.directions:].transpose(0, 1).reshape(x.shape[0], -1)
        return self.head(self.dropout(last))
'''


def model_source(spec: ModelSpec) -> str:
    """Python source that defines build_model() (and what it needs) for this spec's architecture."""
    options = {**ARCHITECTURES[spec.arch].defaults(), **spec.arch_options}
    builders = {"linear": _linear, "mlp": _mlp, "seed-cnn": _seed_cnn, "lenet5": _lenet5,
                "cifar-convnet": _cifar_convnet, "resnet-small": _resnet, "rnn": _recurrent, "lstm": _recurrent,
                "gru": _recurrent, "vit": vit_source}
    if ARCHITECTURES[spec.arch].takes_layers:  # a network of the user's own, as the nn.Sequential it is
        from playground.core.models.custom.source import network_source
        from playground.core.models.custom.spec import parse_layers

        return network_source(parse_layers(spec.layers), spec.input_shape, spec.num_outputs, spec.inputs == TEXT)
    if spec.inputs == TEXT:  # a language model: characters in, the next character's scores out
        builders = {"gpt": gpt_source, "rnn": char_recurrent_source, "lstm": char_recurrent_source,
                    "gru": char_recurrent_source}
    if spec.arch not in builders:
        raise ExportError(f"{spec.arch} cannot be exported as a training script yet: the script covers "
                          f"{', '.join(builders)}; export the settings (toml) and train with playground instead")
    return builders[spec.arch](spec, options).strip() + "\n"


def _linear(spec: ModelSpec, o: dict) -> str:
    return dedent(f'''
        def build_model():
            return nn.Sequential(nn.Flatten(), nn.Linear({math.prod(spec.input_shape)}, NUM_OUTPUTS))
        ''')


def _mlp(spec: ModelSpec, o: dict) -> str:
    sizes = [math.prod(spec.input_shape), *o["hidden"]]
    return _HEAD + dedent(f'''

        def build_model():
            """A multilayer perceptron: hidden layers of {", ".join(map(str, o["hidden"])) or "no"} units."""
            return nn.Sequential(nn.Flatten(), *head([{", ".join(map(str, sizes))}, NUM_OUTPUTS], {_act(o)},
                                 {o["dropout"]!r}))
        ''')


def _seed_cnn(spec: ModelSpec, o: dict) -> str:
    norm = "\n" + " " * 16 + "layers.append(nn.BatchNorm2d(c_out))" if o["batch_norm"] else ""
    bn = " with batch norm" if o["batch_norm"] else ""
    return _HEAD + dedent(f'''

        def build_model():
            """3x3 convolutions{bn}, each then 2x2 max-pooling and ReLU; then 120 -> 84."""
            layers, c = [], INPUT_SHAPE[0]
            for c_out in {list(o["channels"])!r}:
                layers.append(nn.Conv2d(c, c_out, 3, padding=1, bias={not o["batch_norm"]})){norm}
                layers += [nn.MaxPool2d(2), nn.ReLU()]  # as ReLU then pooling, on a quarter of the values
                c = c_out
            return with_head(nn.Sequential(*layers), [120, 84], nn.ReLU, {o["dropout"]!r})
        ''')


def _lenet5(spec: ModelSpec, o: dict) -> str:
    pad = 2 if spec.input_shape[1] < 32 else 0
    return _HEAD + dedent(f'''

        def build_model():
            """LeNet-5: 6@5x5 -> pool -> 16@5x5 -> pool -> 120 -> 84 (a 28x28 input padded to 32x32)."""
            features = nn.Sequential(
                nn.Conv2d(INPUT_SHAPE[0], 6, 5, padding={pad}), {ACTIVATIONS[o["activation"]]}, nn.AvgPool2d(2),
                nn.Conv2d(6, 16, 5), {ACTIVATIONS[o["activation"]]}, nn.AvgPool2d(2))
            return with_head(features, [120, 84], {_act(o)})
        ''')


def _cifar_convnet(spec: ModelSpec, o: dict) -> str:
    return _HEAD + dedent('''

        def build_model():
            """The CIFAR-10 tutorial network: 6@5x5 -> pool -> 16@5x5 -> pool -> 120 -> 84."""
            features = nn.Sequential(
                nn.Conv2d(INPUT_SHAPE[0], 6, 5), nn.ReLU(), nn.MaxPool2d(2),
                nn.Conv2d(6, 16, 5), nn.ReLU(), nn.MaxPool2d(2))
            return with_head(features, [120, 84], nn.ReLU)
        ''')


def _resnet(spec: ModelSpec, o: dict) -> str:
    return _BASIC_BLOCK + dedent(f'''

        def build_model(width={o["width"]}, blocks={o["blocks"]}):
            """A 3x3 stem, three stages of residual blocks (width, 2x, 4x channels), global average pooling."""
            layers = [nn.Conv2d(INPUT_SHAPE[0], width, 3, 1, 1, bias=False), nn.BatchNorm2d(width), nn.ReLU()]
            c_in = width
            for stage, c_out in enumerate((width, width * 2, width * 4)):
                for b in range(blocks):
                    layers.append(BasicBlock(c_in, c_out, 2 if stage > 0 and b == 0 else 1))
                    c_in = c_out
            layers += [nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(c_in, NUM_OUTPUTS)]
            return nn.Sequential(*layers)
        ''')


def _recurrent(spec: ModelSpec, o: dict) -> str:
    shape = spec.input_shape
    features = shape[0] * shape[2] if len(shape) == 3 else shape[1]
    cell = {"rnn": "nn.RNN", "lstm": "nn.LSTM", "gru": "nn.GRU"}[spec.arch]
    return _RECURRENT + dedent(f'''

        def build_model():
            return RecurrentClassifier({cell}, features={features}, hidden={o["hidden"]}, layers={o["layers"]},
                                       bidirectional={o["bidirectional"]}, dropout={o["dropout"]!r})
        ''')


def _act(o: dict) -> str:
    return ACTIVATIONS[o["activation"]].removesuffix("()")

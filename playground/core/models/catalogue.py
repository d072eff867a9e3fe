"""Which architectures exist, with their descriptions and options, without importing torch.

The app fills its settings form from this before torch has loaded; `registry` adds the builders. Each
architecture says which inputs it reads (see data.inputs) and which tasks it learns; whether it can train on a
dataset follows from that alone (`incompatibility`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from playground.core.data.inputs import IMAGES, NUMBERS, SEQUENCES, TEXT, WORDS, described
from playground.core.models.options import OptionSpec

ACTIVATION_NAMES = ("relu", "tanh", "sigmoid", "gelu", "leaky_relu", "silu")  # the keys of layers.ACTIVATIONS
SUPERVISED = ("classification", "regression")


@dataclass(frozen=True)
class ArchInfo:
    name: str
    description: str
    options: tuple[OptionSpec, ...] = ()
    reads: tuple[str, ...] = NUMBERS  # the inputs it can take (data.inputs)
    learns: tuple[str, ...] = SUPERVISED  # the dataset tasks it can learn
    kind: str = ""  # the kind of model it always is ("gan", "vae"); "" = the dataset's task decides
    family: str = ""  # what messages call it: "a recurrent network"; "" = its name alone
    shape: tuple[int, ...] = ()  # the one input shape it takes (a GAN's 1 x 28 x 28), or () for any
    # the networks that train with optimizers of their own, with each one's default settings (a GAN's two)
    networks: tuple[tuple[str, tuple[tuple[str, Any], ...]], ...] = ()
    run_defaults: tuple[tuple[str, Any], ...] = ()  # TrainConfig values this architecture trains best with
    text_run_defaults: tuple[tuple[str, Any], ...] = ()  # ... and on text, over those
    takes_layers: bool = False  # built from the config's layers (a custom network), not from options alone

    def defaults(self) -> dict[str, Any]:
        return {o.name: o.default for o in self.options}

    @property
    def attends(self) -> bool:
        """Whether it has attention layers, whose weights the Attention view shows."""
        return any(o.name == "heads" for o in self.options)

    @property
    def needs_images(self) -> bool:
        return self.reads == (IMAGES,)

    def network_defaults(self) -> dict[str, dict[str, Any]]:
        return {name: dict(values) for name, values in self.networks}

    def run_defaults_for(self, inputs: str) -> dict[str, Any]:
        """What it trains best with on a dataset of these inputs."""
        return {**dict(self.run_defaults), **(dict(self.text_run_defaults) if inputs == TEXT else {})}


_RNN_OPTIONS = (
    OptionSpec("hidden", "int", 128, "units in each recurrent layer", (), 1, 4096),
    OptionSpec("layers", "int", 1, "recurrent layers stacked", (), 1, 8),
    OptionSpec("bidirectional", "bool", False, "read each sequence both ways (not for text: it would see the "
               "next character)"),
    OptionSpec("dropout", "float", 0.0, "dropout between stacked layers and before the output", (), 0.0, 0.95))
_RNN_HOW = "reads an image row by row, a sequence step by step, or text one character after another"
_GAN_NETWORK = (("optimizer", "adam"), ("lr", 2e-4), ("beta1", 0.5))
# measured: lstm on MNIST, 3 epochs: 98.14% at Adam 0.001 constant, 98.75% with onecycle to 0.003
_RNN_RUN = (("lr", 0.003), ("schedule", "onecycle"))
_RNN_TEXT_RUN = (("epochs", 4), ("batch_size", 64), ("lr", 0.005))
# measured: vae on MNIST, 5 epochs: test loss 107.0 nats at Adam 0.001 constant, 103.9 with onecycle to 0.003
_VAE_RUN = (("lr", 0.003), ("schedule", "onecycle"))
_DIGITS = (1, 28, 28)
# measured on Tiny Shakespeare, 2 CPU cores: 2 layers of width 128 learn more per second than nanoGPT's 4; Muon
# (hidden matrices) beats AdamW by 0.06 nats at the same time (see bench/RESULTS.md)
_GPT_RUN = (("epochs", 2), ("batch_size", 32), ("lr", 0.01), ("schedule", "onecycle"), ("optimizer", "muon"))


def _attention_options(width: int, layers: int, extra: tuple[OptionSpec, ...]) -> tuple[OptionSpec, ...]:
    return (*extra,
            OptionSpec("layers", "int", layers, "Transformer blocks stacked", (), 1, 48),
            OptionSpec("heads", "int", 4, "attention heads in each block (they must divide the width)", (), 1, 64),
            OptionSpec("width", "int", width, "numbers per position (the embedding size)", (), 8, 4096),
            OptionSpec("dropout", "float", 0.0, "dropout on attention and the MLPs", (), 0.0, 0.95))


ARCH_CATALOGUE: dict[str, ArchInfo] = {a.name: a for a in (
    ArchInfo("linear", "Linear / logistic regression: one fully connected layer"),
    ArchInfo("mlp", "Multilayer perceptron: hidden fully connected layers with an activation", (
        OptionSpec("hidden", "int_list", [128, 64], "sizes of the hidden layers"),
        OptionSpec("activation", "str", "relu", "activation between layers", ACTIVATION_NAMES),
        OptionSpec("dropout", "float", 0.0, "dropout probability after each hidden layer", (), 0.0, 0.95))),
    ArchInfo("seed-cnn", "Small CNN: two 3x3 convs (32, 64) with pooling, then 120 -> 84 (PyTorch tutorial)", (
        OptionSpec("channels", "int_list", [32, 64], "channels of each 3x3 conv (each then 2x2 pooled)"),
        OptionSpec("batch_norm", "bool", False, "batch normalisation after each conv"),
        OptionSpec("dropout", "float", 0.0, "dropout probability in the linear layers", (), 0.0, 0.95)),
        reads=(IMAGES,), family="a convolutional network"),
    ArchInfo("lenet5", "LeNet-5 (LeCun 1998): 6@5x5 -> pool -> 16@5x5 -> pool -> 120 -> 84",
             (OptionSpec("activation", "str", "tanh", "activation after each layer", ACTIVATION_NAMES),),
             reads=(IMAGES,), family="a convolutional network"),
    ArchInfo("cifar-convnet", "The CIFAR-10 tutorial CNN: 6@5x5 -> pool -> 16@5x5 -> pool -> 120 -> 84",
             reads=(IMAGES,), family="a convolutional network"),
    ArchInfo("resnet-small", "Small residual CNN: 3 stages of basic blocks with batch norm, global pooling", (
        OptionSpec("width", "int", 16, "channels of the first stage (doubled per stage)", (), 4, 128),
        OptionSpec("blocks", "int", 1, "residual blocks per stage", (), 1, 8)),
        reads=(IMAGES,), family="a convolutional network"),
    ArchInfo("vit", "Vision Transformer: an image as a sequence of square patches, read by attention blocks",
             _attention_options(64, 4, (OptionSpec("patch", "int", 7, "side of the square patches, in pixels (it "
                                                "must divide the image's sides)", (), 1, 64),)),
             reads=(IMAGES,), learns=("classification",),
             # measured on MNIST, 3 epochs: 97.4% with AdamW at 0.002, 98.2% with Muon at 0.01
             run_defaults=(("epochs", 3), ("lr", 0.01), ("schedule", "onecycle"), ("optimizer", "muon")),
             family="a vision Transformer"),
    ArchInfo("rnn", f"Recurrent network (Elman, tanh): {_RNN_HOW}", _RNN_OPTIONS,
             reads=(IMAGES, SEQUENCES, TEXT), learns=("classification", "language"), run_defaults=_RNN_RUN,
             text_run_defaults=_RNN_TEXT_RUN, family="a recurrent network"),
    ArchInfo("lstm", f"Long short-term memory network: {_RNN_HOW}", _RNN_OPTIONS,
             reads=(IMAGES, SEQUENCES, TEXT), learns=("classification", "language"), run_defaults=_RNN_RUN,
             text_run_defaults=_RNN_TEXT_RUN, family="a recurrent network"),
    ArchInfo("gru", f"Gated recurrent unit network: {_RNN_HOW}", _RNN_OPTIONS,
             reads=(IMAGES, SEQUENCES, TEXT), learns=("classification", "language"), run_defaults=_RNN_RUN,
             text_run_defaults=_RNN_TEXT_RUN, family="a recurrent network"),
    ArchInfo("gpt", "Decoder-only Transformer (GPT): learns to write one character after another, with causal "
             "self-attention", _attention_options(128, 2, (OptionSpec(
                 "context", "int", 64, "characters it reads at once (its context length)", (), 2, 4096),)),
             reads=(TEXT,), learns=("language",), run_defaults=_GPT_RUN, family="a language model"),
    ArchInfo("custom", "Your own network: a stack of layers you build in the layer editor (or [[layers]] in TOML)",
             (OptionSpec("name", "str", "", "the name it was saved under (empty: not saved)"),),
             reads=(*NUMBERS, TEXT), learns=("classification", "regression", "language"), takes_layers=True,
             family="a network of your own"),
    ArchInfo("gan", "Generative adversarial network (DCGAN, class-conditional): a generator learns to draw each "
             "digit so that a discriminator cannot tell it from real ones", (
                 OptionSpec("latent", "int", 64, "size of the random vector a digit is drawn from", (), 2, 512),
                 OptionSpec("width", "int", 32, "channels of the first convolution (doubled once)", (), 8, 256)),
             reads=(IMAGES,), kind="gan", shape=_DIGITS,
             networks=(("generator", _GAN_NETWORK), ("discriminator", _GAN_NETWORK)),
             run_defaults=(("epochs", 2), ("batch_size", 64))),  # conditional: all digits, clean by 2 (RESULTS.md)
    ArchInfo("vae", "Variational autoencoder: encodes a digit into a few numbers and draws it back from them", (
        OptionSpec("latent", "int", 32, "size of the code a digit is encoded into", (), 2, 512),
        OptionSpec("hidden", "int_list", [512, 256], "sizes of the encoder's hidden layers (the decoder mirrors "
                   "them)")),
        reads=(IMAGES,), kind="vae", shape=_DIGITS, run_defaults=_VAE_RUN),
)}


def option_problems(arch: str, options: dict[str, Any], inputs: str = "") -> list[str]:
    """Every problem with these options of `arch`, on a dataset of these inputs (data.inputs) where given."""
    spec = ARCH_CATALOGUE[arch]
    known = {o.name: o for o in spec.options}
    problems = []
    for key, value in options.items():
        if key not in known:
            names = ", ".join(known) or "none"
            problems.append(f"{arch} has no option {key!r}; its options are {names}")
        elif (msg := known[key].problem(value)) is not None:
            problems.append(msg)
    if not problems and "heads" in known:
        problems += _heads_problems({**spec.defaults(), **options})
    if inputs == TEXT and options.get("bidirectional"):
        problems.append("bidirectional: a network that reads text both ways sees the very character it must "
                        "predict; turn bidirectional off for text")
    return problems


def _heads_problems(o: dict[str, Any]) -> list[str]:
    """Attention splits the width into equal heads."""
    if o["width"] % o["heads"] == 0:
        return []
    near = [w for w in (o["width"] - o["width"] % o["heads"], o["width"] + o["heads"] - o["width"] % o["heads"]) if w]
    return [f"a width of {o['width']} cannot be split into {o['heads']} heads; choose a width that {o['heads']} "
            f"divides (such as {' or '.join(map(str, near))}) or another number of heads"]


def incompatibility(arch: str, inputs: str, input_shape: tuple[int, ...], task: str = "",
                    dataset: str = "this dataset") -> str | None:
    """Why `arch` cannot train on a dataset with these inputs (data.inputs), shape and task, or None;
    build_model raises IncompatibleError with it."""
    info, shape = ARCH_CATALOGUE[arch], tuple(input_shape)
    if info.shape and (shape != info.shape or inputs not in info.reads):
        return (f"{arch} draws 28x28 grayscale digits, but {dataset} has inputs of shape {shape}; "
                "choose mnist, fashion-mnist or kmnist for it")
    if inputs not in info.reads:
        readers = _either([a.name for a in ARCH_CATALOGUE.values()
                           if inputs in a.reads and task in _learnable(a) and not a.shape and not a.takes_layers])
        verb = "needs" if len(info.reads) == 1 else "reads"
        what = f"{arch} is {info.family} and {verb}" if info.family else f"{arch} {verb}"
        return (f"{what} {described(info.reads)}, but {dataset} has {WORDS[inputs]}; for {dataset} choose "
                f"{readers or 'another architecture'}, or for {arch} a dataset of {described(info.reads)}")
    if task and task not in _learnable(info):
        return (f"{arch} learns {' or '.join(_learnable(info))} and {dataset} is a {task} dataset; choose a "
                f"{' or '.join(_learnable(info))} dataset for it")
    return None


def _either(names: list[str]) -> str:
    return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} or {names[-1]}" if names else ""


def _learnable(info: ArchInfo) -> tuple[str, ...]:
    """What a run of it can learn: its own kind's task, or the dataset tasks it takes."""
    return SUPERVISED if info.kind else info.learns


def arch_task(arch: str, dataset_task: str) -> str:
    """The task a run of this architecture on a dataset of this task learns: the name of its kind."""
    return ARCH_CATALOGUE[arch].kind or dataset_task


def dataset_clash(arch: str, dataset: str, dataset_options: dict[str, Any] | None = None) -> str | None:
    """`incompatibility` for a dataset of the catalogue, by name."""
    from playground.core.data.catalogue import DATASET_CATALOGUE

    info = DATASET_CATALOGUE[dataset]
    return incompatibility(arch, info.inputs, info.shape_for(dataset_options or {}), info.task, dataset)

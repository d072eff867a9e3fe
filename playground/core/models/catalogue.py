"""Which architectures exist, with their descriptions and options, without importing torch.

The app fills its settings form from this before torch has loaded; `registry` adds the builders.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from playground.core.models.options import OptionSpec

ACTIVATION_NAMES = ("relu", "tanh", "sigmoid", "gelu", "leaky_relu", "silu")  # the keys of layers.ACTIVATIONS


# What an architecture takes: anything, images (C x H x W), sequences (T x F, or images read row by row), or
# MNIST-sized images (1 x 28 x 28, the generative models).
ANY, IMAGES, SEQUENCES, DIGIT_IMAGES = "any", "images", "sequences", "digit-images"


@dataclass(frozen=True)
class ArchInfo:
    name: str
    description: str
    options: tuple[OptionSpec, ...] = ()
    inputs: str = ANY
    task: str = ""  # "gan" or "vae"; "" = the dataset's task (classification or regression)
    # the networks that train with optimizers of their own, with each one's default settings (a GAN's two)
    networks: tuple[tuple[str, tuple[tuple[str, Any], ...]], ...] = ()
    run_defaults: tuple[tuple[str, Any], ...] = ()  # TrainConfig values this architecture trains best with

    def defaults(self) -> dict[str, Any]:
        return {o.name: o.default for o in self.options}

    @property
    def needs_images(self) -> bool:
        return self.inputs in (IMAGES, DIGIT_IMAGES)

    def network_defaults(self) -> dict[str, dict[str, Any]]:
        return {name: dict(values) for name, values in self.networks}


_RNN_OPTIONS = (
    OptionSpec("hidden", "int", 128, "units in each recurrent layer", (), 1, 4096),
    OptionSpec("layers", "int", 1, "recurrent layers stacked", (), 1, 8),
    OptionSpec("bidirectional", "bool", False, "read each sequence both ways"),
    OptionSpec("dropout", "float", 0.0, "dropout between stacked layers and before the output", (), 0.0, 0.95))
_RNN_HOW = "reads an image row by row (28 steps of 28 values for MNIST) or a sequence step by step"
_GAN_NETWORK = (("optimizer", "adam"), ("lr", 2e-4), ("beta1", 0.5))
# measured: lstm on MNIST, 3 epochs: 98.14% at Adam 0.001 constant, 98.75% with onecycle to 0.003
_RNN_RUN = (("lr", 0.003), ("schedule", "onecycle"))
# measured: vae on MNIST, 5 epochs: test loss 107.0 nats at Adam 0.001 constant, 103.9 with onecycle to 0.003
_VAE_RUN = (("lr", 0.003), ("schedule", "onecycle"))


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
        inputs=IMAGES),
    ArchInfo("lenet5", "LeNet-5 (LeCun 1998): 6@5x5 -> pool -> 16@5x5 -> pool -> 120 -> 84",
             (OptionSpec("activation", "str", "tanh", "activation after each layer", ACTIVATION_NAMES),),
             inputs=IMAGES),
    ArchInfo("cifar-convnet", "The CIFAR-10 tutorial CNN: 6@5x5 -> pool -> 16@5x5 -> pool -> 120 -> 84",
             inputs=IMAGES),
    ArchInfo("resnet-small", "Small residual CNN: 3 stages of basic blocks with batch norm, global pooling", (
        OptionSpec("width", "int", 16, "channels of the first stage (doubled per stage)", (), 4, 128),
        OptionSpec("blocks", "int", 1, "residual blocks per stage", (), 1, 8)),
        inputs=IMAGES),
    ArchInfo("rnn", f"Recurrent network (Elman, tanh): {_RNN_HOW}", _RNN_OPTIONS, inputs=SEQUENCES,
             run_defaults=_RNN_RUN),
    ArchInfo("lstm", f"Long short-term memory network: {_RNN_HOW}", _RNN_OPTIONS, inputs=SEQUENCES,
             run_defaults=_RNN_RUN),
    ArchInfo("gru", f"Gated recurrent unit network: {_RNN_HOW}", _RNN_OPTIONS, inputs=SEQUENCES,
             run_defaults=_RNN_RUN),
    ArchInfo("gan", "Generative adversarial network (DCGAN): a generator learns to draw digits that a "
             "discriminator cannot tell from real ones", (
                 OptionSpec("latent", "int", 64, "size of the random vector a digit is drawn from", (), 2, 512),
                 OptionSpec("width", "int", 32, "channels of the first convolution (doubled once)", (), 8, 256)),
             inputs=DIGIT_IMAGES, task="gan",
             networks=(("generator", _GAN_NETWORK), ("discriminator", _GAN_NETWORK)),
             run_defaults=(("epochs", 4), ("batch_size", 64))),
    ArchInfo("vae", "Variational autoencoder: encodes a digit into a few numbers and draws it back from them", (
        OptionSpec("latent", "int", 32, "size of the code a digit is encoded into", (), 2, 512),
        OptionSpec("hidden", "int_list", [512, 256], "sizes of the encoder's hidden layers (the decoder mirrors "
                   "them)")),
        inputs=DIGIT_IMAGES, task="vae", run_defaults=_VAE_RUN),
)}


def option_problems(arch: str, options: dict[str, Any]) -> list[str]:
    spec = ARCH_CATALOGUE[arch]
    known = {o.name: o for o in spec.options}
    problems = []
    for key, value in options.items():
        if key not in known:
            names = ", ".join(known) or "none"
            problems.append(f"{arch} has no option {key!r}; its options are {names}")
        elif (msg := known[key].problem(value)) is not None:
            problems.append(msg)
    return problems


def incompatibility(arch: str, input_shape: tuple[int, ...], task: str = "") -> str | None:
    """Why `arch` cannot take inputs of this shape (or learn this task), or None; build_model raises
    IncompatibleError with it."""
    info, shape = ARCH_CATALOGUE[arch], tuple(input_shape)
    if info.inputs == IMAGES and len(shape) != 3:
        return (f"{arch} is a convolutional network and needs images, but this dataset has inputs of shape "
                f"{shape}; choose linear or mlp for it, or an image dataset")
    if info.inputs == SEQUENCES and len(shape) not in (2, 3):
        return (f"{arch} is a recurrent network and reads sequences (or images row by row), but this dataset has "
                f"single points of shape {shape}; choose linear or mlp for it, or a sequence or image dataset")
    if info.inputs == DIGIT_IMAGES and shape != (1, 28, 28):
        return (f"{arch} draws 28x28 grayscale digits, but this dataset has inputs of shape {shape}; "
                "choose mnist, fashion-mnist or kmnist for it")
    if info.task == "" and task not in ("", "classification", "regression"):
        return f"{arch} learns from labels; {task} is not a dataset task"
    if info.inputs == SEQUENCES and task == "regression":
        return f"{arch} classifies sequences here; choose a classification dataset for it"
    return None


def arch_task(arch: str, dataset_task: str) -> str:
    """The task a run of this architecture on a dataset of this task learns."""
    return ARCH_CATALOGUE[arch].task or dataset_task

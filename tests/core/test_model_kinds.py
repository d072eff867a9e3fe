"""The model kinds on the task seam: recurrent classifiers, the GAN and the VAE build, train, round-trip
through a checkpoint, and learn in the expected direction on small generated data."""

from __future__ import annotations

import math

import numpy as np
import pytest
import torch

from playground.core.checkpoint import load_checkpoint
from playground.core.config import TrainConfig, validate
from playground.core.errors import CheckpointError
from playground.core.inference.generate import generate_images, write_images
from playground.core.training.callbacks import Callback
from playground.core.training.trainer import Trainer


def _config(arch: str, folder, **changes) -> TrainConfig:
    values = {"arch": arch, "dataset": "image-folder", "device": "cpu", "batch_size": 16, "epochs": 2,
              "dataset_options": {"path": str(folder), "size": 28, "grayscale": True}, **changes}
    return TrainConfig(**values)


class _Record(Callback):
    def __init__(self):
        self.steps, self.epochs, self.samples, self.started = [], [], [], None

    def on_start(self, e):
        self.started = e

    def on_step(self, e):
        self.steps.append(e)

    def on_epoch_end(self, e):
        self.epochs.append(e)

    def on_samples(self, e):
        self.samples.append(e)


@pytest.mark.parametrize("arch", ["rnn", "lstm", "gru", "gan", "vae"])
def test_every_new_architecture_trains_and_round_trips(arch, digit_shapes, tmp_path):
    record = _Record()
    result = Trainer(report_every_s=0).fit(_config(arch, digit_shapes), record, checkpoint_path=tmp_path / "m.pt")
    assert result.status == "completed", result.message
    assert all(math.isfinite(v) for e in record.steps for values in e.losses.values() for v in values)
    ckpt = load_checkpoint(tmp_path / "m.pt")
    assert ckpt.epoch == 2 and ckpt.spec.arch == arch
    assert set(ckpt.optimizer_states) == set(record.started.config["optimizers"] or ckpt.optimizer_states)
    original, loaded = result.checkpoint.build_model(), ckpt.build_model()
    torch.manual_seed(0)
    x = torch.randn(4, 64 if arch in ("gan", "vae") else 1, *(() if arch in ("gan", "vae") else (28, 28)))
    if arch == "vae":
        x = torch.rand(4, 1, 28, 28)
    with torch.no_grad():
        out_a, out_b = original(x), loaded(x)
    out_a, out_b = (out_a[0], out_b[0]) if isinstance(out_a, tuple) else (out_a, out_b)
    assert torch.equal(out_a, out_b)


def test_a_gan_has_two_optimizers_with_their_own_settings(digit_shapes):
    config = _config("gan", digit_shapes, epochs=1, optimizers={"discriminator": {"lr": 1e-4}})
    record = _Record()
    result = Trainer(report_every_s=0).fit(config, record)
    assert result.status == "completed", result.message
    assert record.started.loss_names == ("g_loss", "d_loss")
    assert record.steps[0].lrs == {"generator": 2e-4, "discriminator": 1e-4}
    states = result.checkpoint.optimizer_states
    assert set(states) == {"generator", "discriminator", "generator_raw"}  # the trained generator, to resume
    assert states["generator"]["optimizer"]["param_groups"][0]["betas"] == (0.5, 0.999)
    assert set(result.checkpoint.model_states) == {"generator", "discriminator"}


def test_a_gan_draws_with_the_average_of_its_generators_weights(digit_shapes):
    result = Trainer(report_every_s=0).fit(_config("gan", digit_shapes, epochs=1))
    trained = result.checkpoint.optimizer_states["generator_raw"]["weights"]
    average = result.checkpoint.model_states["generator"]
    assert trained.keys() == average.keys()
    assert any(not torch.equal(trained[k], average[k]) for k in trained if trained[k].is_floating_point())
    assert all(torch.isfinite(v).all() for v in average.values() if v.is_floating_point())


def test_a_gan_learns_to_draw_what_it_is_shown(digit_shapes):
    """Its drawings start grey all over; after a short run their mean image is near the data's."""
    record = _Record()
    # 24 short epochs: a conditional GAN also learns which class to draw, which takes it longer on 120 images
    result = Trainer(report_every_s=0).fit(_config("gan", digit_shapes, epochs=24, seed=1), record)
    assert result.status == "completed", result.message
    from PIL import Image

    real = np.stack([np.asarray(Image.open(p), dtype=np.float32) for p in sorted(digit_shapes.rglob("*.png"))])
    target = real.mean(0)
    first, last = (np.asarray(s.images, dtype=np.float32).mean(0) for s in (record.samples[0], record.samples[-1]))
    assert [s.epoch for s in record.samples] == list(range(1, 25))
    before = float(np.abs(first - target).mean())
    after = float(np.abs(last - target).mean())
    print(f"drawings off the data mean: {before:.1f} -> {after:.1f}")
    assert after < 0.5 * before, (before, after)
    d = [e.values["train_d_loss"] for e in record.epochs]
    assert d[-1] < d[0]  # the discriminator tells real from drawn better than at the start


def test_a_vae_loss_falls_and_reports_both_terms(digit_shapes):
    record = _Record()
    result = Trainer(report_every_s=0).fit(_config("vae", digit_shapes, epochs=6, lr=3e-3), record)
    assert result.status == "completed", result.message
    assert record.started.loss_names == ("loss", "recon", "kl")
    first, last = record.epochs[0].values, record.epochs[-1].values
    assert last["train_loss"] < 0.7 * first["train_loss"]
    assert last["test_loss"] == pytest.approx(last["test_recon"] + last["test_kl"], rel=1e-4)
    assert last["test_kl"] > 0
    images = record.samples[-1].images
    assert images.shape == (64, 28, 28) and images.dtype == np.uint8


def test_generate_writes_grayscale_digits_and_refuses_classifiers(digit_shapes, tmp_path):
    Trainer().fit(_config("vae", digit_shapes, epochs=1), checkpoint_path=tmp_path / "vae.pt")
    images = generate_images(tmp_path / "vae.pt", 5, seed=3)
    assert images.shape == (5, 28, 28) and images.dtype == np.uint8
    assert np.array_equal(images, generate_images(tmp_path / "vae.pt", 5, seed=3))
    paths = write_images(images, tmp_path / "out")
    from PIL import Image

    with Image.open(paths[0]) as first:
        assert first.mode == "L" and first.size == (28, 28)
    Trainer().fit(_config("mlp", digit_shapes, epochs=1), checkpoint_path=tmp_path / "mlp.pt")
    with pytest.raises(CheckpointError, match="does not draw them"):
        generate_images(tmp_path / "mlp.pt", 2)


@pytest.mark.parametrize(("arch", "dataset", "words"), [
    ("gan", "spiral", "28x28 grayscale digits"), ("vae", "cifar10", "28x28 grayscale digits"),
    ("lstm", "moons", "recurrent network"), ("gru", "sine", "recurrent network"),
])
def test_kinds_refuse_datasets_they_cannot_take(arch, dataset, words):
    problems = validate(TrainConfig(arch=arch, dataset=dataset))
    assert [f for f, _ in problems] == ["arch"] and words in problems[0][1]


def test_a_recurrent_net_learns_the_waves():
    config = TrainConfig(arch="gru", dataset="waves", dataset_options={"samples": 1200}, epochs=12, lr=3e-3,
                         device="cpu")
    result = Trainer().fit(config)
    assert result.status == "completed", result.message
    assert result.metrics[-1].test_accuracy > 0.6  # four classes: chance is 0.25


def test_a_conditional_gan_draws_the_class_its_latent_vector_asks_for():
    from playground.core.models.generative import build_gan, labels_of

    torch.manual_seed(0)
    gan = build_gan((1, 28, 28), 10)
    assert gan.classes == 10
    z = gan.arrange(torch.randn(30, gan.latent))
    assert labels_of(z, 10).tolist() == [i % 10 for i in range(30)], "a sample grid asks for every digit in turn"
    asked = labels_of(torch.randn(20_000, gan.latent), 10)
    assert torch.bincount(asked, minlength=10).min() > 1_700, "random vectors ask for every class alike"
    realness, classes = gan.discriminator(torch.zeros(4, 1, 28, 28), with_classes=True)
    assert realness.shape == (4,) and classes.shape == (4, 10)
    old = {k: v for k, v in gan.discriminator.state_dict().items() if not k.startswith("classify.")}
    gan.discriminator.load_state_dict(old)  # a discriminator saved before it classified still opens
    assert build_gan((1, 28, 28), 100).classes == 0, "too many classes for the latent: a plain GAN"

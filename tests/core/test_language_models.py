"""Language models and attention: text as data, gpt and the recurrent networks writing, vit reading images as
patches; the causal mask, the attention weights, checkpoints, and every bad input with its message."""

from __future__ import annotations

import math
from pathlib import Path

import pytest
import torch

from playground.core.checkpoint import load_checkpoint, save_checkpoint
from playground.core.config import TrainConfig, validate
from playground.core.data.registry import load_dataset
from playground.core.inference.text import TextModel
from playground.core.models.transformer import attention_maps
from playground.core.training.trainer import Trainer

SHAKESPEARE = Path(__file__).resolve().parents[2] / "resources" / "text" / "tinyshakespeare.txt"
TINY_GPT = {"layers": 2, "heads": 2, "width": 16, "context": 16}


@pytest.fixture(scope="module")
def text_file(tmp_path_factory) -> Path:
    """The first 20,000 characters of the bundled corpus: a few hundred steps of text in milliseconds."""
    path = tmp_path_factory.mktemp("text") / "plays.txt"
    path.write_text(SHAKESPEARE.read_text(encoding="utf-8")[:20_000], encoding="utf-8")
    return path


def _text_config(arch: str, path: Path, **changes) -> TrainConfig:
    options = TINY_GPT if arch == "gpt" else {"hidden": 16}
    base = TrainConfig(arch=arch, arch_options=options, dataset="text", data_file=str(path), epochs=1,
                       batch_size=16, lr=3e-3, device="cpu", dataset_options={"window": 16})
    return base.replace(**changes)


def test_the_bundled_corpus_splits_into_a_training_vocabulary_and_the_last_tenth():
    data = load_dataset("shakespeare")
    assert len(data.class_names) == 65 and data.class_names[:2] == ("\n", " ")
    assert len(data.train_x) + len(data.val_x) == 1_115_394
    assert len(data.val_x) == 1_115_394 - int(1_115_394 * 0.9) and len(data.test_x) == 0
    text = "".join(data.class_names[i] for i in data.train_x[:14].tolist())
    assert text == "First Citizen:"


def test_characters_only_the_validation_split_has_are_left_out_and_told(tmp_path):
    path = tmp_path / "a.txt"
    path.write_text("ab" * 45 + "abcé" * 3, encoding="utf-8")  # the last 10% holds c and é, unseen before
    data = load_dataset("text", data_file=str(path))
    assert data.class_names == ("a", "b") and set(data.val_x.tolist()) <= {0, 1}
    assert "'c'" in data.notices[0] and "'é'" in data.notices[0] and "left out" in data.notices[0]


@pytest.mark.parametrize(("content", "words"), [
    (b"", ["empty"]),
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", ["not text", "binary"]),
    ("caf\u00e9 au lait".encode("latin-1") * 20, ["not UTF-8", "0xe9", "save it as UTF-8"]),
])
def test_files_that_are_not_text_are_named_with_the_fix(tmp_path, content, words):
    path = tmp_path / "in.txt"
    path.write_bytes(content)
    result = Trainer().fit(_text_config("gpt", path))
    assert result.status == "failed" and str(path) in result.message
    for word in words:
        assert word in result.message


def test_a_text_shorter_than_a_window_is_refused_with_the_fix(tmp_path):
    path = tmp_path / "short.txt"
    path.write_text("To be, or not to be", encoding="utf-8")
    result = Trainer().fit(_text_config("gpt", path))
    assert result.status == "failed"
    assert "too few" in result.message and "smaller window" in result.message


@pytest.mark.parametrize(("arch", "dataset", "words"), [
    ("gpt", "mnist", ["gpt", "needs text", "mnist has images", "vit"]),
    ("vit", "shakespeare", ["vit", "needs images", "shakespeare has text", "gpt"]),
])
def test_architectures_asked_for_the_wrong_data_say_what_to_choose(arch, dataset, words):
    problems = validate(TrainConfig(arch=arch, dataset=dataset))
    assert [f for f, _ in problems] == ["arch"]
    for word in words:
        assert word in problems[0][1]


def test_a_width_the_heads_do_not_divide_is_refused_with_widths_that_work():
    problems = validate(TrainConfig(arch="gpt", dataset="shakespeare", arch_options={"width": 130, "heads": 4}))
    assert problems == [("arch_options", "a width of 130 cannot be split into 4 heads; choose a width that 4 "
                                         "divides (such as 128 or 132) or another number of heads")]


def test_a_text_file_is_required_and_a_window_longer_than_the_context_refused():
    assert [f for f, _ in validate(TrainConfig(arch="lstm", dataset="text"))] == ["data_file"]
    problems = validate(TrainConfig(arch="gpt", dataset="shakespeare", dataset_options={"window": 128}))
    assert problems and "longer than the gpt's context of 64" in problems[0][1]
    assert "bidirectional" in validate(TrainConfig(arch="lstm", dataset="shakespeare",
                                                   arch_options={"bidirectional": True}))[0][1]


@pytest.mark.parametrize("arch", ["gpt", "rnn", "lstm", "gru"])
def test_every_language_model_learns_writes_and_round_trips_a_checkpoint(text_file, tmp_path, arch):
    result = Trainer(report_every_s=0).fit(_text_config(arch, text_file, epochs=2))
    assert result.status == "completed", result.message
    first, last = (m.values for m in result.metrics)
    assert last["val_loss"] < first["val_loss"] < math.log(len(result.checkpoint.spec.class_names))
    assert last["val_bpc"] == pytest.approx(last["val_loss"] / math.log(2))
    save_checkpoint(tmp_path / "m.pt", result.checkpoint)
    again = load_checkpoint(tmp_path / "m.pt")
    x = torch.randint(len(again.spec.class_names), (2, 16))
    with torch.no_grad():
        assert torch.equal(again.build_model()(x), result.checkpoint.build_model()(x))
    written = TextModel.from_checkpoint(again).continue_text("ROMEO:", 50, seed=3)
    assert len(written.text) == 50 and set(written.text) <= set(again.spec.class_names)
    assert written == TextModel.from_checkpoint(again).continue_text("ROMEO:", 50, seed=3)


def test_a_prompt_with_characters_the_model_never_saw_says_which_and_leaves_them_out(text_file):
    result = Trainer().fit(_text_config("gpt", text_file))
    written = TextModel.from_checkpoint(result.checkpoint).continue_text("ROMEO: ©é", 10)
    assert written.unknown == ("©", "é") and written.prompt == "ROMEO: "


def test_the_causal_mask_holds_the_future_never_changes_the_past():
    from playground.core.models.transformer import GPT

    torch.manual_seed(0)
    model = GPT(vocab=20, context=12, layers=2, heads=2, width=16).eval()
    x = torch.randint(20, (3, 12))
    changed = x.clone()
    changed[:, 7:] = torch.randint(20, (3, 5))
    with torch.no_grad():
        a, b = model(x), model(changed)
    assert torch.allclose(a[:, :7], b[:, :7], atol=1e-6)
    assert not torch.allclose(a[:, 7:], b[:, 7:])


@pytest.mark.parametrize("which", ["gpt", "vit"])
def test_attention_weights_are_probabilities_and_causal_for_text(which):
    from playground.core.models.transformer import GPT, ViT

    torch.manual_seed(0)
    if which == "gpt":
        model, x = GPT(vocab=20, context=10, layers=3, heads=2, width=16).eval(), torch.randint(20, (2, 10))
    else:
        model, x = ViT((1, 28, 28), 10, patch=7, layers=2, heads=4, width=16).eval(), torch.randn(2, 1, 28, 28)
    maps = attention_maps(model, x)
    assert len(maps) == (3 if which == "gpt" else 2)
    for w in maps:
        assert (w >= 0).all() and torch.allclose(w.sum(-1), torch.ones(w.shape[:-1]), atol=1e-5)
    if which == "gpt":
        assert (maps[0].triu(1) == 0).all(), "a character attends to none after it"
    else:
        assert maps[0].shape == (2, 4, 17, 17)  # the class token and 16 patches
    with torch.no_grad():
        assert torch.allclose(model(x), model(x))  # the usual path, untouched by the capture


def test_vit_reads_images_as_patches_and_refuses_patches_that_do_not_tile(digit_shapes):
    config = TrainConfig(arch="vit", arch_options={"layers": 1, "width": 16, "heads": 2}, dataset="image-folder",
                         dataset_options={"path": str(digit_shapes), "size": 28, "grayscale": True}, epochs=2,
                         batch_size=16, device="cpu")
    result = Trainer().fit(config)
    assert result.status == "completed", result.message
    bad = Trainer().fit(config.replace(arch_options={"patch": 5}))
    assert bad.status == "failed" and "patches of 5x5 do not tile 28x28" in bad.message and "7" in bad.message


def test_checkpoints_written_before_language_models_still_open():
    from playground.core.inference.bundled import bundled_model_path

    for path in (bundled_model_path(), Path(__file__).parent / "data" / "format1-mlp-blobs.pt"):
        ckpt = load_checkpoint(path)
        assert ckpt.spec.inputs == "" and ckpt.spec.kind.classifies
        ckpt.build_model()

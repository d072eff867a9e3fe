"""Language models and attention in the window: the Text panel writes from the training run's weights while it
trains and from the trained model afterwards (bars for the next character), the Attention view follows the run,
and a GAN's run folder gets its samples/ like the CLI's."""

from __future__ import annotations

from pathlib import Path

from guitest import RUN_MS, configure

SHAKESPEARE = Path(__file__).resolve().parents[2] / "resources" / "text" / "tinyshakespeare.txt"
TINY_GPT = {"layers": 2, "heads": 2, "width": 16, "context": 16}


def _text(tmp_path: Path) -> str:
    path = tmp_path / "plays.txt"
    path.write_text(SHAKESPEARE.read_text(encoding="utf-8")[:30_000], encoding="utf-8")
    return str(path)


def test_the_text_panel_and_the_attention_view_follow_a_gpt_as_it_trains(qtbot, window, tmp_path):
    configure(window, arch="gpt", arch_options=TINY_GPT, dataset="text", data_file=_text(tmp_path), epochs=400,
              batch_size=16)
    window.controls.train.click()
    text = window.docks.views["text"]
    qtbot.waitUntil(lambda: text.presence.on_screen, timeout=RUN_MS)  # a language model brings it forward
    qtbot.waitUntil(lambda: text.output.toPlainText().startswith(text.prompt.toPlainText()), timeout=RUN_MS)
    first = text.output.toPlainText()
    qtbot.waitUntil(lambda: text.output.toPlainText() != first, timeout=RUN_MS)  # redrawn from newer weights
    assert len(text.bars.probabilities()) == 10 and sum(text.bars.probabilities()) <= 1.0001
    window.docks.bring_forward("attention")
    attention = window.docks.views["attention"]
    qtbot.waitUntil(lambda: attention.maps is not None and attention.maps.step is not None, timeout=RUN_MS)
    step = attention.maps.step
    assert attention.grid.shape() == (2, 2)  # layers x heads
    qtbot.waitUntil(lambda: attention.maps.step != step, timeout=RUN_MS)  # it follows the run
    assert attention.matrix.isVisible()
    with qtbot.waitSignal(window.training_finished, timeout=RUN_MS):
        window.controls.stop.click()
    window.docks.bring_forward("text")
    text.prompt.setPlainText("ROMEO:")  # after the run: a prompt of one's own, written from the final weights
    qtbot.waitUntil(lambda: text.output.toPlainText().startswith("ROMEO:"), timeout=RUN_MS)


def test_a_gan_run_started_in_the_app_writes_its_samples_folder(qtbot, window, digit_shapes):
    configure(window, arch="gan", arch_options={"latent": 8, "width": 8}, epochs=2, batch_size=16,
              dataset="image-folder", dataset_options={"path": str(digit_shapes), "size": 28, "grayscale": True})
    with qtbot.waitSignal(window.training_finished, timeout=RUN_MS):
        window.controls.train.click()
    folder = Path(window.session.run.started.folder)
    assert sorted(p.name for p in (folder / "samples").iterdir()) == ["epoch-001.png", "epoch-002.png"]

"""Draw your own classes: three classes drawn with mouse strokes, trained in a worker, read by the Draw panel."""

from __future__ import annotations

import numpy as np
import pytest
from synthetic_input import draw_stroke

from playground.core.data.my_drawings import DrawingSet, read_example
from playground.gui.drawing.panel import DrawingPanel
from playground.gui.my_classes.panel import MyClassesPanel
from playground.gui.session import SessionModel

CLASSES = ("circle", "cross", "line")  # image-folder numbers them in this (sorted) order


def _strokes(kind: str, rng: np.random.Generator) -> list[list[tuple[float, float]]]:
    """One drawing of a kind, in canvas-relative coordinates, with a hand's jitter in size, place and tilt."""
    cx, cy = 0.5 + rng.normal(0, 0.04, 2)
    r = rng.uniform(0.22, 0.34)
    if kind == "circle":
        t = np.linspace(0, 2.05 * np.pi, 40)
        return [[(cx + r * np.cos(a), cy + r * 1.1 * np.sin(a)) for a in t]]
    if kind == "cross":
        d = r * (1 + rng.normal(0, 0.05, 4))
        return [_line(cx - d[0], cy - d[1], cx + d[0], cy + d[1]), _line(cx + d[2], cy - d[3], cx - d[2], cy + d[3])]
    tilt = rng.normal(0, 0.04)
    return [_line(cx - r * 1.2, cy - tilt, cx + r * 1.2, cy + tilt)]


def _line(x0: float, y0: float, x1: float, y1: float) -> list[tuple[float, float]]:
    return [(x0 + (x1 - x0) * t, y0 + (y1 - y0) * t) for t in np.linspace(0, 1, 12)]


def _draw(canvas, kind: str, rng: np.random.Generator) -> None:
    canvas.clear()
    for stroke in _strokes(kind, rng):
        draw_stroke(canvas, stroke)


@pytest.fixture
def panels(qtbot, tmp_path):
    session = SessionModel()
    mine = MyClassesPanel(session, root=tmp_path / "my-drawings")
    draw = DrawingPanel(load_bundled=False, session=session)
    for widget in (mine, draw):
        qtbot.addWidget(widget)
        widget.resize(700, 420)
        widget.show()
    yield mine, draw
    mine.shutdown()


def _add_examples(mine: MyClassesPanel, counts: dict[str, int], seed: int = 0) -> None:
    rng = np.random.default_rng(seed)
    for name, count in counts.items():
        assert mine.add_class(name)
        for _ in range(count):
            _draw(mine.canvas, name, rng)
            assert mine.add_example() is not None


def test_three_drawn_classes_train_and_the_draw_panel_reads_them(window, qtbot, tmp_path):
    """In the app: the My classes dock's examples, trained in a worker, and the Draw dock reads your classes."""
    mine, draw = window.docks.views["myClasses"], window.drawing
    mine.drawings = DrawingSet(tmp_path / "my-drawings")  # not the session's per-user folder
    _add_examples(mine, dict.fromkeys(CLASSES, 8))
    assert mine.drawings.counts() == dict.fromkeys(CLASSES, 8)
    example = mine.drawings.examples("cross")[0]
    assert example.name == "001.png" and read_example(example).shape == (28, 28)
    assert len(mine.grid.paths()) == 8  # the chosen class's thumbnails
    with qtbot.waitSignal(mine.model_trained, timeout=120_000):
        assert mine.train(epochs=30)
    qtbot.waitUntil(lambda: not mine.training.running(), timeout=10_000)
    assert draw.has_model() and draw._predictor.info.labels() == CLASSES  # its bars show your class names
    assert "your classes" in draw.model_description() and not draw.teach.isVisible()
    window.docks.bring_forward("draw")
    rng = np.random.default_rng(99)  # a new drawing of the second class
    with qtbot.waitSignal(draw.prediction_updated, check_params_cb=lambda p: p is not None) as blocker:
        _draw(draw.canvas, CLASSES[1], rng)
    assert int(np.argmax(blocker.args[0])) == 1
    assert draw.prediction_label.text() == CLASSES[1]


def test_browse_and_delete_examples(panels):
    mine, _ = panels
    _add_examples(mine, {"circle": 3})
    mine.grid.item(0).setSelected(True)
    mine.delete_selected_examples()
    assert [p.name for p in mine.drawings.examples("circle")] == ["002.png", "003.png"]
    assert len(mine.grid.paths()) == 2
    mine.remove_class("circle")
    assert mine.drawings.classes() == [] and mine.class_list.count() == 0


def test_fewer_than_two_classes_says_so(panels):
    mine, _ = panels
    _add_examples(mine, {"circle": 6})
    assert not mine.train()
    assert "at least 2 classes" in mine.message_label.text()
    assert mine.drawings.counts() == {"circle": 6}  # nothing saved is lost


def test_fewer_than_five_examples_names_the_class(panels):
    mine, _ = panels
    _add_examples(mine, {"circle": 5, "line": 3})
    assert not mine.train()
    assert "at least 5 examples" in mine.message_label.text() and "line (3)" in mine.message_label.text()
    assert mine.drawings.counts() == {"circle": 5, "line": 3}
    assert not mine.training.running()


def test_bad_class_name_and_empty_canvas(panels):
    mine, _ = panels
    assert not mine.add_class("../escape")
    assert "cannot name a class" in mine.message_label.text()
    assert mine.add_class("circle")
    assert mine.add_example() is None and "Draw an example of circle" in mine.message_label.text()

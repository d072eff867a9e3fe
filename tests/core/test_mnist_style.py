"""The drawing -> MNIST-style input conversion, on inputs whose answer is known."""

from pathlib import Path

import numpy as np
import pytest
import torch
import torch.nn.functional as F

from playground.core.inference.mnist_style import centre_of_mass, ink_bounding_box, prepare_digit

MEAN, STD = (0.1307,), (0.3081,)


def _canvas(side: int = 300) -> np.ndarray:
    return np.zeros((side, side), dtype=np.uint8)


def _ink_box(preview: np.ndarray) -> tuple[int, int]:
    top, bottom, left, right = ink_bounding_box(preview.astype(np.float32) / 255)
    return bottom - top, right - left


def test_blank_canvases_give_nothing():
    assert prepare_digit(_canvas()) is None
    assert prepare_digit(np.zeros((50, 80), dtype=np.float32)) is None
    assert prepare_digit(np.full((40, 40), 0.01, dtype=np.float32)) is None  # faint noise is not ink


def test_rectangle_is_scaled_to_20_pixels_keeping_its_aspect_ratio():
    canvas = _canvas()
    canvas[30:130, 200:250] = 255  # 100 tall, 50 wide, far from the centre
    digit = prepare_digit(canvas)
    assert digit.preview.shape == (28, 28) and digit.preview.dtype == np.uint8
    # a solid block is a very broad stroke: thinned towards MNIST's strokes, then fitted to the 20 px box again
    assert _ink_box(digit.preview) in ((20, 10), (20, 9), (20, 8))
    cy, cx = centre_of_mass(digit.preview.astype(np.float64))
    assert abs(cy - 14) <= 0.5 and abs(cx - 14) <= 0.5


def test_wide_strokes_use_the_width_as_the_longer_side():
    canvas = _canvas()
    canvas[140:160, 20:280] = 255
    assert _ink_box(prepare_digit(canvas).preview)[1] == 20


def test_a_tiny_dot_is_enlarged():
    canvas = _canvas()
    canvas[10:13, 10:13] = 255
    assert _ink_box(prepare_digit(canvas).preview) == (20, 20)


def test_centre_of_mass_not_bounding_box_is_centred():
    canvas = _canvas(200)
    canvas[20:180, 20:40] = 255  # an L: a heavy vertical bar ...
    canvas[160:180, 20:120] = 255  # ... and a foot
    preview = prepare_digit(canvas).preview.astype(np.float64)
    cy, cx = centre_of_mass(preview)
    assert abs(cy - 14) <= 0.5 and abs(cx - 14) <= 0.5
    top, bottom, left, right = ink_bounding_box(preview / 255)
    assert (top + bottom) / 2 < 14 and (left + right) / 2 > 14  # the box itself sits off centre


def test_normalised_as_in_training():
    canvas = _canvas()
    canvas[50:250, 120:170] = 255
    digit = prepare_digit(canvas, MEAN, STD)
    assert digit.tensor.shape == (1, 1, 28, 28) and digit.tensor.dtype == torch.float32
    expected = (torch.from_numpy(digit.preview).float() / 255 - MEAN[0]) / STD[0]
    assert torch.allclose(digit.tensor[0, 0], expected, atol=0.5 / 255 / STD[0])
    assert digit.tensor.min().item() == pytest.approx(-MEAN[0] / STD[0])


def test_uint8_and_float_drawings_agree():
    canvas = _canvas()
    canvas[60:240, 100:140] = 200
    a = prepare_digit(canvas)
    b = prepare_digit(canvas.astype(np.float32) / 255)
    assert np.abs(a.preview.astype(int) - b.preview.astype(int)).max() <= 1


def test_position_and_size_on_the_canvas_do_not_matter():
    small, large = _canvas(), _canvas()
    small[10:50, 10:30] = 255
    small[10:15, 10:60] = 255
    large[100:260, 80:160] = 255
    large[100:120, 80:280] = 255
    a, b = prepare_digit(small).preview, prepare_digit(large).preview
    assert np.abs(a.astype(int) - b.astype(int)).mean() < 4


def test_rejects_colour_images():
    with pytest.raises(ValueError, match="2-D"):
        prepare_digit(np.zeros((10, 10, 3), dtype=np.uint8))


def test_an_enlarged_mnist_digit_comes_back_as_itself(mnist_dir: Path):
    from playground.core.data.idx import read_idx

    images = read_idx(mnist_dir / "MNIST" / "raw" / "t10k-images-idx3-ubyte")[:50]
    errors = []
    for image in images:
        big = F.interpolate(image[None, None].float(), scale_factor=10, mode="nearest")[0, 0]
        canvas = np.zeros((400, 360), dtype=np.float32)
        canvas[90:370, 40:320] = big.numpy() / 255  # off centre on a larger canvas
        back = prepare_digit(canvas).preview.astype(np.float32)
        errors.append(np.abs(back - image.numpy()).mean())
    assert np.median(errors) < 3  # grey levels out of 255: the originals had been made this way


@pytest.mark.parametrize("pen", [3, 9, 26])
def test_a_fine_or_broad_pen_is_brought_to_mnists_stroke_width(pen):
    """The same 0 drawn with pens from hair-thin to marker-thick reads with MNIST-like strokes."""
    from playground.core.inference.mnist_style import STROKE_HIGH, STROKE_LOW, stroke_width

    canvas = np.zeros((280, 280), dtype=np.uint8)
    yy, xx = np.mgrid[:280, :280]
    radius = np.hypot((yy - 140) / 100, (xx - 140) / 70)
    canvas[np.abs(radius - 1) * 85 < pen / 2] = 255
    width = stroke_width(prepare_digit(canvas).preview.astype(np.float32) / 255)
    assert STROKE_LOW - 0.3 <= width <= STROKE_HIGH + 0.3, width


def test_the_ink_bounding_box_is_that_of_every_pixel_above_the_threshold():
    rng = np.random.default_rng(0)
    for _ in range(100):
        h, w = (int(n) for n in rng.integers(1, 120, 2))
        image = ((rng.random((h, w)) < rng.random() * 0.02) * rng.integers(0, 256, (h, w))).astype(np.uint8)
        rows, cols = np.nonzero(image > 40)
        expected = None if rows.size == 0 else (rows.min(), rows.max() + 1, cols.min(), cols.max() + 1)
        assert ink_bounding_box(image, 40) == expected

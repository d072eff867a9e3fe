"""Synthetic handwritten digits as mouse strokes, to check the drawing path end to end.

Each digit has a few styles as people write them (1 with or without a flag, 7 with or without a bar,
4 open or closed, 8 as one stroke or two loops...). A style is a list of strokes; a stroke is a list of
pieces, each a few key points joined by a smooth curve, with corners where pieces meet. A sample jitters
the key points, then slants, rotates, stretches, sizes and places the digit, adds a slight tremor, and
samples the curve as a mouse would at a varying speed. Coordinates are canvas-relative (0..1, y down).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

Piece = list[tuple[float, float]]
StyleStrokes = list[list[Piece]]


def _ellipse(cx: float, cy: float, rx: float, ry: float, start: float, turn: float, n: int = 9) -> Piece:
    """Key points on an ellipse, from angle `start` (radians, 0 = right, y down) through `turn`."""
    angles = start + turn * np.linspace(0.0, 1.0, n)
    return [(cx + rx * np.cos(a), cy + ry * np.sin(a)) for a in angles]


_TOP, _TAU = -np.pi / 2, 2 * np.pi
STYLES: dict[int, dict[str, StyleStrokes]] = {
    0: {"oval": [[_ellipse(0.5, 0.5, 0.5, 0.5, _TOP, -_TAU * 1.04, 13)]],
        "open top": [[_ellipse(0.5, 0.5, 0.48, 0.5, _TOP + 0.3, -_TAU * 0.97, 13)]]},
    1: {"stick": [[[(0.5, 0.0), (0.5, 1.0)]]],
        "flag": [[[(0.15, 0.25), (0.55, 0.0)], [(0.55, 0.0), (0.55, 1.0)]]],
        "flag and base": [[[(0.2, 0.22), (0.55, 0.0)], [(0.55, 0.0), (0.55, 1.0)]], [[(0.2, 1.0), (0.9, 1.0)]]]},
    2: {"curved": [[[(0.05, 0.25), (0.35, 0.0), (0.75, 0.03), (0.9, 0.3), (0.6, 0.62), (0.0, 1.0)],
                    [(0.0, 1.0), (1.0, 0.98)]]],
        "looped": [[[(0.08, 0.22), (0.45, 0.0), (0.88, 0.2), (0.75, 0.5), (0.25, 0.9), (0.1, 0.95),
                     (0.2, 0.8), (0.4, 0.92), (1.0, 1.0)]]]},
    3: {"round": [[[(0.05, 0.12), (0.45, 0.0), (0.85, 0.15), (0.75, 0.38), (0.35, 0.47)],
                   [(0.35, 0.47), (0.85, 0.6), (0.9, 0.85), (0.5, 1.0), (0.05, 0.88)]]],
        "flat top": [[[(0.1, 0.0), (0.9, 0.0)], [(0.9, 0.0), (0.4, 0.42)],
                      [(0.4, 0.42), (0.85, 0.55), (0.92, 0.8), (0.55, 1.0), (0.05, 0.88)]]]},
    4: {"closed": [[[(0.7, 0.0), (0.0, 0.68)], [(0.0, 0.68), (1.0, 0.68)]], [[(0.72, 0.02), (0.72, 1.0)]]],
        "open": [[[(0.1, 0.0), (0.05, 0.6)], [(0.05, 0.6), (0.95, 0.58)]], [[(0.72, 0.0), (0.7, 1.0)]]]},
    5: {"two strokes": [[[(0.2, 0.0), (0.12, 0.45)],
                         [(0.12, 0.45), (0.55, 0.36), (0.9, 0.58), (0.82, 0.88), (0.45, 1.0), (0.05, 0.9)]],
                        [[(0.2, 0.0), (0.9, 0.0)]]],
        "one stroke": [[[(0.9, 0.0), (0.2, 0.0)], [(0.2, 0.0), (0.12, 0.45)],
                        [(0.12, 0.45), (0.55, 0.36), (0.9, 0.6), (0.8, 0.9), (0.4, 1.0), (0.05, 0.88)]]]},
    6: {"loop": [[[(0.8, 0.0), (0.4, 0.15), (0.1, 0.55), (0.2, 0.9), (0.55, 1.0), (0.88, 0.82),
                   (0.8, 0.58), (0.45, 0.52), (0.15, 0.68)]]],
        "straight stem": [[[(0.6, 0.0), (0.15, 0.7)], [(0.15, 0.7), (0.35, 1.0), (0.8, 0.95), (0.85, 0.65),
                                                        (0.5, 0.5), (0.15, 0.7)]]]},
    7: {"plain": [[[(0.0, 0.0), (1.0, 0.0)], [(1.0, 0.0), (0.35, 1.0)]]],
        "barred": [[[(0.0, 0.0), (1.0, 0.0)], [(1.0, 0.0), (0.35, 1.0)]], [[(0.3, 0.52), (0.9, 0.5)]]],
        "hooked": [[[(0.0, 0.18), (0.02, 0.0)], [(0.02, 0.0), (1.0, 0.02)], [(1.0, 0.02), (0.45, 0.6), (0.4, 1.0)]]]},
    8: {"one stroke": [[[(0.85, 0.12), (0.5, 0.0), (0.15, 0.15), (0.3, 0.38), (0.7, 0.58), (0.9, 0.82),
                         (0.5, 1.0), (0.1, 0.82), (0.3, 0.58), (0.7, 0.38), (0.85, 0.15), (0.6, 0.02)]]],
        "two loops": [[_ellipse(0.5, 0.24, 0.36, 0.24, np.pi / 2, -_TAU * 1.02, 11)],
                      [_ellipse(0.5, 0.74, 0.48, 0.26, _TOP, -_TAU * 1.02, 11)]]},
    9: {"straight tail": [[[(0.9, 0.25), (0.55, 0.0), (0.12, 0.15), (0.12, 0.4), (0.5, 0.52), (0.9, 0.3)],
                           [(0.9, 0.3), (0.9, 0.1)], [(0.9, 0.1), (0.82, 1.0)]]],
        "curved tail": [[[(0.9, 0.2), (0.5, 0.0), (0.1, 0.2), (0.2, 0.45), (0.55, 0.48), (0.9, 0.25)],
                         [(0.9, 0.25), (0.85, 0.7), (0.6, 1.0), (0.3, 0.95)]]],
        "two strokes": [[_ellipse(0.45, 0.25, 0.4, 0.25, 0.0, -_TAU * 1.03, 11)], [[(0.85, 0.2), (0.6, 1.0)]]]},
}
WIDTHS = {0: 0.7, 1: 0.35, 2: 0.65, 3: 0.6, 4: 0.7, 5: 0.62, 6: 0.62, 7: 0.65, 8: 0.62, 9: 0.62}  # width / height


@dataclass(frozen=True)
class HandwrittenDigit:
    digit: int
    style: str
    strokes: list[np.ndarray]  # each N x 2, canvas-relative (x, y), in the order a mouse would visit them
    pen: float = 1.0  # the writer's pen, relative to the app's (a stylus is finer, a finger broader)
    writer: int = -1  # which writer of handwriting_set's wrote it (-1: no writer, careful and average)


@dataclass(frozen=True)
class Writer:
    """One person's habits, the same in every digit they write."""

    sloppiness: float  # scales shape jitter, slant and rotation
    slant: float  # their own lean, added to everyone's slight lean to the right
    size: float  # how large they write, 0.6 small to 1.2 large
    pen: float  # pen width relative to the app's
    gaps: float  # loops left open / strokes stopped short (fraction of a stroke), 0 to 0.12
    overshoot: float  # strokes run on past where they should end, 0 to 0.1
    preferred: dict[int, str]  # the style they use for each digit


def writers(count: int, seed: int = 0) -> list[Writer]:
    """`count` different writers, reproducible from the seed."""
    rng = np.random.default_rng(seed + 7919)
    # the pen is the app's for everyone (people draw with the canvas's pen), but a small digit makes it broad
    return [Writer(sloppiness=float(rng.uniform(1.0, 2.7)), slant=float(rng.normal(0, 0.25)),
                   size=float(rng.uniform(0.45, 1.2)), pen=1.0,
                   gaps=float(rng.uniform(0, 0.15)) if rng.random() < 0.5 else 0.0,
                   overshoot=float(rng.uniform(0, 0.1)) if rng.random() < 0.5 else 0.0,
                   preferred={d: str(rng.choice(list(STYLES[d]))) for d in STYLES}) for _ in range(count)]


def styles() -> list[tuple[int, str]]:
    return [(d, s) for d in STYLES for s in STYLES[d]]


def handwriting_set(per_style: int, seed: int = 0, sloppiness: float = 1.0) -> list[HandwrittenDigit]:
    """per_style samples of every style of every digit, reproducible from the seed.

    sloppiness scales the shape jitter, slant and rotation: 1 is careful writing, 2 is hurried.
    """
    rng = np.random.default_rng(seed)
    return [write_digit(d, s, rng, sloppiness) for d, s in styles() for _ in range(per_style)]


def writers_set(per_digit: int, count: int = 40, seed: int = 0) -> list[HandwrittenDigit]:
    """Each of `count` writers writes every digit `per_digit` times in their own style, size, slant, pen and
    habits (open loops, overshoots): far more varied than handwriting_set, as real people are."""
    rng = np.random.default_rng(seed)
    out = []
    for number, writer in enumerate(writers(count, seed)):
        for digit in STYLES:
            for _ in range(per_digit):
                style = writer.preferred[digit] if rng.random() < 0.8 else str(rng.choice(list(STYLES[digit])))
                out.append(write_digit(digit, style, rng, writer.sloppiness, writer, number))
    return out


def write_digit(digit: int, style: str, rng: np.random.Generator, sloppiness: float = 1.0,
                writer: Writer | None = None, number: int = -1) -> HandwrittenDigit:
    """One sample of a digit in a style, as mouse strokes (in a writer's habits, where given)."""
    template = STYLES[digit][style]
    transform = _random_transform(digit, rng, sloppiness, writer)
    care = rng.uniform(0.5, 1.8) * sloppiness  # some write carefully, some in a hurry
    strokes = []
    for pieces in template:
        curve = np.concatenate([_smooth(_jitter(piece, rng, 0.035 * care)) for piece in pieces])
        if writer is not None:
            curve = _habits(curve, writer, rng)
        curve = _tremor(transform(curve), rng, 0.004 * (1 + (writer.sloppiness - 1 if writer else 0)))
        strokes.append(_mouse_samples(curve, rng))
    return HandwrittenDigit(digit, style, strokes, writer.pen if writer else 1.0, number)


def _habits(curve: np.ndarray, writer: Writer, rng: np.random.Generator) -> np.ndarray:
    """A stroke stopped short (an open loop), or run on past its end in the direction it was going."""
    n = len(curve)
    if writer.gaps and n > 8:
        cut = int(n * rng.uniform(0, writer.gaps))
        curve = curve[:max(4, n - cut)]
    if writer.overshoot and len(curve) > 2:
        direction = curve[-1] - curve[-2]
        length = np.linalg.norm(direction)
        if length > 0:
            extra = curve[-1] + direction / length * rng.uniform(0, writer.overshoot) * np.linspace(0.2, 1, 4)[:, None]
            curve = np.vstack([curve, extra])
    return curve


def _jitter(piece: Piece, rng: np.random.Generator, sigma: float) -> np.ndarray:
    points = np.asarray(piece, dtype=np.float64)
    return points + rng.normal(0.0, sigma, points.shape)


def _smooth(points: np.ndarray, per_segment: int = 16) -> np.ndarray:
    """A Catmull-Rom curve through the points (a straight line for two points)."""
    if len(points) == 2:
        return points[0] + np.linspace(0.0, 1.0, per_segment)[:, None] * (points[1] - points[0])
    p = np.vstack([points[0], points, points[-1]])
    t = np.linspace(0.0, 1.0, per_segment, endpoint=False)[:, None]
    out = []
    for i in range(1, len(p) - 2):
        p0, p1, p2, p3 = p[i - 1], p[i], p[i + 1], p[i + 2]
        out.append(0.5 * (2 * p1 + (p2 - p0) * t + (2 * p0 - 5 * p1 + 4 * p2 - p3) * t ** 2
                          + (3 * p1 - p0 - 3 * p2 + p3) * t ** 3))
    return np.vstack([*out, points[-1:]])


def _random_transform(digit: int, rng: np.random.Generator, sloppiness: float, writer: Writer | None = None):
    """Template box -> canvas: size, aspect, slant, rotation and place, drawn at random."""
    height = min(0.88, rng.uniform(0.35, 0.85) * (writer.size if writer else 1.0))
    width = height * WIDTHS[digit] * rng.uniform(0.7, 1.4)
    slant = 0.15 + (writer.slant if writer else 0.0) + sloppiness * rng.uniform(-0.35, 0.35)  # most lean right
    angle = np.deg2rad(sloppiness * rng.uniform(-12, 12))
    rotation = np.array([[np.cos(angle), -np.sin(angle)], [np.sin(angle), np.cos(angle)]])
    margin = 0.06 + max(height, width) / 2
    room = max(0.0, 0.5 - margin) * 0.8
    centre = rng.uniform(0.5 - room, 0.5 + room, 2)

    def transform(points: np.ndarray) -> np.ndarray:
        u = (points[:, 0] - 0.5) * width
        v = (points[:, 1] - 0.5) * height
        u = u - slant * v
        return np.stack([u, v], axis=1) @ rotation.T + centre

    return transform


def _tremor(curve: np.ndarray, rng: np.random.Generator, amplitude: float = 0.004) -> np.ndarray:
    """A slow, slight wobble across the line, as a hand moving a mouse makes."""
    s = np.linspace(0.0, 1.0, len(curve))[:, None]
    phase = rng.uniform(0, _TAU, 2)
    frequency = rng.uniform(1.0, 4.0, 2)
    return curve + amplitude * np.sin(_TAU * frequency * s + phase)


def _mouse_samples(curve: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Points along the curve as mouse events report them: spaced by a speed that varies, slower at the ends."""
    steps = np.linalg.norm(np.diff(curve, axis=0), axis=1)
    arc = np.concatenate([[0.0], np.cumsum(steps)])
    if arc[-1] == 0:
        return curve[:1]
    speed = rng.uniform(0.006, 0.03)  # canvas widths per event: 2 to 10 px on a 340 px canvas
    positions = [0.0]
    while positions[-1] < arc[-1]:
        f = positions[-1] / arc[-1]
        ease = 0.4 + 0.6 * np.sin(np.pi * f)  # accelerate, then slow down
        positions.append(positions[-1] + speed * ease * rng.uniform(0.7, 1.3))
    positions[-1] = arc[-1]
    return np.stack([np.interp(positions, arc, curve[:, k]) for k in range(2)], axis=1)


def few_points(digit: HandwrittenDigit, total: int = 8) -> HandwrittenDigit:
    """The same digit as a quick stroke on a touchpad reports it: `total` points in all, evenly along each stroke
    (its share by length, two at least: where it starts and ends), to be joined by straight lines."""
    lengths = [float(np.linalg.norm(np.diff(s, axis=0), axis=1).sum()) if len(s) > 1 else 0.0 for s in digit.strokes]
    whole = sum(lengths) or 1.0
    strokes = []
    for stroke, length in zip(digit.strokes, lengths):
        count = max(2, round(total * length / whole)) if len(stroke) > 1 else 1
        arc = np.concatenate([[0.0], np.cumsum(np.linalg.norm(np.diff(stroke, axis=0), axis=1))])
        where = np.linspace(0.0, arc[-1], count)
        strokes.append(np.stack([np.interp(where, arc, stroke[:, k]) for k in range(2)], axis=1))
    return HandwrittenDigit(digit.digit, digit.style, strokes, digit.pen, digit.writer)

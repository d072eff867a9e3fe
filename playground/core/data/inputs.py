"""What a dataset's inputs are, named once: the architectures say which they read, the datasets which they have,
and the kinds, views and checks ask these names rather than any dataset's or architecture's own."""

from __future__ import annotations

IMAGES, POINTS, SEQUENCES, TEXT, TABLE = "images", "points", "sequences", "text", "table"
# how a message names each: "mnist has images", "spiral has 2-D points"
WORDS = {IMAGES: "images", POINTS: "points", SEQUENCES: "sequences of numbers", TEXT: "text", TABLE: "table rows"}
NUMBERS = (IMAGES, POINTS, SEQUENCES, TABLE)  # inputs that are numbers: anything but text's character ids


def described(inputs: tuple[str, ...] | str) -> str:
    """'images, points or text' for a message."""
    names = [WORDS[i] for i in ((inputs,) if isinstance(inputs, str) else inputs)]
    return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} or {names[-1]}"

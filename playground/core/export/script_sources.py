"""The models whose classes a script carries as playground writes them (the Transformers, the character-level
recurrent networks): their source, taken from playground's own modules, so that the run's weights load as they
are. Only torch is needed to run it."""

from __future__ import annotations

import inspect
from textwrap import dedent

from playground.core.models import recurrent, transformer
from playground.core.models.spec import ModelSpec

_ATTENTION = (transformer._dropout, transformer.SelfAttention, transformer._weights, transformer.TransformerBlock,
              transformer._init_weights)


def _source(*objects: object) -> str:
    text = "\n\n".join(inspect.getsource(o).strip() for o in objects)
    return text.replace("IncompatibleError", "ValueError")


def vit_source(spec: ModelSpec, o: dict) -> str:
    return _source(*_ATTENTION, transformer.ViT) + dedent(f'''


        def build_model():
            """A vision Transformer: {o["patch"]}x{o["patch"]} patches, {o["layers"]} blocks of {o["heads"]} heads,
            width {o["width"]}."""
            return ViT(INPUT_SHAPE, NUM_OUTPUTS, patch={o["patch"]}, layers={o["layers"]}, heads={o["heads"]},
                       width={o["width"]}, dropout={o["dropout"]!r})
        ''')


def gpt_source(spec: ModelSpec, o: dict) -> str:
    return _source(*_ATTENTION, transformer.GPT) + dedent(f'''


        def build_model():
            """A decoder-only Transformer: {o["layers"]} blocks of {o["heads"]} heads, width {o["width"]}, a context
            of {o["context"]} characters."""
            return GPT(NUM_OUTPUTS, {o["context"]}, layers={o["layers"]}, heads={o["heads"]}, width={o["width"]},
                       dropout={o["dropout"]!r})
        ''')


def char_recurrent_source(spec: ModelSpec, o: dict) -> str:
    cell = {"rnn": "nn.RNN", "lstm": "nn.LSTM", "gru": "nn.GRU"}[spec.arch]
    source = _source(recurrent.CharRecurrent).replace("_CELLS[cell]", "cell")
    return source + dedent(f'''


        def build_model():
            return CharRecurrent({cell}, NUM_OUTPUTS, hidden={o["hidden"]}, layers={o["layers"]},
                                 dropout={o["dropout"]!r})
        ''')

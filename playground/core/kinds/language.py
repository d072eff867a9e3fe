"""Language models: read text one character after another and learn to predict the next; then write."""

from __future__ import annotations

import math
from typing import Any

from playground.core.errors import DatasetError
from playground.core.kinds.base import EpochScore, GenerateRequest, ModelKind

RECURRENT_WINDOW = 100  # characters per training sequence for networks without a context of their own


def window_of(config: Any) -> int:
    """Characters per training window: the dataset's window option, else the model's context (a gpt's), else
    RECURRENT_WINDOW."""
    from playground.core.models.catalogue import ARCH_CATALOGUE

    window = int(config.dataset_options.get("window", 0) or 0)
    if window:
        return window
    options = {**ARCH_CATALOGUE[config.arch].defaults(), **config.arch_options}
    return int(options.get("context", RECURRENT_WINDOW))


class Language(ModelKind):
    name = "language"
    title = "a language model"
    does = "writes text rather than sorting inputs into classes"
    views = frozenset({"text", "attention", "health"})
    samples = "text"
    notes = {"": "a language model reads and writes text; see the Text panel and the Attention view",
             "evaluation": "Watch what it writes in the Text panel, and its validation loss (nats and bits per "
                           "character) in the plots."}
    output = "scores of each next character (logits), N x T x vocabulary"
    score = EpochScore("Bits per character per epoch", "bits per character", "bpc", higher_is_better=False,
                       splits=("val",))  # the loss plot has the training split's, in nats

    def build_task(self, context: Any, model: Any) -> Any:
        from playground.core.training.tasks.language import LanguageTask

        return LanguageTask(context, model)

    def config_problems(self, config: Any) -> list[tuple[str, str]]:
        from playground.core.models.catalogue import ARCH_CATALOGUE

        context = {**ARCH_CATALOGUE[config.arch].defaults(), **config.arch_options}.get("context")
        window = int(config.dataset_options.get("window", 0) or 0)
        if context is not None and window > context:
            return [("dataset_options", f"a window of {window} characters is longer than the {config.arch}'s "
                                        f"context of {context}; raise its context or shorten the window")]
        return []

    def input_shape(self, config: Any, data: Any) -> tuple[int, ...]:
        window = window_of(config)
        held_out = len(data.val_x) if data.val_x is not None else 0
        if min(len(data.train_x), held_out) < window + 1:  # each split holds a whole window and its last target
            total = len(data.train_x) + held_out
            raise DatasetError(
                f"{config.data_file or config.dataset} has {total:,} characters: too few for windows of {window} (the "
                f"first 90% trains and the last 10% checks, each on windows of {window + 1} characters); use a text "
                f"of at least {10 * (window + 1):,} characters, or a smaller window (--dataset-option window=N)")
        return (window,)

    def planned_input(self, config: Any) -> tuple[int, ...]:
        return (window_of(config),)

    def batches(self, config: Any, spec: Any, x: Any, y: Any) -> Any:
        from playground.core.training.batches import WindowBatches

        return WindowBatches(x, spec.input_shape[0])

    def final_figure(self, values: dict[str, Any]) -> str:
        loss = values.get("val_loss", float("nan"))
        return f"val_loss={loss:.4f} val_bpc={loss / math.log(2):.4f}"

    def front_view(self, spec: Any, opened: bool = False) -> str:
        return "text"

    def drawing_problem(self, spec: Any, name: str) -> str | None:
        return f"{name} is a language model: it reads and writes text; type a prompt in the Text panel"

    def generate(self, ckpt: Any, request: GenerateRequest) -> str:
        from playground.core.inference.text import TextModel, unknown_note

        model = TextModel.from_checkpoint(ckpt)
        written = model.continue_text(request.prompt, request.length, request.temperature, request.top_k,
                                      request.seed)
        if written.unknown:
            import sys

            print(f"playground: {unknown_note(written.unknown, len(model.vocab))}", file=sys.stderr)
        return written.prompt + written.text


KIND = Language()

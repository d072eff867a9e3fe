"""VAEs: encode each digit into a few numbers and draw it back; new digits are drawn from random codes."""

from __future__ import annotations

from typing import Any

from playground.core.inference.drawable import shape_problem
from playground.core.kinds.base import EpochScore, GenerateRequest, ModelKind
from playground.core.kinds.images import write_generated


class Vae(ModelKind):
    name = "vae"
    title = "a VAE"
    does = "draws digits back rather than sorting them into classes"
    views = frozenset({"samples", "draw", "health"})
    samples = "images"
    drawing = "reconstruct"
    score = EpochScore("KL divergence per epoch", "nats per digit", "kl", higher_is_better=False)
    exports = ("safetensors", "toml")
    notes = {"": "a VAE draws digits back rather than sorting them into classes, so there is no class to explain; "
                 "see the Samples panel",
             "evaluation": "It has no classes to confuse: watch what it draws in the Samples panel. Train a classifier "
                           "(seed-cnn on mnist, say) to see its confusion matrix and its mistakes here."}

    def build_task(self, context: Any, model: Any) -> Any:
        from playground.core.training.tasks.vae import VaeTask

        return VaeTask(context, model)

    def front_view(self, spec: Any, opened: bool = False) -> str:
        return "samples"

    def drawing_problem(self, spec: Any, name: str) -> str | None:
        return shape_problem(spec.input_shape, name)

    def generate(self, ckpt: Any, request: GenerateRequest) -> str:
        return write_generated(ckpt, request)

    def export_problem(self, fmt: str) -> str | None:
        if fmt in self.exports:
            return None
        return (f"a VAE run cannot be exported as {fmt}: an exported model maps one input to the model's answer, "
                "and a VAE both encodes and draws; export its weights (safetensors) or settings (toml)")


KIND = Vae()

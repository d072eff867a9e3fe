"""GANs: a generator learns to draw digits that a discriminator, learning beside it, cannot tell from real ones."""

from __future__ import annotations

from typing import Any

from playground.core.kinds.base import EpochScore, GenerateRequest, ModelKind
from playground.core.kinds.images import write_generated


class Gan(ModelKind):
    name = "gan"
    title = "a GAN"
    does = "draws digits rather than reading them"
    views = frozenset({"samples", "health"})
    samples = "images"
    # how sure the discriminator is, per epoch: far apart, it wins; both near 0.5, the generator fools it
    score = EpochScore("Discriminator per epoch", "P(real) it gives (%)", "d_real", percent=True,
                       higher_is_better=None, splits=("test",), also=(("test_d_fake", "drawn digits"),),
                       held_label="real digits")
    exports = ("safetensors", "toml")
    notes = {"": "a GAN draws digits rather than reading them, so there is no class to explain; see the Samples "
                 "panel",
             "evaluation": "It has no classes to confuse: watch what it draws in the Samples panel. Train a classifier "
                           "(seed-cnn on mnist, say) to see its confusion matrix and its mistakes here."}

    def build_task(self, context: Any, model: Any) -> Any:
        from playground.core.training.tasks.gan import GanTask

        return GanTask(context, model)

    def final_figure(self, values: dict[str, Any]) -> str:
        nan = float("nan")
        return f"test_d_real={values.get('test_d_real', nan):.4f} test_d_fake={values.get('test_d_fake', nan):.4f}"

    def front_view(self, spec: Any, opened: bool = False) -> str:
        return "samples"

    def drawing_problem(self, spec: Any, name: str) -> str | None:
        return f"{name} is a GAN: it draws digits and does not read them; watch what it draws in the Samples panel"

    def generate(self, ckpt: Any, request: GenerateRequest) -> str:
        return write_generated(ckpt, request)

    def export_problem(self, fmt: str) -> str | None:
        if fmt in self.exports:
            return None
        return (f"a GAN run cannot be exported as {fmt}: an exported model maps one input to the model's answer, "
                "and a GAN has no single input and answer; export its weights (safetensors) or settings (toml)")


KIND = Gan()

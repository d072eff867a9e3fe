"""Which analysis fits which model, decided from its ModelSpec alone (no torch: the GUI asks before it loads).
What a kind of model has to show is the kind's to say (playground.core.kinds); the shapes are checked here."""

from __future__ import annotations

from playground.core.models.spec import ModelSpec

REGIONS, CURVE = "regions", "curve"  # what the boundary view draws: class regions of 2-D points, a 1-D fit


def boundary_kind(spec: ModelSpec) -> str | None:
    """REGIONS for a classifier of 2-D points, CURVE for a regression of 1-D x, else None."""
    return spec.kind.boundary(spec) or None


def boundary_problem(spec: ModelSpec) -> str | None:
    """Why the decision boundary view cannot show this model; None when it can."""
    if boundary_kind(spec) is not None:
        return None
    if "boundary" not in spec.kind.views:
        return spec.kind.note("boundary")
    if len(spec.input_shape) == 3:
        return "the decision boundary is for 2-D points; see the Inside view"
    return (f"the decision boundary is for 2-D points (and the fitted curve for 1-D regression), and "
            f"{spec.arch} reads inputs of shape {tuple(spec.input_shape)}")


def inside_problem(spec: ModelSpec) -> str | None:
    """Why the inside view (filters, activations, saliency) cannot show this model; None when it can."""
    if "inside" not in spec.kind.views:
        return spec.kind.note("inside")
    if len(spec.input_shape) != 3:
        return ("the inside view is for image models; for 2-D points and 1-D curves see the Boundary view"
                if len(spec.input_shape) == 1 else
                f"the inside view is for image models, and {spec.arch} reads sequences of shape "
                f"{tuple(spec.input_shape)}")
    return None

"""What the Evaluation view says, in words (Qt-free, so that it is tested without a window): when it does
not apply and why, its titles, and what a confusion-matrix cell means."""

from __future__ import annotations

from playground.gui import formatting

NO_RUN = ("<b>No evaluation yet.</b><br><br>Train a classifier (the default, seed-cnn on mnist, is one): after "
          "every epoch this view shows which classes it confuses, with a confusion matrix, the accuracy of each "
          "class and the test images it gets wrong, most confident first.<br><br>Or open a model (File › Open "
          "model…) and press <b>Evaluate</b>.")
_DIGIT_WORDS = ("zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine")


def not_applicable(task: str, arch: str, dataset: str) -> str | None:
    """Why a model of this task (the name of its kind) has no evaluation here (rich text), or None when it has."""
    from playground.core.kinds import kind_named

    kind = kind_named(task)
    if "evaluation" in kind.views:
        return None
    return (f"<b>Nothing to evaluate here: {arch} on {dataset} is {kind.title}: it {kind.does}.</b><br><br>"
            f"{kind.note('evaluation')}")


def waiting(arch: str, dataset: str, epoch: int = 1) -> str:
    return (f"<b>Training {arch} on {dataset}…</b><br><br>The confusion matrix and the mistakes appear at the "
            f"end of epoch {epoch}.")


def plural(name: str, count: int = 2) -> str:
    """'7' -> 'sevens', 'Trouser' -> 'samples of Trouser' (one: 'seven', 'sample of Trouser'): how a
    tooltip names a true class's samples."""
    if name.isdigit() and len(name) == 1:
        word = _DIGIT_WORDS[int(name)]
        return word if count == 1 else word + ("es" if word.endswith("x") else "s")
    return f"sample{'' if count == 1 else 's'} of {name}"


def cell_tooltip(count: int, row_total: int, true_name: str, predicted_name: str, diagonal: bool) -> str:
    """'412 sevens were read as 2 (4.1% of them)'; on the diagonal, how many were read right."""
    share = formatting.percent(count / row_total) if row_total else "–"
    if diagonal:
        whole = f"{formatting.count(row_total)} {plural(true_name, row_total)}"
        return f"{formatting.count(count)} of {whole} read right ({share})"
    verb = "was" if count == 1 else "were"
    return (f"{formatting.count(count)} {plural(true_name, count)} {verb} read as {predicted_name} ({share} of them)"
            + ("; click to see them" if count else ""))


def title(source: str, accuracy: float, total: int, epoch: int | None = None) -> str:
    when = f" after epoch {epoch}" if epoch else ""
    return f"<b>{source}</b>{when}: {formatting.percent(accuracy)} of {formatting.count(total)} test samples right"


def gallery_title(cell: tuple[int, int] | None, class_names: tuple[str, ...], shown: int, total: int) -> str:
    """'true 7, read as 2: 12 images' for a cell; 'all 190 mistakes, most confident first' otherwise."""
    if cell is None:
        if total == 0:
            return "No mistakes on the test set"
        head = f"All {formatting.count(total)} mistakes, most confident first"
    else:
        t, p = (class_names[i] for i in cell)
        head = f"true {t}, read as {p}: {formatting.count(total)} image{'s' if total != 1 else ''}"
    return head + (f" (the first {shown} shown)" if shown < total else "")


def caption(true_name: str, predicted_name: str, probability: float) -> str:
    """Under an image, two lines: what it is and what the model said; how sure the model was."""
    return f"{true_name} → {predicted_name}\n{probability:.1%} sure"


def not_images(dataset: str) -> str:
    return (f"The test samples of {dataset} are points, not images: the matrix above says which classes are "
            "confused (the decision boundary shows where).")

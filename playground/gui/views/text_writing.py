"""The Text panel's work, off the GUI thread and Qt-free: a language model (kept from job to job) writes on from
the prompt, and says how likely each character is to come next after the cursor."""

from __future__ import annotations

import html
from dataclasses import dataclass
from typing import Any

import numpy as np

BARS = 10  # the likeliest next characters shown
SEED = 0  # the same seed for every redraw: the text changes because the model does
_SHOWN = {"\n": "⏎ line break", " ": "␣ space", "\t": "⇥ tab"}


@dataclass(frozen=True)
class TextJob:
    source: str  # "snapshot" (a WeightsSnapshot), "checkpoint" (a Checkpoint) or "path" (a model.pt)
    model: Any
    writer: Any  # the TextModel of the last job, or None
    prompt: str
    before_cursor: str
    temperature: float
    top_k: int
    length: int


@dataclass(frozen=True)
class WritingResult:
    writer: Any
    html: str  # the prompt (grey) and what the model wrote after it
    next_chars: tuple[str, ...]  # the likeliest characters after the cursor, likeliest first
    next_probs: tuple[float, ...]
    note: str = ""  # what the user should know (characters the model never saw)


def shown_char(c: str) -> str:
    """How a bar names a character: visible, with the invisible ones spelled out."""
    return _SHOWN.get(c, c)


def write(job: TextJob) -> WritingResult:
    from playground.core.inference.text import TextModel, unknown_note

    writer = _writer_for(job, TextModel)
    written = writer.continue_text(job.prompt, job.length, job.temperature, job.top_k, SEED)
    probs = writer.next_probabilities(job.before_cursor)
    top = np.argsort(probs)[::-1][:BARS]
    note = unknown_note(written.unknown, len(writer.vocab)) if written.unknown else ""
    body = f"<span style='color:#888'>{_html(written.prompt)}</span>{_html(written.text)}"
    return WritingResult(writer, f"<pre style='white-space:pre-wrap'>{body}</pre>",
                         tuple(writer.vocab[i] for i in top), tuple(float(probs[i]) for i in top), note)


def _writer_for(job: TextJob, text_model: Any) -> Any:
    """The job's model: the last one with new weights where they fit it, else a new one."""
    if job.source == "snapshot":
        if job.writer is not None and job.writer.load_snapshot(job.model):
            return job.writer
        return text_model.from_snapshot(job.model)
    if job.writer is not None and job.writer.source_key == (job.source, id(job.model)):
        return job.writer
    writer = text_model.from_checkpoint(job.model)
    writer.source_key = (job.source, id(job.model))
    return writer


def _html(text: str) -> str:
    return html.escape(text)

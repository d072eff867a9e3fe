"""A language model's run as a standalone script: the text file read into the run's vocabulary, windows of
consecutive characters in random order, next-character cross-entropy, and the validation loss in nats and bits
per character. `python SCRIPT --data-file FILE --epochs N`; its last line is `val_loss=<float> val_bpc=<float>`."""

from __future__ import annotations

from playground.core.config import TrainConfig
from playground.core.models.spec import ModelSpec


def text_header(config: TrainConfig, spec: ModelSpec, run_id: str, data_file: str) -> str:
    return f'''#!/usr/bin/env python3
"""Train {spec.arch} to write like {config.data_file or config.dataset}, with the settings of playground run \
{run_id or "(unrecorded)"}.

A standalone script exported by `playground export RUN --format script`; it needs only torch, and trains the
same architecture on a text file with the same hyperparameters, one character after another:

    python THIS_SCRIPT.py --data-file TEXT.txt --epochs {config.epochs}

It prints one line per epoch and, last, val_loss=<float> val_bpc=<float> (nats and bits per character of the
last 10% of the file, which it does not train on).
"""

import argparse
import math

import torch
import torch.nn.functional as F
from torch import nn

# The run's settings
EPOCHS = {config.epochs}
BATCH_SIZE = {config.batch_size}
EVAL_BATCH_SIZE = {max(config.eval_batch_size, config.batch_size)}
LR = {config.lr!r}
SEED = {config.seed}
L1 = {config.l1!r}
WINDOW = {spec.input_shape[0]}  # characters per training window
VOCAB = {list(spec.class_names)!r}  # the characters the model reads and writes, in the order of its outputs
INPUT_SHAPE = (WINDOW,)
NUM_OUTPUTS = len(VOCAB)
DATA_FILE = {data_file!r}  # the run's text (--data-file reads another)
'''


DATA = '''
def load_data(data_file):
    """The file's characters as ids of VOCAB: the first 90% to train on, the last 10% to check (characters the
    vocabulary lacks are left out)."""
    with open(data_file, encoding="utf-8-sig") as f:
        text = f.read()
    index = {c: i for i, c in enumerate(VOCAB)}
    cut = int(len(text) * 0.9)
    return tuple(torch.tensor([index[c] for c in part if c in index], dtype=torch.long)
                 for part in (text[:cut], text[cut:]))
'''

LOOP = '''
def windows(tokens, count, offset, idx):
    """Windows of WINDOW + 1 consecutive characters: inputs, and the same characters one on (the targets)."""
    rows = tokens[(idx * WINDOW + offset)[:, None] + torch.arange(WINDOW + 1, device=tokens.device)]
    return rows[:, :-1], rows[:, 1:]


@torch.no_grad()
def evaluate(model, tokens):
    """Nats per character over consecutive windows of the held-out text."""
    model.eval()
    window = min(WINDOW, len(tokens) - 1)
    n = (len(tokens) - 1) // window
    x, y = tokens[:n * window].view(n, window), tokens[1:n * window + 1].view(n, window)
    total = 0.0
    for i in range(0, n, EVAL_BATCH_SIZE):
        logits = model(x[i:i + EVAL_BATCH_SIZE])
        total += F.cross_entropy(logits.reshape(-1, NUM_OUTPUTS), y[i:i + EVAL_BATCH_SIZE].reshape(-1),
                                 reduction="sum").item()
    model.train()
    return total / y.numel()


def train(data_file, epochs, device, max_steps=None):
    train_ids, val_ids = (t.to(device) for t in load_data(data_file))
    torch.manual_seed(SEED)
    model = build_model().to(device)
    count = (len(train_ids) - 1) // WINDOW
    steps_per_epoch = max(1, count // BATCH_SIZE)  # full batches only
    optimizer = make_optimizer(model)
    schedule = make_schedule(optimizer, steps_per_epoch, steps_per_epoch * epochs)
    generator = torch.Generator(device=device)
    for epoch in range(1, epochs + 1):
        generator.manual_seed(SEED + epoch - 1)  # each epoch's order follows from the seed and the epoch
        perm = torch.randperm(count, device=device, generator=generator)
        room = len(train_ids) - 1 - count * WINDOW
        offset = int(torch.randint(room + 1, (1,), device=device, generator=generator))
        steps = steps_per_epoch if max_steps is None else min(steps_per_epoch, max_steps)
        total = torch.zeros((), device=device)
        for i in range(steps):
            x, y = windows(train_ids, count, offset, perm[i * BATCH_SIZE:(i + 1) * BATCH_SIZE])
            loss = F.cross_entropy(model(x).reshape(-1, NUM_OUTPUTS), y.reshape(-1))__L1__
            optimizer.zero_grad(set_to_none=True)
            loss.backward()
            optimizer.step()
            if schedule is not None:
                schedule.step()
            total += loss.detach()
        val_loss = evaluate(model, val_ids)
        print(f"epoch {epoch}/{epochs} train_loss={total.item() / steps:.4f} val_loss={val_loss:.4f} "
              f"val_bpc={val_loss / math.log(2):.4f}", flush=True)
    return val_loss


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0],
                                     formatter_class=argparse.ArgumentDefaultsHelpFormatter)
    parser.add_argument("--data-file", default=DATA_FILE, help="the text to learn from (UTF-8)")
    parser.add_argument("--epochs", type=int, default=EPOCHS, help="passes over the text")
    parser.add_argument("--device", default="cuda" if torch.cuda.is_available() else "cpu")
    parser.add_argument("--max-steps", type=int, default=None, help="at most this many steps per epoch (a quick try)")
    args = parser.parse_args()
    val_loss = train(args.data_file, args.epochs, torch.device(args.device), args.max_steps)
    print(f"val_loss={val_loss:.4f} val_bpc={val_loss / math.log(2):.4f}")


if __name__ == "__main__":
    main()
'''


def text_training_source(config: TrainConfig) -> str:
    pad = "\n" + " " * 12
    l1 = pad + "loss = loss + L1 * sum(p.abs().sum() for p in model.parameters())" if config.l1 > 0 else ""
    return LOOP.replace("__L1__", l1).lstrip("\n")


def run_text_file(config: TrainConfig) -> str:
    """The text the run read: the user's file, or the bundled corpus where it lies on this machine."""
    if config.data_file:
        return config.data_file
    from playground.core.data.registry import SHAKESPEARE
    from playground.core.resources import resource_path

    return str(resource_path(*SHAKESPEARE))

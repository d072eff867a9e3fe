#!/usr/bin/env python3
"""nanoGPT's character-level Tiny Shakespeare training on the CPU, reimplemented as one standalone benchmark.

The reference that playground's text training is measured against. It follows Andrej Karpathy's nanoGPT
(https://github.com/karpathy/nanoGPT, MIT licence, copyright (c) 2022 Andrej Karpathy): the model of `model.py`,
the loop of `train.py`, the data of `data/shakespeare_char/prepare.py` and the settings of
`config/train_shakespeare_char.py`, with the overrides of nanoGPT's README recipe for a CPU:

    python train.py config/train_shakespeare_char.py --device=cpu --compile=False --eval_iters=20 --log_interval=1
        --block_size=64 --batch_size=12 --n_layer=4 --n_head=4 --n_embd=128 --max_iters=2000 --lr_decay_iters=2000
        --dropout=0.0

Same vocabulary and split, same batch drawing, model, init, optimizer groups, learning-rate schedule, clipping and
evaluation, in the same order of random draws. Left out: DDP, wandb, checkpoints, MFU, torch.compile, the .bin files
(the ids stay in memory). nanoGPT's loop trains max_iters + 1 steps (0..max_iters) and evaluates before every step
that is a multiple of eval_interval: step 0 and, in the recipe, step 2000 = max_iters. This one does the same, and
evaluates at max_iters also when that is no multiple (which changes no training step).

Usage: python bench/nanogpt_reference.py [--data PATH] [--max-iters 2000] [--eval-interval 250] [--eval-iters 20]
       [--threads 0] [--seed 1337] [--json]
Progress goes to stderr; the summary is one line of key=value pairs on stdout (one JSON object with --json).
"""

import time

T_START = time.perf_counter()  # the script's wall clock starts before torch is imported

import argparse  # noqa: E402
import json  # noqa: E402
import math  # noqa: E402
import sys  # noqa: E402
from dataclasses import dataclass, field  # noqa: E402
from pathlib import Path  # noqa: E402

import numpy as np  # noqa: E402
import torch  # noqa: E402
from torch import nn  # noqa: E402
from torch.nn import functional as F  # noqa: E402

IMPORT_S = time.perf_counter() - T_START
HERE = Path(__file__).resolve()
THRESHOLDS = (2.0, 1.9, 1.8, 1.7)


@dataclass
class Recipe:
    """train.py's defaults, overridden by config/train_shakespeare_char.py, then by the README's CPU flags."""

    max_iters: int = 2000
    eval_interval: int = 250
    eval_iters: int = 20
    log_interval: int = 1
    block_size: int = 64
    batch_size: int = 12
    n_layer: int = 4
    n_head: int = 4
    n_embd: int = 128
    dropout: float = 0.0
    bias: bool = False  # train.py's default; neither the config nor the README's flags change it
    learning_rate: float = 1e-3
    min_lr: float = 1e-4
    warmup_iters: int = 100
    weight_decay: float = 1e-1
    betas: tuple[float, float] = (0.9, 0.99)
    grad_clip: float = 1.0

    @property
    def lr_decay_iters(self) -> int:
        return self.max_iters  # the README passes --lr_decay_iters equal to --max_iters


# --- data: data/shakespeare_char/prepare.py and train.py's get_batch ---

def prepare(path: Path) -> tuple[dict[str, np.ndarray], int]:
    """Every distinct character of the whole file, sorted, is the vocabulary; first 90% train, last 10% val."""
    with open(path, encoding="utf-8") as f:  # text mode, as prepare.py reads it
        text = f.read()
    chars = sorted(set(text))
    stoi = {ch: i for i, ch in enumerate(chars)}
    n = len(text)
    splits = {"train": text[:int(n * 0.9)], "val": text[int(n * 0.9):]}
    ids = {name: np.array([stoi[c] for c in part], dtype=np.uint16) for name, part in splits.items()}
    print(f"length of dataset in characters: {n:,}, vocab size: {len(chars)}, "
          f"train has {len(ids['train']):,} tokens, val has {len(ids['val']):,} tokens", file=sys.stderr)
    return ids, len(chars)


def get_batch(data: np.ndarray, r: Recipe) -> tuple[torch.Tensor, torch.Tensor]:
    ix = torch.randint(len(data) - r.block_size, (r.batch_size,))
    x = torch.stack([torch.from_numpy(data[i:i + r.block_size].astype(np.int64)) for i in ix])
    y = torch.stack([torch.from_numpy(data[i + 1:i + 1 + r.block_size].astype(np.int64)) for i in ix])
    return x, y  # nanoGPT's .to("cpu") is a no-op


# --- model: model.py (the flash path: torch has scaled_dot_product_attention) ---

class LayerNorm(nn.Module):
    def __init__(self, ndim: int, bias: bool) -> None:
        super().__init__()
        self.weight = nn.Parameter(torch.ones(ndim))
        self.bias = nn.Parameter(torch.zeros(ndim)) if bias else None

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return F.layer_norm(x, self.weight.shape, self.weight, self.bias, 1e-5)


class CausalSelfAttention(nn.Module):
    def __init__(self, r: Recipe) -> None:
        super().__init__()
        assert r.n_embd % r.n_head == 0
        self.c_attn = nn.Linear(r.n_embd, 3 * r.n_embd, bias=r.bias)
        self.c_proj = nn.Linear(r.n_embd, r.n_embd, bias=r.bias)
        self.resid_dropout = nn.Dropout(r.dropout)
        self.n_head, self.n_embd, self.dropout = r.n_head, r.n_embd, r.dropout

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        B, T, C = x.size()
        q, k, v = self.c_attn(x).split(self.n_embd, dim=2)
        k = k.view(B, T, self.n_head, C // self.n_head).transpose(1, 2)
        q = q.view(B, T, self.n_head, C // self.n_head).transpose(1, 2)
        v = v.view(B, T, self.n_head, C // self.n_head).transpose(1, 2)
        y = F.scaled_dot_product_attention(q, k, v, attn_mask=None, dropout_p=self.dropout if self.training else 0,
                                           is_causal=True)
        y = y.transpose(1, 2).contiguous().view(B, T, C)
        return self.resid_dropout(self.c_proj(y))


class MLP(nn.Module):
    def __init__(self, r: Recipe) -> None:
        super().__init__()
        self.c_fc = nn.Linear(r.n_embd, 4 * r.n_embd, bias=r.bias)
        self.gelu = nn.GELU()
        self.c_proj = nn.Linear(4 * r.n_embd, r.n_embd, bias=r.bias)
        self.dropout = nn.Dropout(r.dropout)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.dropout(self.c_proj(self.gelu(self.c_fc(x))))


class Block(nn.Module):
    def __init__(self, r: Recipe) -> None:
        super().__init__()
        self.ln_1 = LayerNorm(r.n_embd, bias=r.bias)
        self.attn = CausalSelfAttention(r)
        self.ln_2 = LayerNorm(r.n_embd, bias=r.bias)
        self.mlp = MLP(r)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        x = x + self.attn(self.ln_1(x))
        return x + self.mlp(self.ln_2(x))


class GPT(nn.Module):
    def __init__(self, r: Recipe, vocab_size: int) -> None:
        super().__init__()
        self.block_size = r.block_size
        # modules are built in model.py's order: their default inits draw from the RNG that later draws batches
        self.transformer = nn.ModuleDict(dict(
            wte=nn.Embedding(vocab_size, r.n_embd),
            wpe=nn.Embedding(r.block_size, r.n_embd),
            drop=nn.Dropout(r.dropout),
            h=nn.ModuleList([Block(r) for _ in range(r.n_layer)]),
            ln_f=LayerNorm(r.n_embd, bias=r.bias),
        ))
        self.lm_head = nn.Linear(r.n_embd, vocab_size, bias=False)
        self.transformer.wte.weight = self.lm_head.weight  # weight tying
        self.apply(self._init_weights)
        for name, p in self.named_parameters():
            if name.endswith("c_proj.weight"):  # GPT-2's scaled init of the residual projections
                torch.nn.init.normal_(p, mean=0.0, std=0.02 / math.sqrt(2 * r.n_layer))

    @staticmethod
    def _init_weights(module: nn.Module) -> None:
        if isinstance(module, nn.Linear):
            torch.nn.init.normal_(module.weight, mean=0.0, std=0.02)
            if module.bias is not None:
                torch.nn.init.zeros_(module.bias)
        elif isinstance(module, nn.Embedding):
            torch.nn.init.normal_(module.weight, mean=0.0, std=0.02)

    def forward(self, idx: torch.Tensor, targets: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        t = idx.size(1)
        assert t <= self.block_size
        pos = torch.arange(0, t, dtype=torch.long, device=idx.device)
        x = self.transformer.drop(self.transformer.wte(idx) + self.transformer.wpe(pos))
        for block in self.transformer.h:
            x = block(x)
        logits = self.lm_head(self.transformer.ln_f(x))
        loss = F.cross_entropy(logits.view(-1, logits.size(-1)), targets.view(-1), ignore_index=-1)
        return logits, loss


def configure_optimizers(model: GPT, r: Recipe) -> torch.optim.AdamW:
    """model.py's groups: weight decay on every parameter of 2 or more dimensions, none on the rest; not fused
    (nanoGPT fuses AdamW on CUDA only)."""
    params = [p for _, p in model.named_parameters() if p.requires_grad]
    decay = [p for p in params if p.dim() >= 2]
    no_decay = [p for p in params if p.dim() < 2]
    groups = [{"params": decay, "weight_decay": r.weight_decay}, {"params": no_decay, "weight_decay": 0.0}]
    print(f"num decayed parameter tensors: {len(decay)}, with {sum(p.numel() for p in decay):,} parameters",
          file=sys.stderr)
    print(f"num non-decayed parameter tensors: {len(no_decay)}, with {sum(p.numel() for p in no_decay):,} "
          "parameters", file=sys.stderr)
    return torch.optim.AdamW(groups, lr=r.learning_rate, betas=r.betas)


# --- training: train.py ---

def get_lr(it: int, r: Recipe) -> float:
    """Linear warmup, then cosine decay to min_lr at lr_decay_iters."""
    if it < r.warmup_iters:
        return r.learning_rate * (it + 1) / (r.warmup_iters + 1)
    if it > r.lr_decay_iters:
        return r.min_lr
    decay_ratio = (it - r.warmup_iters) / (r.lr_decay_iters - r.warmup_iters)
    assert 0 <= decay_ratio <= 1
    coeff = 0.5 * (1.0 + math.cos(math.pi * decay_ratio))
    return r.min_lr + coeff * (r.learning_rate - r.min_lr)


@torch.no_grad()
def estimate_loss(model: GPT, data: dict[str, np.ndarray], r: Recipe) -> dict[str, float]:
    out = {}
    model.eval()
    for split in ("train", "val"):
        losses = torch.zeros(r.eval_iters)
        for k in range(r.eval_iters):
            _, loss = model(*get_batch(data[split], r))  # no autocast: nanoGPT's ctx is a nullcontext on the CPU
            losses[k] = loss.item()
        out[split] = float(losses.mean())
    model.train()
    return out


@dataclass
class Progress:
    iters: int = 0
    train_s: float = 0.0
    eval_s: float = 0.0
    last_eval: dict[str, float] = field(default_factory=dict)
    reached: dict[float, tuple[float, int]] = field(default_factory=dict)  # threshold -> (seconds, step)


def evaluate(model: GPT, data: dict[str, np.ndarray], r: Recipe, iter_num: int, progress: Progress) -> None:
    started = time.perf_counter()
    losses = estimate_loss(model, data, r)
    now = time.perf_counter()
    progress.eval_s += now - started
    progress.last_eval = {"iter": iter_num, **losses}
    for threshold in THRESHOLDS:
        if losses["val"] <= threshold and threshold not in progress.reached:
            progress.reached[threshold] = (now - T_START, iter_num)
    print(f"step {iter_num}: train loss {losses['train']:.4f}, val loss {losses['val']:.4f}", file=sys.stderr)


def train_step(model: GPT, optimizer: torch.optim.AdamW, batch: tuple[torch.Tensor, torch.Tensor],
               train_data: np.ndarray, r: Recipe) -> tuple[torch.Tensor, tuple[torch.Tensor, torch.Tensor]]:
    """One step with gradient_accumulation_steps = 1; nanoGPT's GradScaler is disabled on the CPU, a no-op."""
    _, loss = model(*batch)
    batch = get_batch(train_data, r)  # the next batch is drawn between forward and backward, as in train.py
    loss.backward()
    torch.nn.utils.clip_grad_norm_(model.parameters(), r.grad_clip)
    optimizer.step()
    optimizer.zero_grad(set_to_none=True)
    return loss, batch


def train(model: GPT, optimizer: torch.optim.AdamW, data: dict[str, np.ndarray], r: Recipe) -> Progress:
    progress = Progress()
    batch = get_batch(data["train"], r)  # the very first batch, before the loop
    t0 = time.perf_counter()
    iter_num = 0
    while True:
        lr = get_lr(iter_num, r)
        for group in optimizer.param_groups:
            group["lr"] = lr
        # train.py evaluates on multiples of eval_interval only; at max_iters too, so that a run whose length is
        # no multiple still ends on fresh losses (the batch this draw shifts is drawn after the last forward, unused)
        if iter_num % r.eval_interval == 0 or iter_num == r.max_iters:
            evaluate(model, data, r, iter_num, progress)
        started = time.perf_counter()
        loss, batch = train_step(model, optimizer, batch, data["train"], r)
        t1 = time.perf_counter()
        dt, t0 = t1 - t0, t1  # like train.py's dt, which includes any evaluation before the step
        if iter_num % r.log_interval == 0:
            print(f"iter {iter_num}: loss {loss.item():.4f}, time {dt * 1000:.2f}ms", file=sys.stderr)
        progress.train_s += time.perf_counter() - started
        progress.iters += 1
        iter_num += 1
        if iter_num > r.max_iters:  # train.py's termination: steps 0..max_iters, max_iters + 1 in all
            break
    return progress


# --- command line and summary ---

def default_data() -> Path:
    shared = HERE.parents[2] / "shared/data/text/tinyshakespeare.txt"
    bundled = HERE.parents[1] / "resources/text/tinyshakespeare.txt"
    return bundled if not shared.exists() and bundled.exists() else shared


def parse_args() -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--data", type=Path, default=default_data(), help="Tiny Shakespeare text (default: %(default)s)")
    p.add_argument("--max-iters", type=int, default=2000, help="last step; max_iters + 1 steps (default: %(default)s)")
    p.add_argument("--eval-interval", type=int, default=250, help="steps between evaluations (default: %(default)s)")
    p.add_argument("--eval-iters", type=int, default=20, help="batches per split per evaluation (default: %(default)s)")
    p.add_argument("--threads", type=int, default=0, help="torch threads, 0 = torch's default (default: %(default)s)")
    p.add_argument("--seed", type=int, default=1337, help="torch.manual_seed (default: %(default)s)")
    p.add_argument("--json", action="store_true", help="print the summary as one JSON line")
    return p.parse_args()


def summary(progress: Progress, r: Recipe, args: argparse.Namespace, n_params: int,
            setup_s: float) -> dict[str, object]:
    out: dict[str, object] = {
        "iters": progress.iters, "max_iters": r.max_iters, "wall_s": round(time.perf_counter() - T_START, 3),
        "import_s": round(IMPORT_S, 3), "setup_s": round(setup_s, 3), "train_s": round(progress.train_s, 3),
        "eval_s": round(progress.eval_s, 3),
        "iters_per_s": round(progress.iters / progress.train_s, 2),
        "chars_per_s": round(progress.iters * r.batch_size * r.block_size / progress.train_s, 1),
        "train_loss": round(progress.last_eval["train"], 4), "val_loss": round(progress.last_eval["val"], 4),
        "last_eval_iter": progress.last_eval["iter"], "threads": torch.get_num_threads(), "seed": args.seed,
        "params": n_params, "torch": torch.__version__,
    }
    for threshold in THRESHOLDS:
        seconds, step = progress.reached.get(threshold, (None, None))
        out[f"val_{threshold}_s"] = None if seconds is None else round(seconds, 3)
        out[f"val_{threshold}_iter"] = step
    return out


def main() -> None:
    args = parse_args()
    if args.threads > 0:
        torch.set_num_threads(args.threads)
    r = Recipe(max_iters=args.max_iters, eval_interval=args.eval_interval, eval_iters=args.eval_iters)
    data, vocab_size = prepare(args.data)
    torch.manual_seed(args.seed)
    model = GPT(r, vocab_size)
    # model.py's count leaves out the position embeddings
    n_params = sum(p.numel() for p in model.parameters()) - model.transformer.wpe.weight.numel()
    print(f"number of parameters: {n_params / 1e6:.2f}M", file=sys.stderr)
    optimizer = configure_optimizers(model, r)
    # data, model and optimizer: building torch's AdamW imports torch._dynamo, about 1.7 s of it on a CPU
    setup_s = time.perf_counter() - T_START - IMPORT_S
    progress = train(model, optimizer, data, r)
    result = summary(progress, r, args, n_params, setup_s)
    if args.json:
        print(json.dumps(result))
    else:
        print(" ".join(f"{k}={'none' if v is None else v}" for k, v in result.items()))


if __name__ == "__main__":
    main()

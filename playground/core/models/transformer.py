"""Attention: pre-norm Transformer blocks, a decoder-only language model (GPT) and a vision Transformer (ViT).

The blocks are GPT-2's (nanoGPT's): layer norm, multi-head self-attention through
`torch.nn.functional.scaled_dot_product_attention` (causal for text), a residual; layer norm, an MLP four times
as wide with GELU, a residual. ViT (Dosovitskiy et al. 2021) reads an image as a sequence of square patches
with a class token in front. For the Attention view, `attention_maps` asks every block for its weights once:
they are computed explicitly then (softmax of the scaled scores), never during training.
"""

from __future__ import annotations

import math

import torch
import torch.nn.functional as F
from torch import nn

from playground.core.errors import IncompatibleError


class SelfAttention(nn.Module):
    def __init__(self, width: int, heads: int, dropout: float = 0.0, causal: bool = False):
        super().__init__()
        if width % heads:
            raise IncompatibleError(f"a width of {width} cannot be split into {heads} heads; choose a width that "
                                    f"{heads} divides (such as {heads * max(1, round(width / heads))}) or another "
                                    "number of heads")
        self.heads, self.causal, self.dropout = heads, causal, dropout
        self.qkv = nn.Linear(width, 3 * width)
        self.proj = nn.Linear(width, width)
        self.proj_dropout = _dropout(dropout)
        self.keep_weights = False  # set by attention_maps: compute and keep the weights of the next forward
        self.weights: torch.Tensor | None = None

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        n, t, c = x.shape
        q, k, v = self.qkv(x).view(n, t, 3, self.heads, c // self.heads).permute(2, 0, 3, 1, 4)
        if self.keep_weights:
            self.weights = _weights(q, k, self.causal)
            out = self.weights.to(v.dtype) @ v
        else:
            p = self.dropout if self.training else 0.0
            out = F.scaled_dot_product_attention(q, k, v, dropout_p=p, is_causal=self.causal)
        return self.proj_dropout(self.proj(out.transpose(1, 2).reshape(n, t, c)))


def _dropout(p: float) -> nn.Module:
    """Dropout, or nothing at 0 (a dropout of 0 still copies every activation); as elsewhere, the live dropout
    knob then says the model was built without it."""
    return nn.Dropout(p) if p > 0 else nn.Identity()


def _weights(q: torch.Tensor, k: torch.Tensor, causal: bool) -> torch.Tensor:
    """N x heads x T x T: how much each position attends to each other one (rows sum to 1)."""
    scores = (q @ k.transpose(-2, -1)).float() / math.sqrt(q.shape[-1])
    if causal:
        t = q.shape[-2]
        future = torch.ones(t, t, dtype=torch.bool, device=q.device).triu(1)
        scores = scores.masked_fill(future, float("-inf"))
    return scores.softmax(dim=-1)


class TransformerBlock(nn.Module):
    """N x T x width -> N x T x width: attention, then an MLP, each after a layer norm and around a residual."""

    def __init__(self, width: int, heads: int, dropout: float = 0.0, causal: bool = False, mlp_ratio: int = 4):
        super().__init__()
        self.norm1 = nn.LayerNorm(width)
        self.attention = SelfAttention(width, heads, dropout, causal)
        self.norm2 = nn.LayerNorm(width)
        self.mlp = nn.Sequential(nn.Linear(width, mlp_ratio * width), nn.GELU(), nn.Linear(mlp_ratio * width, width),
                                 _dropout(dropout))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        x = x + self.attention(self.norm1(x))
        return x + self.mlp(self.norm2(x))


def _init_weights(model: nn.Module, layers: int) -> None:
    """GPT-2's initialisation: normal(0, 0.02), zero biases, the residual projections scaled by 1/sqrt(2 layers)."""
    for name, p in model.named_parameters():
        if p.dim() < 2:
            nn.init.zeros_(p) if name.endswith("bias") else nn.init.ones_(p)  # layer norms' gains are 1
        elif name.endswith(("proj.weight", "mlp.2.weight")):
            nn.init.normal_(p, 0.0, 0.02 / math.sqrt(2 * layers))
        else:
            nn.init.normal_(p, 0.0, 0.02)


class GPT(nn.Module):
    """Characters (N x T token ids, T <= context) -> N x T x vocabulary logits for the next character."""

    def __init__(self, vocab: int, context: int, layers: int = 4, heads: int = 4, width: int = 128,
                 dropout: float = 0.0):
        super().__init__()
        self.context = context
        self.tokens = nn.Embedding(vocab, width)
        self.positions = nn.Embedding(context, width)
        self.dropout = _dropout(dropout)
        self.blocks = nn.Sequential(*(TransformerBlock(width, heads, dropout, causal=True) for _ in range(layers)))
        self.norm = nn.LayerNorm(width)
        self.head = nn.Linear(width, vocab, bias=False)
        _init_weights(self, layers)
        self.head.weight = self.tokens.weight  # tied, as GPT-2: the same vectors read and write characters

    def forward(self, idx: torch.Tensor) -> torch.Tensor:
        t = idx.shape[1]
        if t > self.context:
            raise ValueError(f"{t} characters are more than the model's context of {self.context}")
        x = self.tokens(idx) + self.positions(torch.arange(t, device=idx.device))
        return self.head(self.norm(self.blocks(self.dropout(x))))


class ViT(nn.Module):
    """Images (N x C x H x W) -> class scores: patches of patch x patch pixels, a class token, the blocks."""

    def __init__(self, input_shape: tuple[int, ...], num_outputs: int, patch: int = 7, layers: int = 4,
                 heads: int = 4, width: int = 64, dropout: float = 0.0):
        super().__init__()
        c, h, w = input_shape
        self.grid = (h // patch, w // patch)
        self.patches = nn.Conv2d(c, width, patch, stride=patch)
        self.cls = nn.Parameter(torch.zeros(1, 1, width))
        self.positions = nn.Parameter(torch.zeros(1, 1 + self.grid[0] * self.grid[1], width))
        self.dropout = _dropout(dropout)
        self.blocks = nn.Sequential(*(TransformerBlock(width, heads, dropout) for _ in range(layers)))
        self.norm = nn.LayerNorm(width)
        self.head = nn.Linear(width, num_outputs)
        _init_weights(self, layers)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        x = self.patches(x).flatten(2).transpose(1, 2)  # N x patches x width, row by row
        x = torch.cat([self.cls.expand(x.shape[0], -1, -1).to(x.dtype), x], dim=1) + self.positions.to(x.dtype)
        x = self.norm(self.blocks(self.dropout(x)))
        return self.head(x[:, 0])


def build_gpt(input_shape: tuple[int, ...], num_outputs: int, layers: int = 4, heads: int = 4, width: int = 128,
              context: int = 64, dropout: float = 0.0) -> nn.Module:
    """input_shape is (context,); num_outputs the size of the vocabulary."""
    return GPT(num_outputs, context, layers, heads, width, dropout)


def build_vit(input_shape: tuple[int, ...], num_outputs: int, patch: int = 7, layers: int = 4, heads: int = 4,
              width: int = 64, dropout: float = 0.0) -> nn.Module:
    if len(input_shape) != 3:
        raise IncompatibleError(f"vit reads images as patches, and this dataset has inputs of shape "
                                f"{tuple(input_shape)}; choose an image dataset, or gpt, lstm or gru for text")
    _, h, w = input_shape
    if h % patch or w % patch:
        sides = [p for p in range(2, min(h, w) + 1) if h % p == 0 and w % p == 0]
        raise IncompatibleError(f"patches of {patch}x{patch} do not tile {h}x{w} images; choose a patch size "
                                f"that divides both sides ({', '.join(map(str, sides)) or 'none fits'})")
    return ViT(input_shape, num_outputs, patch, layers, heads, width, dropout)


def attention_layers(model: nn.Module) -> list[SelfAttention]:
    return [m for m in model.modules() if isinstance(m, SelfAttention)]


@torch.inference_mode()
def attention_maps(model: nn.Module, x: torch.Tensor) -> list[torch.Tensor]:
    """Every attention layer's weights for one forward of `x`: per layer N x heads x T x T (ViT: T counts the
    class token first). The model answers as usual; only this call computes the weights explicitly."""
    layers = attention_layers(model)
    for layer in layers:
        layer.keep_weights = True
    try:
        model(x)
        return [layer.weights for layer in layers]
    finally:
        for layer in layers:
            layer.keep_weights, layer.weights = False, None

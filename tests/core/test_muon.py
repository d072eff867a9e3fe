"""The muon optimizer: Muon for the hidden weight matrices, AdamW for the rest, under one rate and schedule."""

from __future__ import annotations

import torch
from torch import nn

from playground.core.config import TrainConfig
from playground.core.models.transformer import GPT
from playground.core.training.muon import hidden_matrices, orthogonalized
from playground.core.training.trainer import Trainer


def test_the_hidden_matrices_are_all_but_embeddings_and_the_answer():
    gpt = GPT(vocab=10, context=8, layers=1, heads=2, width=8)
    hidden = hidden_matrices(gpt)
    block = gpt.blocks[0]
    assert hidden == {id(block.attention.qkv.weight), id(block.attention.proj.weight), id(block.mlp[0].weight),
                      id(block.mlp[2].weight)}  # not the tied token matrix (which is the head), not positions
    mlp = nn.Sequential(nn.Linear(2, 8), nn.ReLU(), nn.Linear(8, 3))
    assert hidden_matrices(mlp) == {id(mlp[0].weight)}


def test_orthogonalized_matrices_have_singular_values_near_one():
    # badly conditioned; seeded: with 3 iterations about 1 draw in 7 leaves its smallest value just under 0.2, so
    # an unseeded draw failed by turns as the tests before it used the global generator more or less
    g = torch.randn(32, 96, generator=torch.Generator().manual_seed(0)) * torch.logspace(-3, 1, 96)
    s = torch.linalg.svdvals(orthogonalized(g))
    assert s.max() < 1.5 and s.min() > 0.2


def test_a_run_with_muon_learns_and_goes_on_from_its_checkpoint(tmp_path):
    config = TrainConfig(arch="mlp", arch_options={"hidden": [32, 32]}, dataset="circles",
                         dataset_options={"samples": 800}, optimizer="muon", lr=0.01, schedule="onecycle",
                         epochs=6, batch_size=32, device="cpu")
    result = Trainer().fit(config, checkpoint_path=tmp_path / "m.pt")
    assert result.status == "completed", result.message
    losses = [m.train_loss for m in result.metrics]
    assert losses[-1] < losses[0] and result.metrics[-1].test_accuracy > 0.8
    more = Trainer().fit(config.replace(epochs=7), resume_from=tmp_path / "m.pt")
    assert more.status == "completed" and len(more.metrics) == 1

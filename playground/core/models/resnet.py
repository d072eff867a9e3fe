"""A small residual CNN: a 3x3 stem, three stages of basic blocks, global average pooling."""

from __future__ import annotations

import torch
from torch import nn

from playground.core.models.convnets import _image_shape


class BasicBlock(nn.Module):
    def __init__(self, c_in: int, c_out: int, stride: int):
        super().__init__()
        self.conv1 = nn.Conv2d(c_in, c_out, 3, stride, 1, bias=False)
        self.bn1 = nn.BatchNorm2d(c_out)
        self.conv2 = nn.Conv2d(c_out, c_out, 3, 1, 1, bias=False)
        self.bn2 = nn.BatchNorm2d(c_out)
        self.shortcut = nn.Sequential()
        if stride != 1 or c_in != c_out:
            self.shortcut = nn.Sequential(nn.Conv2d(c_in, c_out, 1, stride, bias=False), nn.BatchNorm2d(c_out))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        out = torch.relu(self.bn1(self.conv1(x)))
        return torch.relu(self.bn2(self.conv2(out)) + self.shortcut(x))


def build_resnet(input_shape: tuple[int, ...], num_outputs: int, width: int = 16, blocks: int = 1) -> nn.Module:
    c, _, _ = _image_shape(input_shape, "resnet-small", 8)
    layers: list[nn.Module] = [nn.Conv2d(c, width, 3, 1, 1, bias=False), nn.BatchNorm2d(width), nn.ReLU()]
    c_in = width
    for stage, c_out in enumerate((width, width * 2, width * 4)):
        for b in range(blocks):
            layers.append(BasicBlock(c_in, c_out, 2 if stage > 0 and b == 0 else 1))
            c_in = c_out
    layers += [nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(c_in, num_outputs)]
    return nn.Sequential(*layers)

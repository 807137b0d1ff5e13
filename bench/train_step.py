"""PyTorch half of bench/train_step.mjs: the same network and step as
bench/train_step_bench.cpp, in Debian's python3-torch.
    /usr/bin/python3 bench/train_step.py WIDTHS STEM_STRIDE SIZE BATCH ASYMMETRY STEPS [as_trainer PRECISION]
Without as_trainer: the network as PyTorch code usually writes it (NCHW
tensors, ReLU into a new tensor, float32). With it: what the trainer does,
channels-last (NHWC) tensors, which oneDNN's CPU kernels prefer, ReLU in
place, and the forward pass under autocast when PRECISION is bfloat16.
research/brain_runs.py loads trainer checkpoints into the same Network (for
brain_views.py and brain_epochs.py), so its layers must stay in the
trainer's order."""
import os
import sys
import time

import torch
from torch import nn


class Network(nn.Module):
    """trainer/network.cpp: pairs of 3x3 conv + BN + ReLU, max-pool between blocks;
    with asymmetry, the image minus its left-right mirror as a second input channel."""

    def __init__(self, widths, labels, dropout, stem_stride, asymmetry, as_trainer):
        super().__init__()
        self.asymmetry, self.as_trainer = asymmetry, as_trainer
        layers, channels = [], 2 if asymmetry else 1
        for b, width in enumerate(widths):
            for k in range(2):
                stride = stem_stride if b == 0 and k == 0 else 1
                layers += [nn.Conv2d(channels, width, 3, stride=stride, padding=1, bias=False), nn.BatchNorm2d(width), nn.ReLU(as_trainer)]
                channels = width
            if b + 1 < len(widths):
                layers.append(nn.MaxPool2d(2))
        self.features = nn.Sequential(*layers)
        self.dropout = nn.Dropout(dropout)
        self.head = nn.Linear(channels, labels)

    def forward(self, x):
        if self.asymmetry:
            x = torch.cat([x, x - x.flip(3)], 1)
            if self.as_trainer:  # as trainer/network.cpp: one channel counts as either layout, two do not
                x = x.contiguous(memory_format=torch.channels_last)
        return self.head(self.dropout(self.features(x).mean((2, 3))))


def main():
    widths = [int(w) for w in sys.argv[1].split(",")]
    stem_stride, size, batch, asymmetry, steps = (int(a) for a in sys.argv[2:7])
    torch.set_num_threads(os.cpu_count())
    as_trainer = sys.argv[7:8] == ["as_trainer"]
    bfloat16 = sys.argv[8:9] == ["bfloat16"]
    torch.manual_seed(0)
    net = Network(widths, 2, 0.2, stem_stride, asymmetry == 1, as_trainer).train()
    optimizer = torch.optim.AdamW(net.parameters(), lr=1e-3, weight_decay=1e-4)
    x, y = torch.randn(batch, 1, size, size), torch.randint(0, 2, (batch,))
    if as_trainer:
        net = net.to(memory_format=torch.channels_last)
        x = x.contiguous(memory_format=torch.channels_last)
    times = []
    for step in range(steps + 3):  # 3 warm-up steps
        start = time.perf_counter()
        optimizer.zero_grad()
        with torch.autocast("cpu", dtype=torch.bfloat16, enabled=bfloat16):
            logits = net(x)
        nn.functional.cross_entropy(logits.float(), y).backward()
        optimizer.step()
        if step >= 3:
            times.append(time.perf_counter() - start)
    times.sort()
    print(f"{batch / times[len(times) // 2]:.1f}")


if __name__ == "__main__":
    main()

#!/usr/bin/env python3
"""Trainyard's PyTorch peer: the benchmark workloads of the engine, in PyTorch on the CPU.

src/test/bench/compare.sh runs this script and the engine's bench entry point in turn and divides
their figures. Both print one JSON object per line with the same keys, e.g.
  {"workload": "mlp", "epoch": 2, "train_seconds": ..., "train_samples_per_s": ...,
   "infer_samples_per_s": ..., "test_accuracy": ..., "threads": 2, ...}
  {"workload": "gemm", "n": 1024, "gflops": ..., "threads": 2}

Needs (Debian): apt-get install python3-torch libopenblas0-pthread dataset-fashion-mnist
Run from anywhere:
  /usr/bin/python3 src/test/bench/pytorch_peer.py --workload mlp|cnn|resnet|gemm|all
      [--epochs 1] [--threads 2] [--seed 0] [--device cpu|cuda]
FASHION_MNIST_DIR (environment) overrides /usr/share/datasets/fashion-mnist.

Workloads. The training ones use Fashion-MNIST (60,000 training and 10,000 test images), each
pixel standardized with the mean and standard deviation of the training images, batches of 128
drawn in a seeded random order, and report every epoch: the training throughput of the epoch, then
the inference throughput (eval mode, batches of 1000) and accuracy on the test set.
  mlp     784-512-256-10; each hidden layer dense, batch norm, ReLU, dropout 0.5; dense weights
          He normal (fan_in, ReLU gain), biases zero; SGD lr 0.05 momentum 0.9; cross-entropy
  cnn     conv3x3(32, pad 1)-BN-ReLU-maxpool2, conv3x3(64, pad 1)-BN-ReLU-maxpool2,
          dense 128-ReLU-dropout 0.5, dense 10; PyTorch's default init; same optimizer and loss
  resnet  conv3x3(16)-BN-ReLU stem, three stages of two basic residual blocks (16; 32 stride 2;
          64 stride 2; two 3x3 convs without bias, BN, ReLU, a 1x1 conv + BN projection where the
          shape changes), global average pooling, dense 10; convolutions He normal; training
          augmentation: a random 28x28 crop of the standardized image zero-padded by 2, flipped
          horizontally with probability 1/2; SGD lr 0.1 momentum 0.9 Nesterov, weight decay 5e-4
          on weights only (not on BN or biases), one linear warm-up epoch then a cosine schedule
          per step over the remaining epochs; cross-entropy with label smoothing 0.1
  gemm    float32 1024x1024x1024 matrix product: 3 warm-up products, then the mean time of 20,
          as GFLOP/s (2 n^3 floating-point operations per product)
"""
import argparse
import gzip
import json
import math
import os
import struct
import time

import numpy as np
import torch
from torch import nn
from torch.nn import functional as F

BATCH = 128
INFER_BATCH = 1000
FASHION_MNIST = os.environ.get("FASHION_MNIST_DIR", "/usr/share/datasets/fashion-mnist")


# --- data ---------------------------------------------------------------------------------------

def idx_array(name):
    """An IDX file (plain or gzip) of the Fashion-MNIST directory as a uint8 array."""
    for candidate in (name + ".gz", name):
        path = os.path.join(FASHION_MNIST, candidate)
        if os.path.exists(path):
            break
    else:
        raise SystemExit(f"no {name}[.gz] under {FASHION_MNIST} (Debian package dataset-fashion-mnist)")
    with (gzip.open if path.endswith(".gz") else open)(path, "rb") as f:
        header = f.read(4)
        dims = header[3]
        shape = struct.unpack(f">{dims}I", f.read(4 * dims))
        return np.frombuffer(f.read(), dtype=np.uint8).reshape(shape)


def fashion_mnist():
    """(train images, train labels, test images, test labels); images (N, 784), standardized."""
    train_x = idx_array("train-images-idx3-ubyte").reshape(-1, 784).astype(np.float32)
    test_x = idx_array("t10k-images-idx3-ubyte").reshape(-1, 784).astype(np.float32)
    mean = train_x.mean(axis=0)
    std = train_x.std(axis=0) + 1e-8
    train_y = idx_array("train-labels-idx1-ubyte").astype(np.int64)
    test_y = idx_array("t10k-labels-idx1-ubyte").astype(np.int64)
    return (torch.from_numpy((train_x - mean) / std), torch.from_numpy(train_y),
            torch.from_numpy((test_x - mean) / std), torch.from_numpy(test_y))


def random_crop_and_flip(x, generator):
    """Per image: a 28x28 window of the image zero-padded by 2, mirrored with probability 1/2."""
    n = x.shape[0]
    padded = F.pad(x.view(n, 28, 28), (2, 2, 2, 2))
    left = torch.randint(0, 5, (n,), generator=generator)
    top = torch.randint(0, 5, (n,), generator=generator)
    mirror = torch.rand(n, generator=generator) < 0.5
    offsets = torch.arange(28)
    rows = (top[:, None] + offsets)[:, :, None]
    cols = (left[:, None] + offsets)[:, None, :]
    crops = padded[torch.arange(n)[:, None, None], rows, cols]
    return torch.where(mirror[:, None, None], crops.flip(2), crops).reshape(n, 784)


# --- models -------------------------------------------------------------------------------------

def mlp_model():
    layers = []
    width = 784
    for units in (512, 256):
        layers += [nn.Linear(width, units), nn.BatchNorm1d(units), nn.ReLU(), nn.Dropout(0.5)]
        width = units
    layers.append(nn.Linear(width, 10))
    model = nn.Sequential(*layers)
    for layer in model:
        if isinstance(layer, nn.Linear):
            nn.init.kaiming_normal_(layer.weight, nonlinearity="relu")
            nn.init.zeros_(layer.bias)
    return model


class ConvNet(nn.Module):

    def __init__(self):
        super().__init__()
        self.c1, self.b1 = nn.Conv2d(1, 32, 3, padding=1), nn.BatchNorm2d(32)
        self.c2, self.b2 = nn.Conv2d(32, 64, 3, padding=1), nn.BatchNorm2d(64)
        self.f1, self.f2 = nn.Linear(64 * 7 * 7, 128), nn.Linear(128, 10)
        self.drop = nn.Dropout(0.5)

    def forward(self, x):
        x = x.view(-1, 1, 28, 28)
        x = F.max_pool2d(F.relu(self.b1(self.c1(x))), 2)
        x = F.max_pool2d(F.relu(self.b2(self.c2(x))), 2)
        return self.f2(self.drop(F.relu(self.f1(x.flatten(1)))))


class BasicBlock(nn.Module):

    def __init__(self, channels_in, channels_out, stride):
        super().__init__()
        self.c1 = nn.Conv2d(channels_in, channels_out, 3, stride, 1, bias=False)
        self.b1 = nn.BatchNorm2d(channels_out)
        self.c2 = nn.Conv2d(channels_out, channels_out, 3, 1, 1, bias=False)
        self.b2 = nn.BatchNorm2d(channels_out)
        self.proj = None
        if stride != 1 or channels_in != channels_out:
            self.proj = nn.Sequential(nn.Conv2d(channels_in, channels_out, 1, stride, bias=False),
                                      nn.BatchNorm2d(channels_out))

    def forward(self, x):
        shortcut = x if self.proj is None else self.proj(x)
        return F.relu(self.b2(self.c2(F.relu(self.b1(self.c1(x))))) + shortcut)


class ResNet(nn.Module):

    def __init__(self):
        super().__init__()
        self.stem = nn.Sequential(nn.Conv2d(1, 16, 3, 1, 1, bias=False), nn.BatchNorm2d(16), nn.ReLU())
        blocks = []
        channels = 16
        for width, stride in ((16, 1), (32, 2), (64, 2)):
            blocks += [BasicBlock(channels, width, stride), BasicBlock(width, width, 1)]
            channels = width
        self.stages = nn.Sequential(*blocks)
        self.fc = nn.Linear(64, 10)
        for module in self.modules():
            if isinstance(module, nn.Conv2d):
                nn.init.kaiming_normal_(module.weight, nonlinearity="relu")

    def forward(self, x):
        x = self.stages(self.stem(x.view(-1, 1, 28, 28)))
        return self.fc(x.mean(dim=(2, 3)))


MODELS = {"mlp": mlp_model, "cnn": ConvNet, "resnet": ResNet}


# --- training -----------------------------------------------------------------------------------

def synchronize(device):
    if device.type == "cuda":
        torch.cuda.synchronize()


def optimizer_for(workload, model, epochs, steps_per_epoch):
    """The optimizer and the per-step learning-rate schedule (None: constant) of a workload."""
    if workload != "resnet":
        return torch.optim.SGD(model.parameters(), lr=0.05, momentum=0.9), None
    weights = [p for p in model.parameters() if p.ndim > 1]
    others = [p for p in model.parameters() if p.ndim <= 1]
    optimizer = torch.optim.SGD([{"params": weights, "weight_decay": 5e-4}, {"params": others, "weight_decay": 0.0}],
                                lr=0.1, momentum=0.9, nesterov=True)
    warmup, total = steps_per_epoch, epochs * steps_per_epoch

    def factor(step):
        if step < warmup:
            return (step + 1) / warmup
        return 0.5 * (1 + math.cos(math.pi * (step - warmup) / max(1, total - warmup)))

    return optimizer, torch.optim.lr_scheduler.LambdaLR(optimizer, factor)


def train(workload, model, data, epochs, device):
    """Trains for `epochs` epochs and prints one JSON line per epoch."""
    train_x, train_y, test_x, test_y = data
    model = model.to(device)
    test_x, test_y = test_x.to(device), test_y.to(device)
    augment = workload == "resnet"
    smoothing = 0.1 if workload == "resnet" else 0.0
    steps = (len(train_x) + BATCH - 1) // BATCH
    optimizer, schedule = optimizer_for(workload, model, epochs, steps)
    order = torch.Generator().manual_seed(0)
    for epoch in range(1, epochs + 1):
        model.train()
        permutation = torch.randperm(len(train_x), generator=order)
        synchronize(device)
        start = time.perf_counter()
        for first in range(0, len(train_x), BATCH):
            rows = permutation[first:first + BATCH]
            x = random_crop_and_flip(train_x[rows], order) if augment else train_x[rows]
            x, y = x.to(device, non_blocking=True), train_y[rows].to(device, non_blocking=True)
            optimizer.zero_grad(set_to_none=True)
            F.cross_entropy(model(x), y, label_smoothing=smoothing).backward()
            optimizer.step()
            if schedule is not None:
                schedule.step()
        synchronize(device)
        train_seconds = time.perf_counter() - start

        model.eval()
        start = time.perf_counter()
        with torch.no_grad():
            logits = torch.cat([model(test_x[i:i + INFER_BATCH]) for i in range(0, len(test_x), INFER_BATCH)])
        synchronize(device)
        infer_seconds = time.perf_counter() - start
        accuracy = (logits.argmax(1) == test_y).float().mean().item()
        print(json.dumps({"workload": workload, "epoch": epoch, "train_seconds": round(train_seconds, 3),
                          "train_samples_per_s": round(len(train_x) / train_seconds, 1),
                          "infer_samples_per_s": round(len(test_x) / infer_seconds, 1),
                          "test_accuracy": round(accuracy, 4), "threads": torch.get_num_threads(),
                          "device": device.type, "torch": torch.__version__}), flush=True)


def gemm(device, n=1024, warmups=3, reps=20):
    a = torch.randn(n, n, device=device)
    b = torch.randn(n, n, device=device)
    for _ in range(warmups):
        torch.mm(a, b)
    synchronize(device)
    start = time.perf_counter()
    for _ in range(reps):
        torch.mm(a, b)
    synchronize(device)
    seconds = (time.perf_counter() - start) / reps
    print(json.dumps({"workload": "gemm", "n": n, "gflops": round(2 * n ** 3 / seconds / 1e9, 1),
                      "threads": torch.get_num_threads()}), flush=True)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workload", default="all", choices=["mlp", "cnn", "resnet", "gemm", "all"],
                        help="all: gemm, mlp and cnn (resnet only when asked for)")
    parser.add_argument("--epochs", type=int, default=1)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--seed", type=int, default=0, help="torch.manual_seed: initial weights and dropout")
    parser.add_argument("--device", default="cpu", choices=["cpu", "cuda"])
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    torch.manual_seed(args.seed)
    device = torch.device(args.device)
    chosen = ["gemm", "mlp", "cnn"] if args.workload == "all" else [args.workload]
    if "gemm" in chosen:
        gemm(device)
    training = [w for w in chosen if w in MODELS]
    if training:
        data = fashion_mnist()
        for workload in training:
            train(workload, MODELS[workload](), data, args.epochs, device)


if __name__ == "__main__":
    main()

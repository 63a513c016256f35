"""Golden files for the model import test (ModelImportGoldenTest).

Builds an MLP and a CNN with batch norm in PyTorch, gives the batch-norm layers non-trivial running
statistics, and writes for each:
  <name>.safetensors  the state_dict (F32 tensors, I64 num_batches_tracked), written by hand below
  <name>.json         the import spec (layers in the job spec's vocabulary, featureShape, classes,
                      standardization statistics), raw inputs and torch's probabilities in eval mode

Run with Debian's python3-torch: /usr/bin/python3 src/test/python/make_import_golden.py
"""
import json
import os
import struct

import torch
from torch import nn

OUT = os.path.join(os.path.dirname(__file__), "..", "resources", "golden", "import")


def write_safetensors(path, state_dict):
    """The safetensors layout: u64 header length, JSON header, then raw little-endian data."""
    header, blobs, offset = {}, [], 0
    for name, tensor in state_dict.items():
        t = tensor.detach().contiguous()
        if t.dtype == torch.float32:
            dtype, data = "F32", struct.pack("<%df" % t.numel(), *t.flatten().tolist())
        elif t.dtype == torch.int64:
            dtype, data = "I64", struct.pack("<%dq" % t.numel(), *t.flatten().tolist())
        else:
            raise ValueError(f"{name}: unsupported dtype {t.dtype}")
        header[name] = {"dtype": dtype, "shape": list(t.shape), "data_offsets": [offset, offset + len(data)]}
        blobs.append(data)
        offset += len(data)
    text = json.dumps(header, separators=(",", ":")).encode("utf-8")
    text += b" " * ((8 - len(text) % 8) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(text)))
        f.write(text)
        for b in blobs:
            f.write(b)


def randomize_batch_norm(model, generator):
    for m in model.modules():
        if isinstance(m, (nn.BatchNorm1d, nn.BatchNorm2d)):
            with torch.no_grad():
                m.running_mean.copy_(0.5 * torch.randn(m.num_features, generator=generator))
                m.running_var.copy_(0.5 + torch.rand(m.num_features, generator=generator))
                m.weight.copy_(1 + 0.2 * torch.randn(m.num_features, generator=generator))
                m.bias.copy_(0.1 * torch.randn(m.num_features, generator=generator))
                m.num_batches_tracked.fill_(37)


def golden(name, model, layers, feature_shape, classes, n, generator):
    randomize_batch_norm(model, generator)
    model.eval()
    width = 1
    for d in feature_shape:
        width *= d
    mean = (torch.rand(width, generator=generator) * 4 - 2)
    std = 0.5 + torch.rand(width, generator=generator) * 2
    raw = (torch.randn(n, width, generator=generator) * 2 + 1)
    x = ((raw - mean) / std).reshape(n, *feature_shape)
    with torch.no_grad():
        probabilities = torch.softmax(model(x), dim=1)
    write_safetensors(os.path.join(OUT, name + ".safetensors"), model.state_dict())
    spec = {
        "layers": layers,
        "featureShape": feature_shape,
        "classes": classes,
        "preprocessing": {"method": "standardize", "perChannel": False,
                          "statistics": {"mean": mean.tolist(), "std": std.tolist()}},
    }
    with open(os.path.join(OUT, name + ".json"), "w") as f:
        json.dump({"spec": spec, "instances": raw.tolist(), "probabilities": probabilities.tolist()}, f)


def main():
    os.makedirs(OUT, exist_ok=True)
    torch.manual_seed(0)
    g = torch.Generator().manual_seed(1234)
    mlp = nn.Sequential(nn.Linear(6, 16), nn.BatchNorm1d(16), nn.ReLU(), nn.Dropout(0.5), nn.Linear(16, 3))
    golden("mlp", mlp,
           [{"type": "dense", "units": 16}, {"type": "batch_norm"}, {"type": "relu"},
            {"type": "dropout", "rate": 0.5}, {"type": "dense", "units": 3}],
           [6], ["a", "b", "c"], 8, g)
    cnn = nn.Sequential(nn.Conv2d(1, 4, 3, padding=1), nn.BatchNorm2d(4), nn.ReLU(), nn.MaxPool2d(2),
                        nn.Flatten(), nn.Linear(4 * 4 * 4, 5))
    golden("cnn", cnn,
           [{"type": "conv2d", "filters": 4, "kernel": 3, "padding": 1}, {"type": "batch_norm"},
            {"type": "relu"}, {"type": "max_pool", "size": 2}, {"type": "flatten"},
            {"type": "dense", "units": 5}],
           [1, 8, 8], ["zero", "one", "two", "three", "four"], 6, g)


if __name__ == "__main__":
    main()

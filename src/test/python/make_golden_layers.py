#!/usr/bin/env python3
"""Writes PyTorch reference tensors for the engine's layer tests (golden files).

Run from the repository root with Debian's PyTorch (apt-get install -y python3-torch):
    /usr/bin/python3 src/test/python/make_golden_layers.py
Output: src/test/resources/golden/layers/<case>.json, one file per case, committed with the tests.

Every file holds flat row-major lists: "input" with "input_shape", the parameters ("weight",
"bias" as torch names them), "output", the upstream gradient "dout", and the gradients torch's
autograd computes for L = sum(output * dout): "dinput", "dweight", "dbias". Batch-norm cases add
the running statistics after the training steps and an evaluation-mode output; the dropout case
records torch's own mask (recovered from its output) as "keep". Residual cases name their tensors
as the module holding "body" and "shortcut" nn.Sequentials does ("body.0.weight") and add the
batch norms' running statistics after their one training step under "state".
"""
import json
import os

import torch
import torch.nn as nn
import torch.nn.functional as F

OUT = os.path.join(os.path.dirname(__file__), "..", "resources", "golden", "layers")


def flat(t):
    return [float("%.9g" % v) for v in t.detach().reshape(-1).tolist()]  # float32 round-trips in 9 digits


def write(name, case):
    case["case"] = name
    case["torch"] = torch.__version__
    path = os.path.join(OUT, name + ".json")
    with open(path, "w") as f:
        json.dump(case, f, separators=(",", ":"))
    print(os.path.normpath(path), os.path.getsize(path), "bytes")


def run(module, x, dout):
    x = x.clone().requires_grad_(True)
    y = module(x)
    y.backward(dout)
    return y, x.grad


def with_params(module, case):
    for name, p in module.named_parameters():
        case[name] = flat(p)
        case["d" + name] = flat(p.grad)
    return case


def dense():
    g = torch.Generator().manual_seed(1)
    torch.manual_seed(1)  # the module's own initial weights, so that every run writes the same file
    m = nn.Linear(6, 5)
    x = torch.randn(4, 6, generator=g)
    dout = torch.randn(4, 5, generator=g)
    y, dx = run(m, x, dout)
    write("dense", with_params(m, {"layer": {"type": "dense", "units": 5}, "input_shape": [4, 6],
                                   "input": flat(x), "output": flat(y), "dout": flat(dout), "dinput": flat(dx)}))


def conv(name, n, c, h, w, filters, k, stride, pad, seed):
    g = torch.Generator().manual_seed(seed)
    torch.manual_seed(seed)  # the module's own initial weights, so that every run writes the same file
    m = nn.Conv2d(c, filters, k, stride=stride, padding=pad)
    x = torch.randn(n, c, h, w, generator=g)
    y = m(x)
    dout = torch.randn(y.shape, generator=g)
    y, dx = run(m, x, dout)
    write(name, with_params(m, {"layer": {"type": "conv2d", "filters": filters, "kernel": k, "stride": stride,
                                          "padding": pad},
                                "input_shape": [n, c, h, w], "input": flat(x), "output_shape": list(y.shape),
                                "output": flat(y), "dout": flat(dout), "dinput": flat(dx)}))


def pool(name, kind, shape, size, stride, seed):
    g = torch.Generator().manual_seed(seed)
    m = nn.MaxPool2d(size, stride) if kind == "max_pool" else nn.AvgPool2d(size, stride)
    x = torch.randn(*shape, generator=g)
    y = m(x)
    dout = torch.randn(y.shape, generator=g)
    y, dx = run(m, x, dout)
    write(name, {"layer": {"type": kind, "size": size, "stride": stride}, "input_shape": list(shape),
                 "input": flat(x), "output_shape": list(y.shape), "output": flat(y), "dout": flat(dout),
                 "dinput": flat(dx)})


def global_avg_pool(name, shape, seed):
    g = torch.Generator().manual_seed(seed)
    m = nn.Sequential(nn.AdaptiveAvgPool2d(1), nn.Flatten())
    x = torch.randn(*shape, generator=g)
    y = m(x)
    dout = torch.randn(y.shape, generator=g)
    y, dx = run(m, x, dout)
    write(name, {"layer": {"type": "global_avg_pool"}, "input_shape": list(shape), "input": flat(x),
                 "output_shape": list(y.shape), "output": flat(y), "dout": flat(dout), "dinput": flat(dx)})


def batch_norm(name, shape, seed, steps=3):
    g = torch.Generator().manual_seed(seed)
    m = nn.BatchNorm1d(shape[1]) if len(shape) == 2 else nn.BatchNorm2d(shape[1])
    with torch.no_grad():
        m.weight.copy_(1.0 + 0.5 * torch.randn(shape[1], generator=g))
        m.bias.copy_(0.5 * torch.randn(shape[1], generator=g))
    case = {"layer": {"type": "batch_norm", "momentum": 0.1, "eps": 1e-5}, "input_shape": list(shape),
            "weight": flat(m.weight), "bias": flat(m.bias)}
    m.train()
    x = 2.0 + 3.0 * torch.randn(*shape, generator=g)
    dout = torch.randn(*shape, generator=g)
    y, dx = run(m, x, dout)
    case.update({"input": flat(x), "output": flat(y), "dout": flat(dout), "dinput": flat(dx),
                 "dweight": flat(m.weight.grad), "dbias": flat(m.bias.grad),
                 "running_mean_1": flat(m.running_mean), "running_var_1": flat(m.running_var)})
    more = []
    with torch.no_grad():
        for _ in range(steps - 1):
            xb = 1.0 + 2.0 * torch.randn(*shape, generator=g)
            more.append(flat(xb))
            m(xb)
        m.eval()
        xt = torch.randn(*shape, generator=g)
        yt = m(xt)
    case.update({"more_training_inputs": more, "running_mean": flat(m.running_mean),
                 "running_var": flat(m.running_var), "num_batches_tracked": int(m.num_batches_tracked),
                 "test_input": flat(xt), "test_output": flat(yt)})
    write(name, case)


class Residual(nn.Module):
    """y = body(x) + shortcut(x), the engine's residual layer: shortcut None is the identity."""

    def __init__(self, body, shortcut):
        super().__init__()
        self.body = body
        if shortcut is not None:
            self.shortcut = shortcut

    def forward(self, x):
        return self.body(x) + (self.shortcut(x) if hasattr(self, "shortcut") else x)


def sub_layers(specs, channels, g):
    """nn modules of the residual's sub-layer specs (conv2d, batch_norm, relu) for `channels` input channels;
    batch norms get random affine parameters from `g`, so that they matter."""
    modules = []
    for s in specs:
        if s["type"] == "conv2d":
            modules.append(nn.Conv2d(channels, s["filters"], s["kernel"], stride=s["stride"], padding=s["padding"],
                                     bias=s["bias"]))
            channels = s["filters"]
        elif s["type"] == "batch_norm":
            bn = nn.BatchNorm2d(channels)
            with torch.no_grad():
                bn.weight.copy_(1.0 + 0.5 * torch.randn(channels, generator=g))
                bn.bias.copy_(0.5 * torch.randn(channels, generator=g))
            modules.append(bn)
        else:
            modules.append(nn.ReLU())
    return nn.Sequential(*modules)


def residual(name, shape, specs, seed):
    """A residual block in training mode: output, every gradient and the batch norms' running statistics (under
    "state", by state_dict name) after the one step."""
    g = torch.Generator().manual_seed(seed)
    torch.manual_seed(seed)  # the modules' own initial weights, so that every run writes the same file
    body = sub_layers(specs, shape[1], g)
    x = torch.randn(*shape, generator=g)
    body.eval()  # the shape only: a training-mode pass would move the running statistics
    with torch.no_grad():
        out = body(x).shape
    shortcut = None
    if tuple(out[1:]) != tuple(shape[1:]):
        stride = (shape[2] - 1) // (out[2] - 1) if out[2] > 1 else shape[2]
        shortcut = nn.Sequential(nn.Conv2d(shape[1], out[1], 1, stride=stride, bias=False), nn.BatchNorm2d(out[1]))
        with torch.no_grad():
            shortcut[1].weight.copy_(1.0 + 0.5 * torch.randn(out[1], generator=g))
            shortcut[1].bias.copy_(0.5 * torch.randn(out[1], generator=g))
    m = Residual(body, shortcut)
    m.train()
    dout = torch.randn(out, generator=g)
    y, dx = run(m, x, dout)
    state = {k: (int(v) if v.dtype == torch.int64 else flat(v)) for k, v in m.state_dict().items()
             if "running" in k or "num_batches" in k}
    write(name, with_params(m, {"layer": {"type": "residual", "layers": specs, "projection": "auto"},
                                "input_shape": list(shape), "input": flat(x), "output_shape": list(y.shape),
                                "output": flat(y), "dout": flat(dout), "dinput": flat(dx), "state": state}))


def dropout():
    g = torch.Generator().manual_seed(5)
    rate = 0.3
    x = torch.rand(6, 10, generator=g) + 0.5  # no zeros, so torch's mask can be read off its output
    dout = torch.randn(6, 10, generator=g)
    torch.manual_seed(5)
    xg = x.clone().requires_grad_(True)
    y = F.dropout(xg, p=rate, training=True)
    y.backward(dout)
    keep = (y != 0).float()
    write("dropout", {"layer": {"type": "dropout", "rate": rate, "variant": "inverted"}, "input_shape": [6, 10],
                      "input": flat(x), "keep": flat(keep), "output": flat(y), "dout": flat(dout),
                      "dinput": flat(xg.grad)})


def activations():
    g = torch.Generator().manual_seed(9)
    x = 3.0 * torch.randn(3, 7, generator=g)
    dout = torch.randn(3, 7, generator=g)
    for name, m, layer in [("relu", nn.ReLU(), {"type": "relu"}),
                           ("leaky_relu", nn.LeakyReLU(0.2), {"type": "leaky_relu", "slope": 0.2}),
                           ("tanh", nn.Tanh(), {"type": "tanh"}),
                           ("sigmoid", nn.Sigmoid(), {"type": "sigmoid"})]:
        y, dx = run(m, x, dout)
        write(name, {"layer": layer, "input_shape": [3, 7], "input": flat(x), "output": flat(y),
                     "dout": flat(dout), "dinput": flat(dx)})


if __name__ == "__main__":
    torch.set_num_threads(1)
    os.makedirs(OUT, exist_ok=True)
    dense()
    conv("conv2d_k3_s1_p1", 2, 3, 7, 6, 4, 3, 1, 1, seed=2)
    conv("conv2d_k3_s2_p0", 2, 3, 9, 7, 4, 3, 2, 0, seed=3)
    conv("conv2d_k2_s2_p2", 2, 2, 6, 6, 3, 2, 2, 2, seed=4)
    conv("conv2d_k5_s1_p2_nonsquare", 1, 2, 6, 9, 3, 5, 1, 2, seed=6)
    conv("conv2d_k3_s3_p1_nonsquare", 2, 1, 10, 7, 2, 3, 3, 1, seed=7)
    pool("max_pool_2", "max_pool", (2, 3, 6, 6), 2, 2, seed=8)
    pool("max_pool_3_s2", "max_pool", (2, 2, 7, 5), 3, 2, seed=10)
    pool("avg_pool_2", "avg_pool", (2, 3, 6, 6), 2, 2, seed=11)
    pool("avg_pool_3_s2", "avg_pool", (2, 2, 7, 5), 3, 2, seed=12)
    global_avg_pool("global_avg_pool", (2, 3, 5, 4), seed=15)
    batch_norm("batch_norm_1d", (8, 5), seed=13)
    batch_norm("batch_norm_2d", (4, 3, 5, 5), seed=14)
    dropout()
    activations()
    conv3 = {"type": "conv2d", "kernel": 3, "padding": 1, "bias": False}
    residual("residual_identity", (2, 4, 6, 5),
             [dict(conv3, filters=4, stride=1), {"type": "batch_norm"}, {"type": "relu"},
              dict(conv3, filters=4, stride=1), {"type": "batch_norm"}], seed=16)
    residual("residual_projection", (2, 3, 7, 7),
             [dict(conv3, filters=6, stride=2), {"type": "batch_norm"}, {"type": "relu"},
              dict(conv3, filters=6, stride=1), {"type": "batch_norm"}], seed=17)

#!/usr/bin/env python3
"""Writes the PyTorch reference values the engine's training tests compare against.

Run from the project root with Debian's PyTorch (apt-get install -y python3-torch):
    /usr/bin/python3 src/test/python/make_golden_training.py
It (re)writes src/test/resources/golden/training/*.json. Every input is seeded, so running it
again gives the same files. Floats are written as the exact decimal of their float32 value.

Files: loss.json (cross-entropy with and without label smoothing, MSE: loss and gradient),
optimizers.json (SGD with momentum / Nesterov / weight decay, Adam, AdamW: three steps each from
given parameters and gradients), optimizer_groups.json (the same optimizers over a weight matrix,
a bias and a batch norm's weight and bias in one flat buffer, decay on the matrix only as two
parameter groups, and SGD with decoupled decay: four steps each), schedules.json (learning rate per epoch), mlp.json and cnn.json
(small networks trained 10 SGD-momentum steps from given weights: loss per step, final weights).
"""
import json
import warnings
import math
import os

import torch
import torch.nn as nn
import torch.nn.functional as F

warnings.filterwarnings("ignore", category=UserWarning)  # SequentialLR's epoch-argument notice
OUT = os.path.join("src", "test", "resources", "golden", "training")


def arr(t):
    t = t.detach().to(torch.float32).contiguous()
    return {"shape": list(t.shape), "data": [float(v) for v in t.reshape(-1).tolist()]}


def write(name, obj):
    os.makedirs(OUT, exist_ok=True)
    with open(os.path.join(OUT, name), "w") as f:
        json.dump(obj, f, separators=(",", ":"))
        f.write("\n")


def losses():
    g = torch.Generator().manual_seed(1)
    cases = []
    for smoothing in (0.0, 0.1):
        logits = (torch.randn(6, 5, generator=g) * 3).requires_grad_()
        labels = torch.randint(0, 5, (6,), generator=g)
        loss = F.cross_entropy(logits, labels, label_smoothing=smoothing)
        loss.backward()
        cases.append({"label_smoothing": smoothing, "logits": arr(logits), "labels": labels.tolist(),
                      "loss": float(loss), "dlogits": arr(logits.grad)})
    # large logits: the stable formulation must not overflow
    logits = torch.tensor([[1000.0, -1000.0, 0.0], [-500.0, 500.0, 499.0]], requires_grad=True)
    labels = torch.tensor([0, 2])
    loss = F.cross_entropy(logits, labels, label_smoothing=0.2)
    loss.backward()
    cases.append({"label_smoothing": 0.2, "logits": arr(logits), "labels": labels.tolist(),
                  "loss": float(loss), "dlogits": arr(logits.grad)})
    pred = torch.randn(4, 3, generator=g).requires_grad_()
    target = torch.randn(4, 3, generator=g)
    mse = F.mse_loss(pred, target)
    mse.backward()
    write("loss.json", {"cross_entropy": cases,
                        "mse": {"predictions": arr(pred), "targets": arr(target), "loss": float(mse),
                                "dpredictions": arr(pred.grad)}})


def optimizers():
    g = torch.Generator().manual_seed(2)
    n, steps = 19, 3
    p0 = torch.randn(n, generator=g)
    grads = [torch.randn(n, generator=g) for _ in range(steps)]
    configs = [
        ("sgd", {"lr": 0.1}),
        ("sgd", {"lr": 0.1, "momentum": 0.9}),
        ("sgd", {"lr": 0.05, "momentum": 0.9, "nesterov": True, "weight_decay": 0.01}),
        ("sgd", {"lr": 0.1, "weight_decay": 0.1}),
        ("adam", {"lr": 0.01}),
        ("adam", {"lr": 0.01, "betas": (0.8, 0.99), "eps": 1e-6, "weight_decay": 0.05}),
        ("adamw", {"lr": 0.01, "weight_decay": 0.1}),
    ]
    cases = []
    for kind, cfg in configs:
        p = p0.clone().requires_grad_()
        opt = {"sgd": torch.optim.SGD, "adam": torch.optim.Adam, "adamw": torch.optim.AdamW}[kind]([p], **cfg)
        after = []
        for gr in grads:
            p.grad = gr.clone()
            opt.step()
            after.append(arr(p))
        c = dict(cfg)
        if "betas" in c:
            c["betas"] = list(c["betas"])
        cases.append({"optimizer": kind, "config": c, "params": arr(p0), "grads": [arr(x) for x in grads],
                      "after_step": after})
    write("optimizers.json", {"cases": cases})


def optimizer_groups():
    """Two parameter groups: weight decay on tensors of rank > 1 only, as the peer's resnet recipe."""
    g = torch.Generator().manual_seed(3)
    shapes = [(3, 4), (3,), (3,), (3,)]
    steps = 4
    p0 = [torch.randn(s, generator=g) for s in shapes]
    grads = [[torch.randn(s, generator=g) for s in shapes] for _ in range(steps)]
    configs = [
        ("sgd", {"lr": 0.1, "momentum": 0.9, "nesterov": True, "weight_decay": 0.05}),
        ("sgd", {"lr": 0.1, "momentum": 0.9, "weight_decay": 0.05, "decoupled": True}),
        ("adam", {"lr": 0.01, "weight_decay": 0.1}),
        ("adamw", {"lr": 0.01, "weight_decay": 0.1}),
    ]
    flat = lambda ts: arr(torch.cat([t.reshape(-1) for t in ts]))
    cases = []
    for kind, cfg in configs:
        ps = [t.clone().requires_grad_() for t in p0]
        kwargs = {k: v for k, v in cfg.items() if k not in ("weight_decay", "decoupled")}
        wd = cfg["weight_decay"]
        decoupled = cfg.get("decoupled", False)
        decayed = [p for p in ps if p.ndim > 1]
        others = [p for p in ps if p.ndim <= 1]
        groups = [{"params": decayed, "weight_decay": 0.0 if decoupled else wd},
                  {"params": others, "weight_decay": 0.0}]
        opt = {"sgd": torch.optim.SGD, "adam": torch.optim.Adam, "adamw": torch.optim.AdamW}[kind](groups, **kwargs)
        after = []
        for step_grads in grads:
            for p, gr in zip(ps, step_grads):
                p.grad = gr.clone()
            if decoupled:
                # SGDW: the weights shrink before the step, as AdamW does, outside the momentum
                with torch.no_grad():
                    for p in decayed:
                        p.mul_(1 - cfg["lr"] * wd)
            opt.step()
            after.append(flat(ps))
        cases.append({"optimizer": kind, "config": cfg, "shapes": [list(s) for s in shapes], "params": flat(p0),
                      "grads": [flat(gs) for gs in grads], "after_step": after})
    write("optimizer_groups.json", {"cases": cases})


def schedules():
    epochs, base = 12, 0.1

    def run(make):
        p = torch.zeros(1, requires_grad=True)
        opt = torch.optim.SGD([p], lr=base)
        sched = make(opt)
        lrs = []
        for _ in range(epochs):
            lrs.append(opt.param_groups[0]["lr"])
            opt.step()
            sched.step()
        return lrs

    S = torch.optim.lr_scheduler

    def warm(w, main):
        return lambda o: S.SequentialLR(o, [S.LinearLR(o, start_factor=1 / (w + 1), end_factor=1.0, total_iters=w),
                                            main(o)], milestones=[w])

    cases = [
        {"kind": "constant", "rate": base, "lr": run(lambda o: S.ConstantLR(o, factor=1.0))},
        {"kind": "step", "rate": base, "step_epochs": 3, "gamma": 0.5, "lr": run(lambda o: S.StepLR(o, 3, 0.5))},
        {"kind": "cosine", "rate": base, "epochs": 10, "min_rate": 0.001,
         "lr": run(lambda o: S.CosineAnnealingLR(o, T_max=10, eta_min=0.001))},
        {"kind": "cosine", "rate": base, "epochs": 9, "min_rate": 0.0, "warmup_epochs": 3,
         "lr": run(warm(3, lambda o: S.CosineAnnealingLR(o, T_max=9, eta_min=0.0)))},
        {"kind": "step", "rate": base, "step_epochs": 4, "gamma": 0.1, "warmup_epochs": 2,
         "lr": run(warm(2, lambda o: S.StepLR(o, 4, 0.1)))},
    ]
    write("schedules.json", {"epochs": epochs, "cases": cases})


def network(name, model, x, y, smoothing):
    """Full-batch SGD (momentum 0.9, lr 0.1), 10 steps: the loss before each step, final state."""
    initial = {k: arr(v) for k, v in model.state_dict().items() if not k.endswith("num_batches_tracked")}
    opt = torch.optim.SGD(model.parameters(), lr=0.1, momentum=0.9)
    model.train()
    losses = []
    for _ in range(10):
        opt.zero_grad()
        loss = F.cross_entropy(model(x), y, label_smoothing=smoothing)
        loss.backward()
        opt.step()
        losses.append(float(loss))
    final = {k: arr(v) for k, v in model.state_dict().items() if not k.endswith("num_batches_tracked")}
    model.eval()
    with torch.no_grad():
        test_logits = model(x[:4])
    write(name + ".json", {"inputs": arr(x), "labels": y.tolist(), "label_smoothing": smoothing,
                           "initial": initial, "losses": losses, "final": final,
                           "eval_logits_first4": arr(test_logits)})


def networks():
    torch.manual_seed(3)
    x = torch.randn(24, 20)
    y = torch.randint(0, 3, (24,))
    mlp = nn.Sequential(nn.Linear(20, 16), nn.BatchNorm1d(16), nn.ReLU(), nn.Linear(16, 3))
    network("mlp", mlp, x, y, 0.0)
    torch.manual_seed(4)
    x = torch.randn(12, 2, 8, 8)
    y = torch.randint(0, 3, (12,))
    cnn = nn.Sequential(nn.Conv2d(2, 4, 3, padding=1), nn.BatchNorm2d(4), nn.ReLU(), nn.MaxPool2d(2),
                        nn.Flatten(), nn.Linear(4 * 4 * 4, 3))
    network("cnn", cnn, x, y, 0.1)


if __name__ == "__main__":
    import sys
    torch.manual_seed(0)
    torch.set_num_threads(1)
    # with arguments, only the named files: make_golden_training.py optimizer_groups
    only = set(sys.argv[1:])
    for write_file in (losses, optimizers, optimizer_groups, schedules, networks):
        if not only or write_file.__name__ in only:
            write_file()

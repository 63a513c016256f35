#!/usr/bin/env python3
"""Runs the PyTorch peer's training workload (src/test/bench/pytorch_peer.py) once per seed.

The peer seeds torch.manual_seed with 0 by default; this script imports its models and training
loop unchanged and only varies the seed given to torch.manual_seed (weight initialization and
dropout masks), so the spread of the peer's test accuracy can be compared with the spread of ours over seeds.

Run (Debian's python3-torch, from the project root):
  /usr/bin/python3 src/test/python/peer_seeds.py --workload cnn --epochs 2 --seeds 0 1 2 [--threads 2]
Prints the peer's JSON lines, each with an added "seed" key.
"""
import argparse
import contextlib
import io
import json
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "bench"))
import pytorch_peer as peer  # noqa: E402
import torch  # noqa: E402

ap = argparse.ArgumentParser()
ap.add_argument("--workload", choices=["mlp", "cnn"], default="cnn")
ap.add_argument("--epochs", type=int, default=2)
ap.add_argument("--threads", type=int, default=2)
ap.add_argument("--seeds", type=int, nargs="+", default=[0, 1, 2])
a = ap.parse_args()
torch.set_num_threads(a.threads)
data = peer.fashion_mnist()
for seed in a.seeds:
    torch.manual_seed(seed)
    model = peer.MODELS[a.workload]()
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        peer.train(a.workload, model, data, a.epochs, torch.device("cpu"))
    for line in out.getvalue().splitlines():
        row = json.loads(line)
        row["seed"] = seed
        print(json.dumps(row), flush=True)

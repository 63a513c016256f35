#!/usr/bin/env python3
"""Trains a 5-member Fashion-MNIST mlp job through a running Trainyard service and prints the
test accuracy of each member and of the ensemble the job registers (probability averaging).

  /usr/bin/python3 src/test/bench/fashion_ensemble.py --host http://127.0.0.1:18080 --key ty_... \
      [--members 5] [--epochs 5] [--data /usr/share/datasets/fashion-mnist]

src/test/bench/fashion_ensemble.sh starts a service with an in-memory database and runs this.
Standard library only. The model is the engine's mlp workload (784-512-256-10 with batch norm,
ReLU and dropout 0.5, He init, SGD momentum 0.9, lr 0.05, batch 128), standardized inputs.
"""
import argparse
import json
import os
import sys
import time
import urllib.error
import urllib.request
import uuid

ap = argparse.ArgumentParser()
ap.add_argument("--host", required=True)
ap.add_argument("--key", required=True)
ap.add_argument("--members", type=int, default=5)
ap.add_argument("--epochs", type=int, default=5)
ap.add_argument("--cancel-trials", type=int, default=3,
                help="then cancel this many single-member jobs mid-epoch and time each until CANCELLED")
ap.add_argument("--data", default=os.environ.get("FASHION_MNIST_DIR", "/usr/share/datasets/fashion-mnist"))
a = ap.parse_args()


def call(method, path, body=None, content_type="application/json"):
    data = body if isinstance(body, (bytes, type(None))) else json.dumps(body).encode()
    req = urllib.request.Request(a.host + path, data=data, method=method,
                                 headers={"X-API-Key": a.key, "Content-Type": content_type})
    try:
        with urllib.request.urlopen(req, timeout=600) as r:
            return json.loads(r.read() or b"null")
    except urllib.error.HTTPError as e:
        sys.exit(f"{method} {path}: {e.code} {e.read().decode(errors='replace')}")


def upload(name, images, labels):
    boundary = uuid.uuid4().hex
    parts = [f'--{boundary}\r\nContent-Disposition: form-data; name="name"\r\n\r\n{name}\r\n'.encode()]
    for field, file in (("images", images), ("labels", labels)):
        path = os.path.join(a.data, file)
        if not os.path.exists(path):
            path = path[:-3] if path.endswith(".gz") else path + ".gz"
        with open(path, "rb") as f:
            content = f.read()
        parts.append((f'--{boundary}\r\nContent-Disposition: form-data; name="{field}"; '
                      f'filename="{os.path.basename(path)}"\r\nContent-Type: application/octet-stream\r\n\r\n')
                     .encode() + content + b"\r\n")
    parts.append(f"--{boundary}--\r\n".encode())
    return call("POST", "/api/v1/datasets", b"".join(parts), "multipart/form-data; boundary=" + boundary)["id"]


train = upload("fashion-train", "train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte.gz")
test = upload("fashion-test", "t10k-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz")
layers = [{"type": "flatten"}, {"type": "dense", "units": 512}, {"type": "batch_norm"}, {"type": "relu"},
          {"type": "dropout", "rate": 0.5}, {"type": "dense", "units": 256}, {"type": "batch_norm"},
          {"type": "relu"}, {"type": "dropout", "rate": 0.5}, {"type": "dense", "units": 10}]
spec = {"name": "fashion-mlp-ensemble", "datasetId": train, "testDatasetId": test, "seed": 42,
        "preprocessing": {"method": "standardize"},
        "model": {"init": {"method": "he_normal"}, "layers": layers},
        "training": {"epochs": a.epochs, "batchSize": 128,
                     "optimizer": {"type": "sgd", "learningRate": 0.05, "momentum": 0.9},
                     "schedule": {"type": "constant"}},
        "ensemble": {"members": a.members}}
job = call("POST", "/api/v1/jobs", spec)
started = time.time()
while job["status"] in ("QUEUED", "RUNNING"):
    time.sleep(2)
    job = call("GET", "/api/v1/jobs/" + job["id"])
    p = job["progress"]
    print(f"\r{job['status']} member {p['member']}/{p['members']} epoch {p['epoch']}/{p['epochs']}   ",
          end="", file=sys.stderr, flush=True)
print(file=sys.stderr)
if job["status"] != "SUCCEEDED":
    sys.exit(f"job {job['id']} ended {job['status']}: {job.get('error')}")
ensemble = call("GET", "/api/v1/ensembles/" + job["ensembleId"])
members = ensemble["metrics"]["memberTestAccuracies"]
for i, model_id in enumerate(job["modelIds"]):
    model = call("GET", "/api/v1/models/" + model_id)
    print(f"member {i} (seed {model['seed']}): test accuracy {members[i]:.4f}")
acc = ensemble["metrics"]["testAccuracy"]
print(f"ensemble of {len(members)} (average of probabilities): test accuracy {acc:.4f}; "
      f"best member {max(members):.4f}; mean member {sum(members) / len(members):.4f}")
print(f"job {job['id']}: {a.members} members x {a.epochs} epochs in {time.time() - started:.0f} s")
print(json.dumps({"members": members, "ensemble": acc, "ensembleAtLeastBestMember": acc >= max(members)}))

# Cancel latency: a running mlp job stops at the next batch boundary. Measured from just before
# the cancel request to the job's finishedAt (same machine, same clock).
from datetime import datetime
latencies = []
for trial in range(a.cancel_trials):
    one = dict(spec, name=f"cancel-{trial}", ensemble={"members": 1}, seed=100 + trial)
    one["training"] = dict(spec["training"], epochs=50)
    job = call("POST", "/api/v1/jobs", one)
    while job["status"] == "QUEUED" or job["progress"]["batch"] < 50:
        time.sleep(0.05)
        job = call("GET", "/api/v1/jobs/" + job["id"])
    requested = time.time()
    call("POST", f"/api/v1/jobs/{job['id']}/cancel")
    while job["status"] == "RUNNING":
        time.sleep(0.05)
        job = call("GET", "/api/v1/jobs/" + job["id"])
    finished = datetime.fromisoformat(job["finishedAt"].replace("Z", "+00:00")).timestamp()
    latencies.append(finished - requested)
    print(f"cancel {trial}: {job['status']} {1000 * (finished - requested):.0f} ms after the request")
if latencies:
    latencies.sort()
    print(f"cancel latency median {1000 * latencies[len(latencies) // 2]:.0f} ms over {len(latencies)} jobs")

#!/usr/bin/env python3
"""Trains a Fashion-MNIST ensemble job through a running Trainyard service and prints the test
accuracy of each member and of the ensemble the job registers (probability averaging).

  /usr/bin/python3 src/test/bench/fashion_ensemble.py --host http://127.0.0.1:18080 --key ty_... \
      [--spec FILE] [--members 5] [--epochs 5] [--cancel-trials 3] [--data /usr/share/datasets/fashion-mnist]

src/test/bench/fashion_ensemble.sh and fashion_resnet.sh start a service with an in-memory database
and run this. Standard library only. Without --spec the job is the engine's mlp workload
(784-512-256-10 with batch norm, ReLU and dropout 0.5, He init, SGD momentum 0.9, lr 0.05, batch
128), standardized inputs; --spec FILE submits that job spec instead (everything but datasetId and
testDatasetId, which this script adds), with --members and --epochs overriding the file's only
when given.
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
ap.add_argument("--spec", help="a job spec file without datasetId and testDatasetId")
ap.add_argument("--members", type=int, help="default: the spec file's, else 5")
ap.add_argument("--epochs", type=int, help="default: the spec file's, else 5")
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


started = time.time()
train = upload("fashion-train", "train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte.gz")
test = upload("fashion-test", "t10k-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz")
print(f"uploaded both splits in {time.time() - started:.0f} s", file=sys.stderr)
layers = [{"type": "flatten"}, {"type": "dense", "units": 512}, {"type": "batch_norm"}, {"type": "relu"},
          {"type": "dropout", "rate": 0.5}, {"type": "dense", "units": 256}, {"type": "batch_norm"},
          {"type": "relu"}, {"type": "dropout", "rate": 0.5}, {"type": "dense", "units": 10}]
spec = {"name": "fashion-mlp-ensemble", "datasetId": train, "testDatasetId": test, "seed": 42,
        "preprocessing": {"method": "standardize"},
        "model": {"init": {"method": "he_normal"}, "layers": layers},
        "training": {"epochs": 5, "batchSize": 128,
                     "optimizer": {"type": "sgd", "learningRate": 0.05, "momentum": 0.9},
                     "schedule": {"type": "constant"}},
        "ensemble": {"members": 5}}
if a.spec:
    with open(a.spec) as f:
        spec = json.load(f)
    spec.update(datasetId=train, testDatasetId=test)
if a.members is not None:
    spec["ensemble"] = dict(spec.get("ensemble", {}), members=a.members)
if a.epochs is not None:
    spec["training"] = dict(spec.get("training", {}), epochs=a.epochs)
members_wanted = spec.get("ensemble", {}).get("members", 1)
job = call("POST", "/api/v1/jobs", spec)
shown = None
while job["status"] in ("QUEUED", "RUNNING"):
    time.sleep(2)
    job = call("GET", "/api/v1/jobs/" + job["id"])
    p = job["progress"]
    line = f"{job['status']} member {p['member']}/{p['members']} epoch {p['epoch']}/{p['epochs']}"
    if line != shown:
        print(f"{time.time() - started:6.0f} s  {line}", file=sys.stderr, flush=True)
        shown = line
if job["status"] != "SUCCEEDED":
    sys.exit(f"job {job['id']} ended {job['status']}: {job.get('error')}")
ensemble = call("GET", "/api/v1/ensembles/" + job["ensembleId"])
members = ensemble["metrics"]["memberTestAccuracies"]
epochs = call("GET", f"/api/v1/jobs/{job['id']}/metrics")
for i, model_id in enumerate(job["modelIds"]):
    model = call("GET", "/api/v1/models/" + model_id)
    rows = [e for e in epochs if e["member"] == model["member"]]
    seconds = sum(e["seconds"] for e in rows)
    rates = sorted(e["samplesPerSecond"] for e in rows)
    print(f"member {i} (seed {model['seed']}): test accuracy {members[i]:.4f}; {len(rows)} epochs in "
          f"{seconds:.0f} s, median {rates[len(rates) // 2] if rates else 0:.0f} training samples/s")
acc = ensemble["metrics"]["testAccuracy"]
print(f"ensemble of {len(members)} (average of probabilities): test accuracy {acc:.4f}; "
      f"best member {max(members):.4f}; mean member {sum(members) / len(members):.4f}")
print(f"job {job['id']}: {members_wanted} members, {len(epochs)} epochs in all, {time.time() - started:.0f} s "
      f"from the first upload to the ensemble")
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

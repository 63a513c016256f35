"""The lecture's claims on Fashion-MNIST through the service's presets (GET /api/v1/experiments/presets).

Uploads the first --train training examples and the first --test test examples as IDX datasets, asks
for the presets, shortens each one's schedule (--epochs ID=N, --repeats), posts it as it is otherwise,
waits for it, and writes the measured tables as Markdown (lecture.md) and every experiment's view,
job metrics and diagnostics as JSON (lecture.json) into --out. Standard library only.
"""
import argparse
import gzip
import json
import math
import os
import statistics
import struct
import sys
import time
import urllib.error
import urllib.request
import uuid


class Api:
    def __init__(self, host, key):
        self.host = host.rstrip("/")
        self.key = key

    def call(self, method, path, body=None, content_type="application/json"):
        data = None
        headers = {"X-API-Key": self.key}
        if body is not None:
            data = body if isinstance(body, bytes) else json.dumps(body).encode()
            headers["Content-Type"] = content_type
        request = urllib.request.Request(self.host + path, data=data, method=method, headers=headers)
        try:
            with urllib.request.urlopen(request, timeout=120) as response:
                return json.loads(response.read())
        except urllib.error.HTTPError as e:
            sys.exit(f"{method} {path}: {e.code} {e.read().decode()}")

    def upload_idx(self, name, images, labels):
        boundary = uuid.uuid4().hex
        parts = []
        for field, filename, content in (("images", name + "-images-idx3-ubyte", images),
                                         ("labels", name + "-labels-idx1-ubyte", labels)):
            parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{field}"; filename="{filename}"\r\n'
                         f"Content-Type: application/octet-stream\r\n\r\n".encode() + content + b"\r\n")
        parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="name"\r\n\r\n{name}\r\n'.encode())
        body = b"".join(parts) + f"--{boundary}--\r\n".encode()
        return self.call("POST", "/api/v1/datasets", body, "multipart/form-data; boundary=" + boundary)


def first_examples(data, kind, count):
    """The first `count` examples of a gzipped IDX pair as uncompressed IDX bytes."""
    with gzip.open(os.path.join(data, f"{kind}-images-idx3-ubyte.gz")) as f:
        magic, n, rows, cols = struct.unpack(">IIII", f.read(16))
        count = min(count, n)
        images = struct.pack(">IIII", magic, count, rows, cols) + f.read(count * rows * cols)
    with gzip.open(os.path.join(data, f"{kind}-labels-idx1-ubyte.gz")) as f:
        magic, n = struct.unpack(">II", f.read(8))
        labels = struct.pack(">II", magic, count) + f.read(count)
    return images, labels


def mean_std(values):
    values = [v for v in values if v is not None]
    if not values:
        return "n/a"
    if len(values) == 1:
        return f"{100 * values[0]:.2f}"
    return f"{100 * statistics.mean(values):.2f} ± {100 * statistics.stdev(values):.2f}"


def job_values(api, job_ids):
    """Per job: the view, the metrics rows and the diagnostics rows."""
    jobs = []
    for j in job_ids:
        jobs.append({"id": j, "job": api.call("GET", f"/api/v1/jobs/{j}"),
                     "metrics": api.call("GET", f"/api/v1/jobs/{j}/metrics"),
                     "diagnostics": api.call("GET", f"/api/v1/jobs/{j}/diagnostics")})
    return jobs


def test_accuracies(trial):
    return [j["job"]["summary"]["testAccuracy"] for j in trial["jobs"] if j["job"]["status"] == "SUCCEEDED"]


def best_val(trial):
    return [j["job"]["summary"]["bestValAccuracy"] for j in trial["jobs"] if j["job"]["status"] == "SUCCEEDED"]


def cell(trial, values):
    """Mean ± std of the jobs that succeeded, and how many of the trial's jobs failed and why."""
    failed = [j for j in trial["jobs"] if j["job"]["status"] == "FAILED"]
    if not failed:
        return mean_std(values)
    why = "diverged" if all("diverged" in json.dumps(j["job"].get("error")) for j in failed) else "failed"
    note = f"{len(failed)}/{len(trial['jobs'])} {why}"
    return note if len(failed) == len(trial["jobs"]) else f"{mean_std(values)} ({note})"


def value_index(preset, path, value):
    for p in preset["request"]["parameters"]:
        if p["path"] == path:
            return p["values"].index(value)
    raise KeyError(path)


def tables(preset, done):
    pid = preset["id"]
    trials = done["trials"]
    out = []
    if pid == "preprocessing":
        nets = ["CNN-1", "CNN-2", "CNN-3"]
        grid = {}
        for t in trials:
            grid[(t["parameters"]["/preprocessing/method"],
                  value_index(preset, "/model/layers", t["parameters"]["/model/layers"]))] = t
        for metric, f in (("test accuracy (%)", test_accuracies), ("best validation accuracy (%)", best_val)):
            out.append(f"{metric}, mean ± std over seeds\n")
            out.append("| preprocessing | " + " | ".join(nets) + " |")
            out.append("|---|" + "---|" * len(nets))
            for method in ("none", "mean_subtraction", "standardize", "min_max"):
                out.append(f"| {method} | " + " | ".join(cell(grid[(method, n)], f(grid[(method, n)]))
                                                        for n in range(len(nets))) + " |")
            out.append("")
    elif pid == "initialization":
        out.append("per-layer activation std after epoch 1 (hidden layers 1..10, mean over seeds; "
                   "probe batch of 256 training examples), and accuracies (%)\n")
        out.append("| network | init | " + " | ".join(f"L{i}" for i in range(1, 11))
                   + " | best val acc | test acc |")
        out.append("|---|---|" + "---|" * 12)
        for t in trials:
            net = "tanh" if '"tanh"' in json.dumps(t["parameters"]["/model/layers"]) else "relu"
            init = t["parameters"]["/model/init"]
            name = init["method"] + (f" {init.get('value', init.get('std'))}" if len(init) > 1 else "")
            stds = []
            for layer in range(1, 11):
                values = []
                for j in t["jobs"]:
                    rows = [d for d in j["diagnostics"] if d["member"] == 0 and d["epoch"] == 1]
                    if rows:
                        acts = [a for a in rows[0]["activations"] if a["kind"] in ("tanh", "relu")]
                        values.append(acts[layer - 1]["std"])
                stds.append(f"{statistics.mean(values):.3g}" if values else "n/a")
            out.append(f"| {net} | {name} | " + " | ".join(stds) + f" | {cell(t, best_val(t))} | "
                       f"{cell(t, test_accuracies(t))} |")
        out.append("")
    elif pid == "batch_norm":
        grid = {}
        for t in trials:
            grid[(value_index(preset, "/model/layers", t["parameters"]["/model/layers"]),
                  t["parameters"]["/training/optimizer/learningRate"])] = t
        rates = sorted({k[1] for k in grid})
        out.append("test accuracy (%) by SGD learning rate (momentum 0.9), mean ± std over seeds\n")
        out.append("| learning rate | without batch norm | with batch norm |")
        out.append("|---|---|---|")
        for lr in rates:
            out.append(f"| {lr} | {cell(grid[(0, lr)], test_accuracies(grid[(0, lr)]))} | "
                       f"{cell(grid[(1, lr)], test_accuracies(grid[(1, lr)]))} |")
        out.append("")
    elif pid == "dropout":
        out.append("accuracies (%) of the last epoch, mean ± std over seeds; gap = train - validation\n")
        out.append("| rate | variant | train acc | val acc | gap | best val acc | test acc |")
        out.append("|---|---|---|---|---|---|---|")
        for t in trials:
            rate = next(v for k, v in t["parameters"].items() if k.endswith("/rate"))
            variant = next(v for k, v in t["parameters"].items() if k.endswith("/variant"))
            last = [j["metrics"][-1] for j in t["jobs"] if j["metrics"]]
            train = [r["trainAccuracy"] for r in last]
            val = [r["valAccuracy"] for r in last]
            gap = [a - b for a, b in zip(train, val)]
            out.append(f"| {rate} | {variant} | {mean_std(train)} | {mean_std(val)} | {mean_std(gap)} | "
                       f"{cell(t, best_val(t))} | {cell(t, test_accuracies(t))} |")
        out.append("")
    elif pid == "drop_block":
        out.append("accuracies (%), mean ± std over seeds\n")
        out.append("| regularizer | train acc (last epoch) | best val acc | test acc |")
        out.append("|---|---|---|---|")
        for t in trials:
            layer = next(iter(t["parameters"].values()))
            name = layer["type"] + "".join(f" {k} {v}" for k, v in layer.items() if k != "type")
            train = [j["metrics"][-1]["trainAccuracy"] for j in t["jobs"] if j["metrics"]]
            out.append(f"| {name} | {mean_std(train)} | {cell(t, best_val(t))} | {cell(t, test_accuracies(t))} |")
        out.append("")
    elif pid == "ensemble":
        out.append("test accuracy (%) of the ensemble (averaged probabilities), mean ± std over seeds\n")
        out.append("| members | test acc | best val acc (best member) |")
        out.append("|---|---|---|")
        for t in trials:
            out.append(f"| {t['parameters']['/ensemble/members']} | {cell(t, test_accuracies(t))} | "
                       f"{cell(t, best_val(t))} |")
        out.append("")
    return "\n".join(out)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--host")
    parser.add_argument("--key")
    parser.add_argument("--data")
    parser.add_argument("--out")
    parser.add_argument("--train", type=int, default=10000)
    parser.add_argument("--test", type=int, default=10000)
    parser.add_argument("--repeats", type=int, default=2)
    parser.add_argument("--epochs", action="append", default=[], help="ID=N: that preset's epochs")
    parser.add_argument("--only", default="", help="comma-separated preset ids (default: all)")
    parser.add_argument("--render", help="print the tables of a lecture.json written before; runs nothing")
    args = parser.parse_args()
    if args.render:
        with open(args.render) as f:
            for r in json.load(f):
                print(f"### {r['preset']['id']}\n\n" + tables(r["preset"], r["experiment"]))
        return
    epochs = dict(e.split("=") for e in args.epochs)
    api = Api(args.host, args.key)
    os.makedirs(args.out, exist_ok=True)

    train = api.upload_idx(f"fashion-train-{args.train}", *first_examples(args.data, "train", args.train))
    test = api.upload_idx(f"fashion-test-{args.test}", *first_examples(args.data, "t10k", args.test))
    presets = api.call("GET", f"/api/v1/experiments/presets?datasetId={train['id']}&testDatasetId={test['id']}")
    only = [s for s in args.only.split(",") if s]
    results = []
    report = [f"training examples: {train['examples']} (the first of Fashion-MNIST's training set), test examples: "
              f"{test['examples']}, repeats (seeds): {args.repeats}\n"]
    for preset in presets:
        if only and preset["id"] not in only:
            continue
        request = preset["request"]
        if preset["id"] in epochs:
            request["baseSpec"]["training"]["epochs"] = int(epochs[preset["id"]])
        request["repeats"] = args.repeats
        started = time.time()
        experiment = api.call("POST", "/api/v1/experiments", request)
        while True:
            done = api.call("GET", f"/api/v1/experiments/{experiment['id']}")
            if done["status"] not in ("QUEUED", "RUNNING"):
                break
            time.sleep(2)
        seconds = time.time() - started
        for t in done["trials"]:
            t["jobs"] = job_values(api, t["jobIds"])
        section = (f"### {preset['id']}\n\nexperiment {done['id']}: {done['status']}, "
                   f"{request['baseSpec']['training']['epochs']} epochs, {len(done['trials'])} trials x "
                   f"{args.repeats} seeds, {seconds / 60:.1f} min\n\n" + tables(preset, done))
        print(section, flush=True)
        report.append(section)
        results.append({"preset": preset, "experiment": done, "seconds": seconds})
        with open(os.path.join(args.out, "lecture.json"), "w") as f:
            json.dump(results, f, indent=1)
        with open(os.path.join(args.out, "lecture.md"), "w") as f:
            f.write("\n".join(report))


if __name__ == "__main__":
    main()

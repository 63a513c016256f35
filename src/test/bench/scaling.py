#!/usr/bin/env python3
"""One row of the N = 1, 2, 3 scaling table (src/test/bench/scaling.sh runs it inside cluster.sh N):
training throughput and prediction throughput of a cluster of N Trainyard instances on one
PostgreSQL database, with what the database did meanwhile. Prints one JSON object on stdout.

Training: uploads Fashion-MNIST's training set once, submits --jobs single-member jobs of an mlp
at once, spread over the instances in turn, and times them from the first submission to the last
SUCCEEDED; throughput is the samples every member trained over that wall time. While they run it
notes which instance trains each member (training_members.owner).

Predictions: imports one bench `mlp` model (make_bench_model.py) and runs wrk against every
instance at once, --connections split evenly over them, after a warm-up of the same load. Per-key
rate limits are off (cluster.sh): with them on, each instance settles with the shared bucket at
least every 1 % of its tokens (DatabaseRateLimitBuckets), a transaction this measures without.

Database: transactions committed, rows written and bytes grown (pg_stat_database, pg_database_size)
over each phase: per trained epoch, and per second while predictions are served (predictions
write nothing; what commits then is each instance's background work, its schedulers' polls and
heartbeats and the model-cache check).

Standard library only, plus wrk and psql. The cluster comes from cluster.sh's environment
(CLUSTER_URLS, CLUSTER_KEY, CLUSTER_PSQL, CLUSTER_DB, CLUSTER_WORK).
"""
import argparse
import json
import os
import re
import shlex
import subprocess
import sys
import time
import urllib.error
import urllib.request

ap = argparse.ArgumentParser()
ap.add_argument("--data", default=os.environ.get("FASHION_MNIST_DIR", "/usr/share/datasets/fashion-mnist"))
ap.add_argument("--jobs", type=int, default=6)
ap.add_argument("--epochs", type=int, default=3)
ap.add_argument("--hidden", type=int, default=512, help="units of the mlp's hidden layer")
ap.add_argument("--connections", type=int, default=32, help="wrk connections over all instances")
ap.add_argument("--warmup", type=int, default=60,
                help="seconds of prediction load before the measurement, per instance (N instances share the cores"
                     " while their JIT compilers warm up)")
ap.add_argument("--duration", type=int, default=20, help="seconds of measured prediction load")
a = ap.parse_args()

URLS = os.environ["CLUSTER_URLS"].split()
KEY = os.environ["CLUSTER_KEY"]
PSQL = shlex.split(os.environ["CLUSTER_PSQL"])
DB = os.environ["CLUSTER_DB"]
WORK = os.environ["CLUSTER_WORK"]
HERE = os.path.dirname(os.path.abspath(__file__))
T0 = time.monotonic()


def say(message):
    print(f"{time.monotonic() - T0:7.1f} s  {message}", file=sys.stderr, flush=True)


def call(method, url, body=None, content_type="application/json", data=None):
    payload = data if data is not None else (None if body is None else json.dumps(body).encode())
    req = urllib.request.Request(url, data=payload, method=method,
                                 headers={"X-API-Key": KEY, "Content-Type": content_type})
    try:
        with urllib.request.urlopen(req, timeout=300) as r:
            return json.loads(r.read() or b"null")
    except urllib.error.HTTPError as e:
        raise SystemExit(f"{method} {url}: {e.code} {e.read()[:500].decode(errors='replace')}")


def curl_json(*args):
    out = subprocess.run(["curl", "-fsS", "-H", f"X-API-Key: {KEY}", *args], check=True, capture_output=True)
    return json.loads(out.stdout)


def sql(query):
    return subprocess.run(PSQL + ["-At", "-F", "\t", "-c", query], check=True, capture_output=True,
                          text=True).stdout.strip()


def database_counters():
    """Commits, rows inserted + updated + deleted, and size in bytes of the cluster's database."""
    row = sql(f"SELECT xact_commit, tup_inserted + tup_updated + tup_deleted, pg_database_size('{DB}') "
              f"FROM pg_stat_database WHERE datname = '{DB}'")
    return [int(v) for v in row.split("\t")]


def counters_after(before, pause=1.0):
    # pg_stat_database is updated by each backend when it goes idle, at most every second or so
    time.sleep(pause)
    after = database_counters()
    return {"commits": after[0] - before[0], "rows": after[1] - before[1], "bytes": after[2] - before[2]}


def find(name):
    for candidate in (name, name + ".gz", name[:-3] if name.endswith(".gz") else None):
        if candidate and os.path.exists(os.path.join(a.data, candidate)):
            return os.path.join(a.data, candidate)
    raise SystemExit(f"{name} not in {a.data} (Debian package dataset-fashion-mnist)")


def job_spec(index, dataset):
    return {"name": f"scaling-{index}", "datasetId": dataset, "seed": 2000 + index, "validationFraction": 0.1,
            "preprocessing": {"method": "standardize"},
            "model": {"init": {"method": "he_normal"},
                      "layers": [{"type": "flatten"}, {"type": "dense", "units": a.hidden}, {"type": "batch_norm"},
                                 {"type": "relu"}, {"type": "dropout", "rate": 0.2}, {"type": "dense", "units": 10}]},
            "training": {"epochs": a.epochs, "batchSize": 64,
                         "optimizer": {"type": "sgd", "learningRate": 0.05, "momentum": 0.9}}}


def train():
    dataset = curl_json("-F", "name=fashion-train", "-F", f"images=@{find('train-images-idx3-ubyte.gz')}",
                        "-F", f"labels=@{find('train-labels-idx1-ubyte.gz')}", URLS[0] + "/api/v1/datasets")
    rows = dataset["examples"]
    train_rows = rows - round(rows * 0.1)
    say(f"dataset of {rows} rows uploaded; {a.jobs} jobs x {a.epochs} epochs of mlp 784-{a.hidden}-10")
    before = database_counters()
    start = time.monotonic()
    ids = [call("POST", URLS[i % len(URLS)] + "/api/v1/jobs", job_spec(i, dataset["id"]))["id"]
           for i in range(a.jobs)]
    owners = {}
    while True:
        for job, owner in (line.split("\t") for line in sql(
                "SELECT job_id, owner FROM training_members WHERE owner IS NOT NULL").splitlines() if line):
            owners.setdefault(job, owner)
        states = sql("SELECT status, count(*) FROM training_jobs GROUP BY status")
        counts = dict(line.split("\t") for line in states.splitlines() if line)
        if any(s in counts for s in ("FAILED", "CANCELLED")):
            raise SystemExit(f"a job did not succeed: {counts}")
        if counts.get("SUCCEEDED") == str(a.jobs):
            break
        time.sleep(0.25)
    wall = time.monotonic() - start
    database = counters_after(before)
    views = [call("GET", URLS[0] + f"/api/v1/jobs/{job}") for job in ids]
    per_job = [v["summary"]["samplesPerSecond"] for v in views]
    epochs = a.jobs * a.epochs
    say(f"training: {wall:.1f} s wall; members per instance {sorted(owners.values())}")
    return {"jobs": a.jobs, "epochs": a.epochs, "trainRows": train_rows, "wallSeconds": round(wall, 2),
            "samplesPerSecond": round(epochs * train_rows / wall),
            "meanJobSamplesPerSecond": round(sum(per_job) / len(per_job)),
            "membersPerInstance": {o: list(owners.values()).count(o) for o in sorted(set(owners.values()))},
            "database": database,
            "databasePerEpoch": {k: round(v / epochs) for k, v in database.items()}}


WRK_LUA = """
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.headers["X-API-Key"] = "{key}"
wrk.body = '{body}'
done = function(summary, latency, requests)
    io.write(string.format("RESULT %d %d %.3f %.3f %d\\n", summary.requests, summary.duration,
        latency:percentile(50) / 1000, latency:percentile(99) / 1000,
        summary.errors.status + summary.errors.connect + summary.errors.read + summary.errors.write
            + summary.errors.timeout))
end
"""


def wrk_all(lua, model, seconds):
    """wrk against every instance at once; their summed requests/s, the worst p99, errors."""
    shares = [a.connections // len(URLS) + (1 if i < a.connections % len(URLS) else 0) for i in range(len(URLS))]
    threads = "-t2" if len(URLS) == 1 else "-t1"  # wrk threads: 2, 2, 3 for N = 1, 2, 3
    procs = [subprocess.Popen(["wrk", threads, f"-c{c}", f"-d{seconds}s", "--latency", "-s", lua,
                               f"{url}/api/v1/models/{model}/predictions"], stdout=subprocess.PIPE, text=True)
             for url, c in zip(URLS, shares)]
    results = []
    for p in procs:
        out, _ = p.communicate()
        m = re.search(r"RESULT (\d+) (\d+) ([\d.]+) ([\d.]+) (\d+)", out)
        if p.returncode != 0 or not m:
            raise SystemExit(f"wrk failed: {out}")
        results.append([float(v) for v in m.groups()])
    return {"requestsPerSecond": round(sum(r[0] / (r[1] / 1e6) for r in results)),
            "perInstance": [round(r[0] / (r[1] / 1e6)) for r in results],
            "p50Ms": round(max(r[2] for r in results), 2), "p99Ms": round(max(r[3] for r in results), 2),
            "errors": int(sum(r[4] for r in results)), "connections": shares}


def predict():
    weights = os.path.join(WORK, "bench.safetensors")
    subprocess.run(["/usr/bin/python3", os.path.join(HERE, "make_bench_model.py"), weights, "1"], check=True)
    spec = {"layers": [{"type": "flatten"}, {"type": "dense", "units": 512}, {"type": "batch_norm"},
                       {"type": "relu"}, {"type": "dropout", "rate": 0.2}, {"type": "dense", "units": 256},
                       {"type": "batch_norm"}, {"type": "relu"}, {"type": "dropout", "rate": 0.2},
                       {"type": "dense", "units": 10}],
            "featureShape": [1, 28, 28], "classes": [str(c) for c in range(10)],
            "preprocessing": {"method": "min_max", "statistics": {"min": [0], "max": [255]}, "perChannel": True}}
    model = curl_json("-F", f"weights=@{weights}", "-F", f"spec={json.dumps(spec)};type=application/json",
                      URLS[0] + "/api/v1/models/import")["id"]
    body = json.dumps({"instances": [[(i * 37) % 256 for i in range(784)]]})
    lua = os.path.join(WORK, "predict.lua")
    with open(lua, "w") as f:
        f.write(WRK_LUA.format(key=KEY, body=body))
    warmup = a.warmup * len(URLS)
    say(f"predictions: {warmup} s warm-up, then {a.duration} s measured, {a.connections} connections")
    wrk_all(lua, model, warmup)
    before = database_counters()
    result = wrk_all(lua, model, a.duration)
    database = counters_after(before)
    result["database"] = database
    result["databaseCommitsPerSecond"] = round(database["commits"] / a.duration, 1)
    say(f"predictions: {result['requestsPerSecond']} requests/s, p99 {result['p99Ms']} ms")
    return result


def main():
    cpu = subprocess.run(["lscpu"], capture_output=True, text=True).stdout
    model_name = re.search(r"Model name:\s*(.*)", cpu).group(1).strip()
    result = {"instances": len(URLS), "cpu": f"{model_name}, {os.cpu_count()} cores",
              "training": train(), "predictions": predict()}
    print(json.dumps(result), flush=True)


main()

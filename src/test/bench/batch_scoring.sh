#!/usr/bin/env bash
# Batch scoring throughput: uploads the Fashion-MNIST IDX files, trains the `mlp` (784-512-256-10
# with batch norm, ReLU and dropout, standardized inputs) for EPOCHS epochs (default 1; the
# accuracy is not the point), then scores the 60k training set and the 10k test set with
# POST /api/v1/models/{id}/batch-predictions, ROUNDS times each (default 3; the first round also
# warms the JIT up). Per run it prints the server's own figure (rowsPerSecond: rows over the time
# the worker spent on the batch, model loading included, queueing not), the end-to-end rows/s from
# the submission to the last byte of the downloaded CSV results, and the accuracy.
#
#   src/test/bench/batch_scoring.sh                  # ROUNDS=5 EPOCHS=2 ... to change them
#   CHUNK_ROWS=8192 src/test/bench/batch_scoring.sh  # trainyard.batch-predictions.chunk-rows
#
# Starts the service as src/test/bench/service.sh says (in-memory H2; JAVA_OPTS adds JVM flags,
# NO_BUILD=1 reuses the jar). Needs the Debian package dataset-fashion-mnist.
set -euo pipefail
cd "$(dirname "$0")/../../.."
. src/test/bench/service.sh
DATA="${FASHION_MNIST_DIR:-/usr/share/datasets/fashion-mnist}"
if [ ! -d "$DATA" ]; then
    apt-get update -qq && apt-get install -y -qq dataset-fashion-mnist > /dev/null
fi
start_service ${CHUNK_ROWS:+--trainyard.batch-predictions.chunk-rows="$CHUNK_ROWS"}

/usr/bin/python3 - "$HOST" "$KEY" "$DATA" "${EPOCHS:-1}" "${ROUNDS:-3}" << 'PY'
import json, os, sys, time, urllib.error, urllib.request, uuid

host, key, data, epochs, rounds = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4]), int(sys.argv[5])


def call(method, path, body=None, content_type="application/json", raw=False):
    payload = body if isinstance(body, (bytes, type(None))) else json.dumps(body).encode()
    request = urllib.request.Request(host + path, data=payload, method=method,
                                     headers={"X-API-Key": key, "Content-Type": content_type})
    try:
        with urllib.request.urlopen(request, timeout=600) as r:
            if raw:
                size = 0
                while chunk := r.read(1 << 20):
                    size += len(chunk)
                return size
            return json.loads(r.read() or b"null")
    except urllib.error.HTTPError as e:
        sys.exit(f"{method} {path}: {e.code} {e.read().decode(errors='replace')}")


def upload(name, images, labels):
    boundary = uuid.uuid4().hex
    parts = [f'--{boundary}\r\nContent-Disposition: form-data; name="name"\r\n\r\n{name}\r\n'.encode()]
    for field, file in (("images", images), ("labels", labels)):
        path = os.path.join(data, file)
        if not os.path.exists(path):
            path = path[:-3] if path.endswith(".gz") else path + ".gz"
        with open(path, "rb") as f:
            content = f.read()
        parts.append((f'--{boundary}\r\nContent-Disposition: form-data; name="{field}"; '
                      f'filename="{os.path.basename(path)}"\r\nContent-Type: application/octet-stream\r\n\r\n')
                     .encode() + content + b"\r\n")
    parts.append(f"--{boundary}--\r\n".encode())
    return call("POST", "/api/v1/datasets", b"".join(parts), "multipart/form-data; boundary=" + boundary)["id"]


def wait(path, done):
    while True:
        answer = call("GET", path)
        if done(answer):
            return answer
        time.sleep(0.02)


train = upload("fashion-train", "train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte.gz")
test = upload("fashion-test", "t10k-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz")
layers = [{"type": "flatten"}, {"type": "dense", "units": 512}, {"type": "batch_norm"}, {"type": "relu"},
          {"type": "dropout", "rate": 0.5}, {"type": "dense", "units": 256}, {"type": "batch_norm"},
          {"type": "relu"}, {"type": "dropout", "rate": 0.5}, {"type": "dense", "units": 10}]
spec = {"name": "fashion-mlp", "datasetId": train, "seed": 42, "validationFraction": 0,
        "preprocessing": {"method": "standardize"},
        "model": {"init": {"method": "he_normal"}, "layers": layers},
        "training": {"epochs": epochs, "batchSize": 128,
                     "optimizer": {"type": "sgd", "learningRate": 0.05, "momentum": 0.9}}}
started = time.time()
job = call("POST", "/api/v1/jobs", spec)["id"]
job = wait(f"/api/v1/jobs/{job}", lambda j: j.get("finishedAt"))
if job["status"] != "SUCCEEDED":
    sys.exit(f"training failed: {job}")
model = job["modelIds"][0]
print(f"trained the mlp for {epochs} epoch(s) in {time.time() - started:.0f} s; model {model}", flush=True)

for r in range(1, rounds + 1):
    for name, dataset in (("train", train), ("test", test)):
        t0 = time.perf_counter()
        batch = call("POST", f"/api/v1/models/{model}/batch-predictions", {"datasetId": dataset})
        batch = wait(f"/api/v1/batch-predictions/{batch['id']}", lambda b: b.get("finishedAt"))
        if batch["status"] != "SUCCEEDED":
            sys.exit(f"batch prediction failed: {batch}")
        size = call("GET", f"/api/v1/batch-predictions/{batch['id']}/results?format=csv", raw=True)
        seconds = time.perf_counter() - t0
        rows = batch["rowsDone"]
        print(f"RESULT round {r} {name} rows={rows} server_rows/s={batch['rowsPerSecond']:.0f} "
              f"end_to_end_rows/s={rows / seconds:.0f} end_to_end_s={seconds:.2f} csv_mb={size / 1e6:.1f} "
              f"accuracy={batch['accuracy']:.4f}", flush=True)
PY

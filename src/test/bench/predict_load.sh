#!/usr/bin/env bash
# Prediction load test: wrk at 32 connections against one imported `mlp` model (784-512-256-10 with
# batch norm and dropout, random weights: no training needed), one instance per request, then
# against an ensemble of 5 such models. Prints requests/s and the p50/p99 latencies.
#
#   src/test/bench/predict_load.sh [duration, default 20s] [warm-up per target, default 120s]
#   CONNECTIONS="8 16 32" src/test/bench/predict_load.sh   # one measurement per connection count
#
# The warm-up matters: C2 keeps compiling the request path for minutes after start-up. Profiled
# on this 2-core machine, the compiler threads still took 18 % of the service's CPU time 60 s
# into the load and about 1 % after 150 s; measured after a 40 s warm-up, the same build served
# 10-20 % fewer requests with a longer tail.
#
# Installs wrk (Debian package) when missing; starts the service as src/test/bench/service.sh says
# (rebuilds the jar first unless NO_BUILD=1; JAVA_OPTS adds JVM flags).
set -euo pipefail
cd "$(dirname "$0")/../../.."
DURATION="${1:-20s}"
WARMUP="${2:-120s}"
CONNECTIONS="${CONNECTIONS:-32}"
. src/test/bench/service.sh
if ! command -v wrk > /dev/null; then
    apt-get update -qq && apt-get install -y -qq wrk > /dev/null
fi
start_service

SPEC='{"layers": [{"type": "flatten"}, {"type": "dense", "units": 512}, {"type": "batch_norm"}, {"type": "relu"},
 {"type": "dropout", "rate": 0.2}, {"type": "dense", "units": 256}, {"type": "batch_norm"}, {"type": "relu"},
 {"type": "dropout", "rate": 0.2}, {"type": "dense", "units": 10}], "featureShape": [1, 28, 28],
 "classes": ["0", "1", "2", "3", "4", "5", "6", "7", "8", "9"],
 "preprocessing": {"method": "min_max", "statistics": {"min": [0], "max": [255]}, "perChannel": true}}'
import_model() {
    /usr/bin/python3 src/test/bench/make_bench_model.py "$WORK/m$1.safetensors" "$1"
    curl -fs -H "X-API-Key: $KEY" -F "weights=@$WORK/m$1.safetensors" -F "spec=$SPEC;type=application/json" \
        "$HOST/api/v1/models/import" | /usr/bin/python3 -c 'import json, sys; print(json.load(sys.stdin)["id"])'
}
MODELS=()
for seed in 1 2 3 4 5; do
    MODELS+=("$(import_model $seed)")
done
ENSEMBLE="$(curl -fs -H "X-API-Key: $KEY" -H 'Content-Type: application/json' \
    -d "{\"name\": \"bench\", \"modelIds\": [\"$(IFS=,; echo "${MODELS[*]}" | sed 's/,/","/g')\"]}" \
    "$HOST/api/v1/ensembles" | /usr/bin/python3 -c 'import json, sys; print(json.load(sys.stdin)["id"])')"

# one Fashion-MNIST-sized instance of pixel values 0..255
BODY="$(/usr/bin/python3 -c 'import json, random; r = random.Random(7); print(json.dumps({"instances": [[r.randrange(256) for _ in range(784)]]}))')"
cat > "$WORK/post.lua" << LUA
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.headers["X-API-Key"] = "$KEY"
wrk.body = '$BODY'
done = function(summary, latency, requests)
    io.write(string.format("RESULT requests/s=%.0f p50=%.2fms p99=%.2fms errors=%d\n",
        summary.requests / (summary.duration / 1e6), latency:percentile(50) / 1000, latency:percentile(99) / 1000,
        summary.errors.status + summary.errors.connect + summary.errors.read + summary.errors.write
            + summary.errors.timeout))
end
LUA

run() {
    local name="$1" url="$2"
    curl -fs -o /dev/null -H "X-API-Key: $KEY" -H 'Content-Type: application/json' -d "$BODY" "$url"
    wrk -t2 -c32 -d"$WARMUP" -s "$WORK/post.lua" "$url" > /dev/null # warm-up (JIT, model cache, replicas)
    for c in $CONNECTIONS; do
        echo "== $name: wrk -t2 -c$c -d$DURATION --latency"
        wrk -t2 -c"$c" -d"$DURATION" --latency -s "$WORK/post.lua" "$url" | grep -E "RESULT|Non-2xx"
    done
}
run "single mlp model" "$HOST/api/v1/models/${MODELS[0]}/predictions"
run "ensemble of 5 mlp models" "$HOST/api/v1/ensembles/$ENSEMBLE/predictions"

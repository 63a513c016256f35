#!/usr/bin/env bash
# Prediction load test: wrk at 32 connections against the floor of this machine's HTTP stack (GET /v2,
# the Open Inference Protocol's server metadata: authenticated, no database, a small JSON answer),
# then one imported `mlp` model (784-512-256-10 with batch norm and dropout, random weights: no
# training needed), one instance per request, then an ensemble of 5 such models. Prints requests/s
# and the p50/p99 latencies of each, each target's throughput as a fraction of the floor's, the
# service's user and system CPU seconds during each measurement, the young-generation bytes allocated
# per request and the GC pauses (Micrometer's JVM counters, which advance at each collection: about
# 5 % granularity over 20 s), and how well the prediction requests batched (forward passes and the
# member requests they served), all from /actuator/prometheus.
#
#   src/test/bench/predict_load.sh [duration, default 20s] [warm-up per target, default 120s]
#   CONNECTIONS="8 16 32" src/test/bench/predict_load.sh   # one measurement per connection count
#
# The warm-up matters: C2 keeps compiling the request path for minutes after start-up. Profiled
# on this 2-core machine, the compiler threads still took 18 % of the service's CPU time 60 s
# into the load and about 1 % after 150 s; measured after a 40 s warm-up, the same build served
# 10-20 % fewer requests with a longer tail.
#
# The request log's line per request is off (logging.level.dev.trainyard.http=WARN): GET /v2 logs
# one at INFO where a successful prediction logs at DEBUG, and a floor must not pay for a write the
# predictions skip. The forward passes' rows and time (trainyard_prediction_forward_rows_total,
# _time_seconds_total) give the wall-clock cost of a pass and of a row.
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
start_service --logging.level.dev.trainyard.http=WARN

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
    report(summary, latency)
end
LUA
cat > "$WORK/floor.lua" << LUA
wrk.method = "GET"
wrk.headers["X-API-Key"] = "$KEY"
done = function(summary, latency, requests)
    report(summary, latency)
end
LUA
for script in post floor; do
    cat >> "$WORK/$script.lua" << 'LUA'
function report(summary, latency)
    io.write(string.format("RESULT requests/s=%.0f p50=%.2fms p99=%.2fms errors=%d\n",
        summary.requests / (summary.duration / 1e6), latency:percentile(50) / 1000, latency:percentile(99) / 1000,
        summary.errors.status + summary.errors.connect + summary.errors.read + summary.errors.write
            + summary.errors.timeout))
end
LUA
done

# forward passes run for queued prediction requests and the requests they served, young-generation
# bytes allocated and GC pauses (the JVM counts allocation at each collection), and the rows and
# seconds of the forward passes, so far
forward_counts() {
    curl -fs -H "X-API-Key: $KEY" "$HOST/actuator/prometheus" \
        | awk '/^trainyard_prediction_forward_batches_total/ {b = $2} /^trainyard_prediction_forward_requests_total/ {r = $2}
            /^jvm_gc_memory_allocated_bytes_total/ {a = $2} /^jvm_gc_pause_seconds_count/ {p += $NF}
            /^trainyard_prediction_forward_rows_total/ {w = $2} /^trainyard_prediction_forward_time_seconds_total/ {t = $2}
            END {printf "%d %d %.0f %d %d %.6f\n", b, r, a, p, w, t}'
}
# user and system CPU seconds of the service so far (utime, stime of /proc/PID/stat)
cpu_seconds() {
    awk -v hz="$(getconf CLK_TCK)" '{print $14 / hz, $15 / hz}' "/proc/$SERVICE/stat"
}
FLOOR=""
run() {
    local name="$1" url="$2" script="$3" before after result
    curl -fs -o /dev/null -H "X-API-Key: $KEY" -H 'Content-Type: application/json' -d "$BODY" "$url" || true
    wrk -t2 -c32 -d"$WARMUP" -s "$WORK/$script.lua" "$url" > /dev/null # warm-up (JIT, model cache, replicas)
    for c in $CONNECTIONS; do
        echo "== $name: wrk -t2 -c$c -d$DURATION --latency"
        before="$(cpu_seconds) $(forward_counts)"
        result="$(wrk -t2 -c"$c" -d"$DURATION" --latency -s "$WORK/$script.lua" "$url" | grep -E "RESULT|Non-2xx")"
        after="$(cpu_seconds) $(forward_counts)"
        echo "$result"
        echo "$before $after" | awk '{printf "service CPU: user %.1f s, system %.1f s\n", $9 - $1, $10 - $2}'
        echo "$before $after" | awk -v d="$DURATION" -v line="$result" 'BEGIN {match(line, /requests\/s=[0-9]+/)
            rps = substr(line, RSTART + 11, RLENGTH - 11)} {n = rps * (d + 0)
            if (n > 0) printf "young-generation allocation: %.0f KB per request, %d GC pauses\n", ($13 - $5) / n / 1024, $14 - $6}'
        if [ "$script" = post ]; then
            echo "$before $after" | awk '{b = $11 - $3; r = $12 - $4
                if (b > 0) printf "forward passes: %d for %d member requests, %.2f requests per pass\n", b, r, r / b
                w = $15 - $7; t = $16 - $8
                if (b > 0 && w > 0) printf "forward pass: %.0f us each, %.1f us per row (%d rows)\n", t / b * 1e6, t / w * 1e6, w}'
        fi
        local rps
        rps="$(echo "$result" | sed -n 's/.*requests\/s=\([0-9]*\).*/\1/p')"
        if [ "$script" = floor ]; then
            FLOOR="$rps"
        elif [ -n "$FLOOR" ]; then
            echo "$rps $FLOOR" | awk '{printf "fraction of the floor: %.2f\n", $1 / $2}'
        fi
    done
}
echo "CPU: $(lscpu | sed -n 's/^Model name: *//p'), $(nproc) cores"
run "floor: GET /v2 (authenticated, trivial)" "$HOST/v2" floor
run "single mlp model" "$HOST/api/v1/models/${MODELS[0]}/predictions" post
run "ensemble of 5 mlp models" "$HOST/api/v1/ensembles/$ENSEMBLE/predictions" post

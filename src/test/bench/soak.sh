#!/usr/bin/env bash
# Soak test: one instance (on a fresh PostgreSQL database, through cluster.sh) trains a Fashion-MNIST
# job the whole time while wrk sends predictions at about 70 % of the capacity measured at the start
# (with the training running). Every minute it samples the heap after a full GC (jcmd GC.run, then
# jstat -gc), the JVM's threads and open file descriptors (/proc), the RSS, and the rate and p99
# latency of that minute's predictions. Prints every sample, then the first against the last, and
# exits non-zero when one grew past its tolerance:
#   heap after GC   last <= first * 1.25 + 16 MiB   (SOAK_HEAP_FACTOR, SOAK_HEAP_SLACK_MB)
#   threads         last <= first + 10               (SOAK_THREAD_SLACK)
#   open files      last <= first + 20               (SOAK_FD_SLACK)
#   p99 latency     last <= max(first * 2, first + 20 ms)   (SOAK_P99_FACTOR, SOAK_P99_SLACK_MS)
# The first sample is the end of the first minute of load, after the warm-up.
#
#   src/test/bench/soak.sh [minutes, default 20] [predictions/s, default: 70 % of the measured capacity]
#
# Environment: WARMUP (seconds of load before measuring, default 30), CONNECTIONS (wrk's for the
# warm-up and the capacity, default 8), LOAD_CONNECTIONS (for the held rate, default 64),
# PGHOST/PGPORT (the server cluster.sh uses, default 127.0.0.1:5432), NO_BUILD=1, JAVA.
set -euo pipefail
cd "$(dirname "$0")/../../.."
JAVA="${JAVA:-/usr/lib/jvm/temurin-25-jdk-amd64/bin/java}"
if [ "${1:-}" != --inside ]; then
    MINUTES="${1:-20}"
    export NO_BUILD="${NO_BUILD:-}" JAVA
    CLUSTER_DB=trainyard_soak CLUSTER_TIMEOUT=$((MINUTES * 60 + 600)) BASE_PORT="${BASE_PORT:-18300}" \
        exec src/test/bench/cluster.sh 1 "$(pwd)/src/test/bench/soak.sh" --inside "$MINUTES" "${2:-}"
fi
MINUTES="$2"
RATE="${3:-}"
CONNECTIONS="${CONNECTIONS:-8}"   # for the warm-up and the capacity (no pauses)
# holding the rate: enough connections that each waits ~10 ms between requests, since wrk's
# pauses are whole milliseconds
LOAD_CONNECTIONS="${LOAD_CONNECTIONS:-64}"
HOST="${CLUSTER_URLS%% *}"
PID="$(cat "$CLUSTER_WORK/node-1.pid")"
JCMD="$(dirname "$JAVA")/jcmd"
JSTAT="$(dirname "$JAVA")/jstat"
DATA="${FASHION_MNIST_DIR:-/usr/share/datasets/fashion-mnist}"
W="$CLUSTER_WORK/soak"
mkdir -p "$W"

api() {
    curl -sS --fail-with-body -H "X-API-Key: $CLUSTER_KEY" "$@"
}

DATASET=$(api -F name=fashion-train -F "images=@$DATA/train-images-idx3-ubyte.gz" \
    -F "labels=@$DATA/train-labels-idx1-ubyte.gz" "$HOST/api/v1/datasets" | jq -r .id)
JOB_SPEC="{\"name\": \"soak\", \"datasetId\": \"$DATASET\", \"seed\": 5, \"preprocessing\": {\"method\": \"standardize\"},
  \"model\": {\"layers\": [{\"type\": \"flatten\"}, {\"type\": \"dense\", \"units\": 128}, {\"type\": \"relu\"},
                          {\"type\": \"dense\", \"units\": 10}]},
  \"training\": {\"epochs\": 1000, \"batchSize\": 64, \"optimizer\": {\"type\": \"sgd\", \"learningRate\": 0.01}}}"
submit_job() {
    api -H 'Content-Type: application/json' -d "$JOB_SPEC" "$HOST/api/v1/jobs" | jq -r .id
}
JOB=$(submit_job)

# a small model to predict with: random weights, flatten -> 32 -> relu -> 10
/usr/bin/python3 - "$W/model.safetensors" << 'PY'
import json, random, struct, sys
r = random.Random(3)
shapes = {"1.weight": (32, 784), "1.bias": (32,), "3.weight": (10, 32), "3.bias": (10,)}
header, blobs, offset = {}, [], 0
for name, shape in shapes.items():
    n = shape[0] * (shape[1] if len(shape) == 2 else 1)
    data = struct.pack(f"<{n}f", *(r.gauss(0, 0.05) for _ in range(n)))
    header[name] = {"dtype": "F32", "shape": list(shape), "data_offsets": [offset, offset + len(data)]}
    blobs.append(data)
    offset += len(data)
text = json.dumps(header, separators=(",", ":")).encode()
text += b" " * ((8 - len(text) % 8) % 8)
open(sys.argv[1], "wb").write(struct.pack("<Q", len(text)) + text + b"".join(blobs))
PY
MODEL_SPEC='{"layers": [{"type": "flatten"}, {"type": "dense", "units": 32}, {"type": "relu"}, {"type": "dense", "units": 10}],
 "featureShape": [1, 28, 28], "classes": ["0", "1", "2", "3", "4", "5", "6", "7", "8", "9"],
 "preprocessing": {"method": "min_max", "statistics": {"min": [0], "max": [255]}, "perChannel": true}}'
MODEL=$(api -F "weights=@$W/model.safetensors" -F "spec=$MODEL_SPEC;type=application/json" \
    "$HOST/api/v1/models/import" | jq -r .id)
URL="$HOST/api/v1/models/$MODEL/predictions"
BODY="$(/usr/bin/python3 -c 'import json, random; r = random.Random(7); print(json.dumps({"instances": [[r.randrange(256) for _ in range(784)]]}))')"

# wrk with a fixed pause (ms) after each answer per connection: the way plain wrk holds a rate
wrk_script() {
    cat > "$W/post.lua" << LUA
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.headers["X-API-Key"] = "$CLUSTER_KEY"
wrk.body = '$BODY'
function delay() return $1 end
done = function(summary, latency, requests)
    local errors = summary.errors.status + summary.errors.connect + summary.errors.read + summary.errors.write
        + summary.errors.timeout
    io.write(string.format("RESULT %.1f %.2f %d\n", summary.requests / (summary.duration / 1e6),
        latency:percentile(99) / 1000, errors))
end
LUA
}
run_wrk() { # seconds, pause in ms, connections -> "requests/s p99-ms errors"
    wrk_script "$2"
    wrk -t2 -c"$3" -d"$1s" --timeout 10s -s "$W/post.lua" "$URL" | awk '/^RESULT/ { print $2, $3, $4 }'
}

echo "warming up for ${WARMUP:-30} s (job $JOB training meanwhile)" >&2
run_wrk "${WARMUP:-30}" 0 "$CONNECTIONS" > /dev/null
if [ -z "$RATE" ]; then
    read -r CAPACITY _ _ < <(run_wrk 15 0 "$CONNECTIONS")
    RATE=$(awk -v c="$CAPACITY" 'BEGIN { printf "%.0f", 0.7 * c }')
    echo "capacity with training running: $CAPACITY predictions/s; soaking at $RATE/s for $MINUTES min" >&2
else
    echo "soaking at $RATE predictions/s for $MINUTES min" >&2
fi
# rate = connections / (pause + latency): start from a pause that ignores latency, then correct it
# every minute by the difference between the rate wanted and the rate obtained
PAUSE=$(awk -v c="$LOAD_CONNECTIONS" -v r="$RATE" 'BEGIN { printf "%.0f", 1000 * c / r }')

sample() { # minute rate p99 errors
    "$JCMD" "$PID" GC.run > /dev/null
    local heap threads fds rss
    # used survivor, eden and old space in KiB, whatever the collector
    heap=$("$JSTAT" -gc "$PID" | awk 'NR == 1 { for (i = 1; i <= NF; i++) col[$i] = i }
        NR == 2 { print ($col["S0U"] + $col["S1U"] + $col["EU"] + $col["OU"]) / 1024 }')
    threads=$(ls "/proc/$PID/task" | wc -l)
    fds=$(ls "/proc/$PID/fd" | wc -l)
    rss=$(awk '/VmRSS/ { print $2 / 1024 }' "/proc/$PID/status")
    printf "%6s %10s %9s %6s %14.1f %8s %6s %8.0f\n" "$1" "$2" "$3" "$4" "$heap" "$threads" "$fds" "$rss"
    echo "$1 $2 $3 $4 $heap $threads $fds $rss" >> "$W/samples"
}
printf "%6s %10s %9s %6s %14s %8s %6s %8s\n" minute "preds/s" "p99 ms" errors "heap MiB (GC)" threads fds "RSS MiB"
for minute in $(seq 1 "$MINUTES"); do
    read -r got p99 errors < <(run_wrk 60 "$PAUSE" "$LOAD_CONNECTIONS")
    sample "$minute" "$got" "$p99" "$errors"
    PAUSE=$(awk -v p="$PAUSE" -v c="$LOAD_CONNECTIONS" -v want="$RATE" -v got="$got" \
        'BEGIN { p += 1000 * c / want - 1000 * c / (got > 0 ? got : want); printf "%.0f", p < 0 ? 0 : p }')
    status=$(api "$HOST/api/v1/jobs/$JOB" | jq -r .status)
    if [ "$status" != RUNNING ] && [ "$status" != QUEUED ]; then
        echo "job $JOB $status; submitting another" >&2
        JOB=$(submit_job)
    fi
done
api -X POST "$HOST/api/v1/jobs/$JOB/cancel" > /dev/null || true

read -r _ _ p99_0 _ heap_0 threads_0 fds_0 rss_0 < "$W/samples"
read -r _ _ p99_1 _ heap_1 threads_1 fds_1 rss_1 < <(tail -1 "$W/samples")
errors=$(awk '{ s += $4 } END { print s }' "$W/samples")
echo
echo "first minute vs last: heap after GC $heap_0 -> $heap_1 MiB, threads $threads_0 -> $threads_1, open files $fds_0 -> $fds_1, RSS $rss_0 -> $rss_1 MiB, p99 $p99_0 -> $p99_1 ms; $errors failed predictions"
verdict=0
judge() { # name ok limit
    if [ "$2" = 1 ]; then echo "  [ok]   $1 (limit $3)"; else echo "  [FAIL] $1 (limit $3)"; verdict=1; fi
}
limit=$(awk -v h="$heap_0" -v f="${SOAK_HEAP_FACTOR:-1.25}" -v s="${SOAK_HEAP_SLACK_MB:-16}" 'BEGIN { printf "%.1f", h * f + s }')
judge "heap after GC $heap_1 MiB" "$(awk -v a="$heap_1" -v l="$limit" 'BEGIN { print (a <= l) }')" "$limit MiB"
limit=$((threads_0 + ${SOAK_THREAD_SLACK:-10}))
judge "threads $threads_1" "$([ "$threads_1" -le "$limit" ] && echo 1 || echo 0)" "$limit"
limit=$((fds_0 + ${SOAK_FD_SLACK:-20}))
judge "open files $fds_1" "$([ "$fds_1" -le "$limit" ] && echo 1 || echo 0)" "$limit"
limit=$(awk -v p="$p99_0" -v f="${SOAK_P99_FACTOR:-2}" -v s="${SOAK_P99_SLACK_MS:-20}" 'BEGIN { a = p * f; b = p + s; printf "%.2f", (a > b ? a : b) }')
judge "p99 $p99_1 ms" "$(awk -v a="$p99_1" -v l="$limit" 'BEGIN { print (a <= l) }')" "$limit ms"
judge "failed predictions $errors" "$([ "$errors" = 0 ] && echo 1 || echo 0)" 0
exit "$verdict"

#!/usr/bin/env bash
# Prediction load test: wrk at 32 connections against one imported `mlp` model (784-512-256-10 with
# batch norm and dropout, random weights: no training needed), one instance per request, then
# against an ensemble of 5 such models. Prints requests/s and the p50/p99 latencies.
#
#   src/test/bench/predict_load.sh [duration, default 20s]
#
# Builds the jar when missing, installs wrk (Debian package) when missing, starts the service on
# port 18080 with an in-memory H2 database, a bootstrap key and no prediction rate limit.
# JAVA_OPTS (environment) adds JVM flags, e.g. JAVA_OPTS=-XX:StartFlightRecording=filename=/tmp/p.jfr
set -euo pipefail
cd "$(dirname "$0")/../../.."
DURATION="${1:-20s}"
PORT=18080
KEY="ty_be9c000000000001_load-test-key-only-for-this-benchmark-00000"
HOST="http://127.0.0.1:$PORT"
WORK="$(mktemp -d)"
JAVA="${JAVA:-/usr/lib/jvm/temurin-25-jdk-amd64/bin/java}"

if ! command -v wrk > /dev/null; then
    apt-get update -qq && apt-get install -y -qq wrk > /dev/null
fi
JAR="$(ls target/trainyard-*.jar 2> /dev/null | grep -v plain | head -1 || true)"
if [ -z "$JAR" ]; then
    ./mvnw -q -DskipTests package
    JAR="$(ls target/trainyard-*.jar | grep -v plain | head -1)"
fi

"$JAVA" ${JAVA_OPTS:-} --add-modules jdk.incubator.vector --enable-native-access=ALL-UNNAMED -XX:+UseParallelGC \
    -jar "$JAR" --server.port=$PORT \
    "--spring.datasource.url=jdbc:h2:mem:bench;MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH;DB_CLOSE_DELAY=-1" \
    --trainyard.security.bootstrap-api-key=$KEY \
    --trainyard.security.rate-limits.predictions-per-second=0 \
    --logging.level.root=WARN > "$WORK/service.log" 2>&1 &
SERVICE=$!
trap 'kill $SERVICE 2> /dev/null && wait $SERVICE 2> /dev/null; rm -rf "$WORK"' EXIT
for _ in $(seq 1 180); do
    curl -fs "$HOST/actuator/health" > /dev/null && break
    sleep 1
done

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
    wrk -t2 -c32 -d5s -s "$WORK/post.lua" "$url" > /dev/null # warm-up (JIT, model cache, replicas)
    echo "== $name: wrk -t2 -c32 -d$DURATION --latency"
    wrk -t2 -c32 -d"$DURATION" --latency -s "$WORK/post.lua" "$url" | grep -E "RESULT|Non-2xx"
}
run "single mlp model" "$HOST/api/v1/models/${MODELS[0]}/predictions"
run "ensemble of 5 mlp models" "$HOST/api/v1/ensembles/$ENSEMBLE/predictions"

#!/usr/bin/env bash
# A 5-member Fashion-MNIST `mlp` ensemble trained through the service, end to end: starts the
# packaged service (in-memory H2, a bootstrap key), uploads the IDX files, submits one job with
# "ensemble": {"members": 5}, waits for it, and prints each member's test accuracy and the
# ensemble's (probability averaging), from GET /api/v1/ensembles/{id}.
#
#   src/test/bench/ensemble_fashion.sh [epochs per member, default 2]
#
# Needs Debian's dataset-fashion-mnist (installed when missing) and a built jar (built when missing).
set -euo pipefail
cd "$(dirname "$0")/../.."
EPOCHS="${1:-2}"
PORT=18081
KEY="ty_e45e000000000001_ensemble-benchmark-key-only-for-this-script-0"
HOST="http://127.0.0.1:$PORT"
D="${FASHION_MNIST_DIR:-/usr/share/datasets/fashion-mnist}"
JAVA="${JAVA:-/usr/lib/jvm/temurin-25-jdk-amd64/bin/java}"
WORK="$(mktemp -d)"

if [ ! -d "$D" ]; then
    apt-get update -qq && apt-get install -y -qq dataset-fashion-mnist > /dev/null
fi
JAR="$(ls target/trainyard-*.jar 2> /dev/null | grep -v plain | head -1 || true)"
if [ -z "$JAR" ]; then
    ./mvnw -q -DskipTests package
    JAR="$(ls target/trainyard-*.jar | grep -v plain | head -1)"
fi
"$JAVA" --add-modules jdk.incubator.vector --enable-native-access=ALL-UNNAMED -jar "$JAR" --server.port=$PORT \
    "--spring.datasource.url=jdbc:h2:mem:ensemble;MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH;DB_CLOSE_DELAY=-1" \
    --trainyard.security.bootstrap-api-key=$KEY > "$WORK/service.log" 2>&1 &
SERVICE=$!
trap 'kill $SERVICE 2> /dev/null || true; rm -rf "$WORK"' EXIT
for _ in $(seq 1 180); do
    curl -fs "$HOST/actuator/health" > /dev/null && break
    sleep 1
done
field() { /usr/bin/python3 -c "import json, sys; print(json.load(sys.stdin)$1)"; }
upload() {
    curl -fs -H "X-API-Key: $KEY" -F "name=$1" -F "images=@$D/$2-images-idx3-ubyte.gz" \
        -F "labels=@$D/$2-labels-idx1-ubyte.gz" "$HOST/api/v1/datasets" | field '["id"]'
}
TRAIN="$(upload fashion-train train)"
TEST="$(upload fashion-test t10k)"
SPEC='{"name": "fashion-mlp-ensemble", "datasetId": "'$TRAIN'", "testDatasetId": "'$TEST'", "seed": 42,
 "preprocessing": {"method": "standardize"},
 "model": {"init": {"method": "he_normal"}, "layers": [{"type": "flatten"},
   {"type": "dense", "units": 512}, {"type": "batch_norm"}, {"type": "relu"}, {"type": "dropout", "rate": 0.5},
   {"type": "dense", "units": 256}, {"type": "batch_norm"}, {"type": "relu"}, {"type": "dropout", "rate": 0.5},
   {"type": "dense", "units": 10}]},
 "training": {"epochs": '$EPOCHS', "batchSize": 128,
   "optimizer": {"type": "sgd", "learningRate": 0.05, "momentum": 0.9}, "schedule": {"type": "constant"}},
 "ensemble": {"members": 5}}'
JOB="$(curl -fs -H "X-API-Key: $KEY" -H 'Content-Type: application/json' -d "$SPEC" "$HOST/api/v1/jobs" | field '["id"]')"
STATUS=""
for _ in $(seq 1 1800); do
    STATUS="$(curl -fs -H "X-API-Key: $KEY" "$HOST/api/v1/jobs/$JOB" | field '["status"]')"
    case "$STATUS" in SUCCEEDED | FAILED | CANCELLED) break ;; esac
    sleep 1
done
curl -fs -H "X-API-Key: $KEY" "$HOST/api/v1/jobs/$JOB" > "$WORK/job.json"
echo "job $JOB: $STATUS"
if [ "$STATUS" != SUCCEEDED ]; then
    cat "$WORK/job.json"
    exit 1
fi
ENSEMBLE="$(field '["ensembleId"]' < "$WORK/job.json")"
curl -fs -H "X-API-Key: $KEY" "$HOST/api/v1/ensembles/$ENSEMBLE" | /usr/bin/python3 -c '
import json, sys
e = json.load(sys.stdin)
members = e["metrics"]["memberTestAccuracies"]
for i, a in enumerate(members):
    print(f"member {i}: test accuracy {a:.4f}")
print(f"ensemble (average of probabilities): test accuracy {e[\"metrics\"][\"testAccuracy\"]:.4f}")
print("ensemble >= best member:", e["metrics"]["testAccuracy"] >= max(members))'

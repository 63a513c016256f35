#!/usr/bin/env bash
# Latency of the experiments API with 100 trials queued: starts the service (service.sh),
# uploads a small synthetic CSV dataset, submits a grid of 100 trials (one learning rate each,
# one at a time), then times N sequential GET /experiments/{id} and GET /experiments with curl
# while the trials train, and prints p50, p90, p99 and max in milliseconds.
# Usage: src/test/bench/experiments_api.sh [N]   (default 500)
set -euo pipefail
cd "$(dirname "$0")/../../.."
N="${1:-500}"
source src/test/bench/service.sh
start_service

# curl that prints the answer (a problem) and stops the script when the status is not 2xx
api() {
    local answer
    if ! answer=$(curl -sS --fail-with-body -H "X-API-Key: $KEY" "$@"); then
        echo "$answer" >&2
        exit 1
    fi
    echo "$answer"
}

{
    echo "x1,x2,x3,x4,label"
    awk 'BEGIN { srand(7); for (i = 0; i < 3000; i++) { c = i % 3;
        printf "%.4f,%.4f,%.4f,%.4f,c%d\n", c + rand(), 2 * c - rand(), rand(), c * rand(), c } }'
} > "$WORK/blobs.csv"
DATASET=$(api -F name=blobs -F format=csv -F "file=@$WORK/blobs.csv" \
    "$HOST/api/v1/datasets" | jq -r .id)

RATES=$(awk 'BEGIN { for (i = 1; i <= 100; i++) printf "%s%.4f", (i > 1 ? "," : ""), i / 1000 }')
BODY=$(cat <<JSON
{"name": "100 learning rates",
 "baseSpec": {"datasetId": "$DATASET", "seed": 1,
   "model": {"layers": [{"type": "dense", "units": 16}, {"type": "relu"}, {"type": "dense", "units": 3}]},
   "training": {"epochs": 2, "batchSize": 64, "optimizer": {"type": "sgd", "learningRate": 0.05}}},
 "parameters": [{"path": "/training/optimizer/learningRate", "values": [$RATES]}],
 "strategy": {"type": "grid"}, "maxConcurrentTrials": 1}
JSON
)
EXPERIMENT=$(api -H 'Content-Type: application/json' -d "$BODY" \
    "$HOST/api/v1/experiments" | jq -r .id)
TRIALS=$(curl -fs -H "X-API-Key: $KEY" "$HOST/api/v1/experiments/$EXPERIMENT" | jq '.trials | length')
echo "experiment $EXPERIMENT with $TRIALS trials; $N requests per endpoint, sequential, after 50 unmeasured"

measure() {
    local path="$1" times="$WORK/times"
    for _ in $(seq 1 50); do curl -fs -o /dev/null -H "X-API-Key: $KEY" "$HOST$path"; done
    : > "$times"
    for _ in $(seq 1 "$N"); do
        curl -fs -o /dev/null -w '%{time_total}\n' -H "X-API-Key: $KEY" "$HOST$path" >> "$times"
    done
    sort -n "$times" | awk -v path="$path" '{ t[NR] = $1 * 1000 } END {
        printf "%-40s p50 %6.1f ms  p90 %6.1f ms  p99 %6.1f ms  max %6.1f ms\n", path,
            t[int(NR * 0.5)], t[int(NR * 0.9)], t[int(NR * 0.99)], t[NR] }'
}
measure "/api/v1/experiments/$EXPERIMENT"
measure "/api/v1/experiments"
echo "trials ended meanwhile: $(curl -fs -H "X-API-Key: $KEY" "$HOST/api/v1/experiments/$EXPERIMENT" \
    | jq '[.trials[] | select(.status != "QUEUED" and .status != "RUNNING")] | length')"

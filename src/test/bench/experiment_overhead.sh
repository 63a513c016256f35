#!/usr/bin/env bash
# Does running jobs as an experiment's trials cost training throughput? Starts the service
# (service.sh), uploads a synthetic CSV dataset, then alternates ROUNDS times: an experiment
# of 4 trials (4 learning rates, one trial at a time) and the same 4 job specs submitted
# alone, one after the other. Prints the mean samples/s over every epoch of each block and
# the median ratio experiment / alone.
# Usage: src/test/bench/experiment_overhead.sh [ROUNDS]   (default 5)
set -euo pipefail
cd "$(dirname "$0")/../../.."
ROUNDS="${1:-5}"
source src/test/bench/service.sh
start_service

api() {
    local answer
    if ! answer=$(curl -sS --fail-with-body -H "X-API-Key: $KEY" "$@"); then
        echo "$answer" >&2
        exit 1
    fi
    echo "$answer"
}

{
    echo "$(seq -s, -f 'x%g' 1 64),label"
    awk 'BEGIN { srand(11); for (i = 0; i < 20000; i++) { c = i % 3; line = "";
        for (j = 0; j < 64; j++) line = line sprintf("%.3f,", c * (j % 5) / 4 + rand());
        printf "%sc%d\n", line, c } }'
} > "$WORK/data.csv"
DATASET=$(api -F name=overhead -F format=csv -F "file=@$WORK/data.csv" "$HOST/api/v1/datasets" | jq -r .id)
RATES=(0.01 0.02 0.03 0.04)
spec() {
    echo "{\"name\": \"overhead\", \"datasetId\": \"$DATASET\", \"seed\": 1,
      \"model\": {\"layers\": [{\"type\": \"dense\", \"units\": 1024}, {\"type\": \"relu\"}, {\"type\": \"dense\", \"units\": 1024}, {\"type\": \"relu\"}, {\"type\": \"dense\", \"units\": 3}]},
      \"training\": {\"epochs\": 4, \"batchSize\": 64, \"optimizer\": {\"type\": \"sgd\", \"learningRate\": $1}}}"
}
wait_job() {
    while true; do
        status=$(api "$HOST/api/v1/jobs/$1" | jq -r .status)
        case "$status" in SUCCEEDED) return 0 ;; FAILED|CANCELLED) echo "job $1 $status" >&2; exit 1 ;; esac
        sleep 0.5
    done
}
throughput() {   # job ids → every epoch's samples/s, one per line
    for id in "$@"; do api "$HOST/api/v1/jobs/$id/metrics" | jq -r '.[].samplesPerSecond'; done
}
mean() { awk '{ s += $1; n++ } END { printf "%.0f", s / n }'; }

RATIOS=()
for round in $(seq 1 "$ROUNDS"); do
    BODY="{\"name\": \"overhead\", \"baseSpec\": $(spec 0.01), \"strategy\": {\"type\": \"grid\"},
      \"parameters\": [{\"path\": \"/training/optimizer/learningRate\", \"values\": [${RATES[*]// /, }]}],
      \"maxConcurrentTrials\": 1}"
    BODY="${BODY//0.01 0.02 0.03 0.04/0.01, 0.02, 0.03, 0.04}"
    EXPERIMENT=$(api -H 'Content-Type: application/json' -d "$BODY" "$HOST/api/v1/experiments" | jq -r .id)
    while [ "$(api "$HOST/api/v1/experiments/$EXPERIMENT" | jq -r .status)" != SUCCEEDED ]; do sleep 0.5; done
    TRIAL_JOBS=$(api "$HOST/api/v1/experiments/$EXPERIMENT" | jq -r '.trials[].jobIds[]')
    IN_EXPERIMENT=$(throughput $TRIAL_JOBS | mean)

    ALONE_JOBS=()
    for rate in "${RATES[@]}"; do
        id=$(api -H 'Content-Type: application/json' -d "$(spec "$rate")" "$HOST/api/v1/jobs" | jq -r .id)
        wait_job "$id"
        ALONE_JOBS+=("$id")
    done
    ALONE=$(throughput "${ALONE_JOBS[@]}" | mean)
    RATIO=$(awk -v a="$IN_EXPERIMENT" -v b="$ALONE" 'BEGIN { printf "%.4f", a / b }')
    RATIOS+=("$RATIO")
    echo "round $round: experiment $IN_EXPERIMENT samples/s, alone $ALONE samples/s, ratio $RATIO"
done
printf '%s\n' "${RATIOS[@]}" | sort -n | awk '{ r[NR] = $1 } END { printf "median ratio experiment / alone: %s\n", r[int((NR + 1) / 2)] }'

#!/usr/bin/env bash
# The N = 1, 2, 3 scaling table (docs/reliability.md, "Scaling out on one machine"): for each N, a
# fresh cluster of N instances on one PostgreSQL database (src/test/bench/cluster.sh) trains 6
# single-member mlp jobs on Fashion-MNIST's 60,000 training images and then serves predictions
# under wrk from every instance at once (src/test/bench/scaling.py). Prints one table row per N
# and writes the raw results to $SCALING_OUT/scaling.jsonl (default target/scaling).
#
#   src/test/bench/scaling.sh                   # N = 1 2 3
#   src/test/bench/scaling.sh 1 3 -- --epochs 2 # chosen N; after --, options of scaling.py
#
# Every instance runs the default worker configuration (one member at a time, the engine on all
# cores), so N instances on this machine share its cores. Needs PostgreSQL on PGHOST:PGPORT
# (127.0.0.1:5432 by default), wrk, psql, the Debian package dataset-fashion-mnist and JDK 25; the
# jar is built unless NO_BUILD=1 and one exists.
set -euo pipefail
cd "$(dirname "$0")/../../.."
COUNTS=()
while [ $# -gt 0 ] && [ "$1" != -- ]; do COUNTS+=("$1"); shift; done
[ "${1:-}" = -- ] && shift
[ ${#COUNTS[@]} -gt 0 ] || COUNTS=(1 2 3)
OUT="${SCALING_OUT:-target/scaling}"
mkdir -p "$OUT"
: > "$OUT/scaling.jsonl"
if ! command -v wrk > /dev/null; then
    apt-get update -qq && apt-get install -y -qq wrk > /dev/null
fi
if [ "${NO_BUILD:-}" != 1 ] || ! ls target/trainyard-*.jar > /dev/null 2>&1; then
    ./mvnw -q -DskipTests package
fi
for n in "${COUNTS[@]}"; do
    echo "== N = $n" >&2
    NO_BUILD=1 CLUSTER_DB=trainyard_scaling CLUSTER_TIMEOUT=1800 \
        CLUSTER_ARGS="--trainyard.security.quota.running-jobs=100 ${CLUSTER_ARGS:-}" \
        src/test/bench/cluster.sh "$n" /usr/bin/python3 src/test/bench/scaling.py "$@" >> "$OUT/scaling.jsonl"
done
/usr/bin/python3 - "$OUT/scaling.jsonl" << 'PY'
import json, sys
rows = [json.loads(line) for line in open(sys.argv[1]) if line.strip()]
print(f"CPU: {rows[0]['cpu']}")
print("| N | training samples/s | wall | members per instance | predictions/s | p99 | DB commits per epoch | DB commits/s while predicting |")
print("|---:|---:|---:|---|---:|---:|---:|---:|")
for r in rows:
    t, p = r["training"], r["predictions"]
    print(f"| {r['instances']} | {t['samplesPerSecond']:,} | {t['wallSeconds']:.1f} s | "
          f"{', '.join(str(v) for v in t['membersPerInstance'].values())} | {p['requestsPerSecond']:,} | "
          f"{p['p99Ms']} ms | {t['databasePerEpoch']['commits']} | {p['databaseCommitsPerSecond']} |")
PY

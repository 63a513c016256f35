#!/usr/bin/env bash
# Trainyard's engine against PyTorch, side by side: each round runs the engine's bench entry point
# (src/test/java/dev/trainyard/bench/Bench.java) and the PyTorch peer (pytorch_peer.py, beside this
# script) one after the other on the same machine, data and thread count, keeps the last epoch's
# line of each (so both JITs and allocators are warm), and divides ours by the peer's within the
# round. It prints the median of each side and the median of the per-round ratios.
#
#   src/test/bench/compare.sh [WORKLOAD] [ROUNDS] [EPOCHS] [THREADS]
#     WORKLOAD  mlp | cnn | resnet | gemm (default mlp)
#     ROUNDS    rounds, each one run of either side (default 3)
#     EPOCHS    epochs per run (default 2; ignored by gemm)
#     THREADS   compute threads of both sides (default: all cores)
#   BENCH_EXTRA  more -D flags for our side, e.g. BENCH_EXTRA=-Dtrainyard.engine.blas=java
#   BENCH_JAVA   the JDK 25 java launcher for our side, where it is not the pom's bench.java
#   FASHION_MNIST_DIR  the IDX files (default /usr/share/datasets/fashion-mnist)
#
# Run from anywhere inside the repository. Missing Debian packages (python3-torch,
# libopenblas0-pthread, dataset-fashion-mnist) are installed first, which needs root.
# Output: one "round N: ..." line per side and round on stderr, then on stdout
#   pytorch   median train_samples_per_s ..., infer_samples_per_s ..., test_accuracy ...
#   trainyard median train_samples_per_s ..., infer_samples_per_s ..., test_accuracy ...
#   mlp ratio ours/pytorch: train X, infer Y (train ratio of each round: ...)
#                                                     (gemm: "gemm ratio ours/pytorch: gflops X (rounds: ...)")
# A round whose peer prints no result line (it has died mid-run here) is reported and left out;
# the medians are over the rounds that completed on both sides.
set -euo pipefail

workload=${1:-mlp}
rounds=${2:-3}
epochs=${3:-2}
threads=${4:-$(nproc)}
case "$workload" in
    mlp | cnn | gemm | resnet) ;;
    *) echo "unknown workload '$workload'; one of mlp, cnn, gemm, resnet" >&2; exit 2 ;;
esac

bench_dir=$(cd "$(dirname "$0")" && pwd)
cd "$bench_dir/../../.."
export FASHION_MNIST_DIR=${FASHION_MNIST_DIR:-/usr/share/datasets/fashion-mnist}

missing=()
/usr/bin/python3 -c 'import torch' 2> /dev/null || missing+=(python3-torch)
ls /usr/lib/*-linux-gnu/openblas-pthread/libblas.so.3 > /dev/null 2>&1 || missing+=(libopenblas0-pthread)
[ "$workload" = gemm ] || [ -d "$FASHION_MNIST_DIR" ] || missing+=(dataset-fashion-mnist)
if [ ${#missing[@]} -gt 0 ]; then
    echo "compare.sh: installing the Debian packages ${missing[*]}" >&2
    { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}"; } >&2
fi

echo "compare.sh: compiling the project (main and test classes)" >&2
./mvnw -q -DskipTests test-compile >&2

results=$(mktemp -d)
trap 'rm -rf "$results"' EXIT

# The last JSON line of the workload in a side's output, or nothing.
last_line() {
    grep -E "\"workload\": ?\"$workload\"" | tail -n 1 || true
}

# Our side, stdout to $results/ours.out and stderr to $results/ours.err; its exit status.
ours() {
    ./mvnw -q -Pbench exec:exec -Dbench.workload="$workload" -Dbench.epochs="$epochs" -Dbench.threads="$threads" \
        ${BENCH_JAVA:+-Dbench.java="$BENCH_JAVA"} ${BENCH_EXTRA:-} > "$results/ours.out" 2> "$results/ours.err"
}

for round in $(seq 1 "$rounds"); do
    status=0
    ours || status=$?
    line=$(last_line < "$results/ours.out")
    if [ -z "$line" ]; then
        if grep -qh "unknown workload" "$results/ours.out" "$results/ours.err"; then
            echo "compare.sh: Trainyard's bench has no '$workload' workload yet" \
                "($(grep -oh 'known: .*' "$results/ours.out" "$results/ours.err" | head -n 1))," \
                "so there is nothing to compare; the peer alone runs with" >&2
            echo "  /usr/bin/python3 src/test/bench/pytorch_peer.py --workload $workload --epochs $epochs --threads $threads" >&2
            exit 3
        fi
        echo "compare.sh: our bench (exit status $status) printed no '$workload' result line; its output:" >&2
        cat "$results/ours.out" "$results/ours.err" >&2
        exit 1
    fi
    echo "round $round: ours $line" >&2
    ours_line=$line

    status=0
    /usr/bin/python3 "$bench_dir/pytorch_peer.py" --workload "$workload" --epochs "$epochs" --threads "$threads" \
        > "$results/peer.out" 2> "$results/peer.err" || status=$?
    line=$(last_line < "$results/peer.out")
    if [ -z "$line" ]; then
        echo "compare.sh: round $round: the peer (exit status $status) printed no '$workload' result line," \
            "so the round is left out; the end of its output:" >&2
        tail -n 5 "$results/peer.out" "$results/peer.err" >&2
        continue
    fi
    echo "$ours_line" >> "$results/ours"
    echo "$line" >> "$results/peer"
    echo "round $round: peer $line" >&2
done
if [ ! -s "$results/peer" ]; then
    echo "compare.sh: no round completed on both sides" >&2
    exit 1
fi

/usr/bin/python3 - "$workload" "$results/ours" "$results/peer" << 'EOF'
import json
import statistics
import sys

workload, ours_file, peer_file = sys.argv[1:]
read = lambda path: [json.loads(line) for line in open(path) if line.strip()]
ours, peer = read(ours_file), read(peer_file)
keys = ["gflops"] if workload == "gemm" else ["train_samples_per_s", "infer_samples_per_s", "test_accuracy"]
for side, rows in (("pytorch", peer), ("trainyard", ours)):
    figures = [f"{k} {statistics.median(r[k] for r in rows):.{4 if k == 'test_accuracy' else 1}f}" for k in keys]
    print(f"{side:9s} median " + ", ".join(figures))
ratios = lambda k: [o[k] / p[k] for o, p in zip(ours, peer)]
ratio = lambda k: statistics.median(ratios(k))
each = lambda k: ", ".join(f"{r:.2f}" for r in ratios(k))
if workload == "gemm":
    print(f"gemm ratio ours/pytorch: gflops {ratio('gflops'):.2f} (rounds: {each('gflops')})")
else:
    print(f"{workload} ratio ours/pytorch: train {ratio('train_samples_per_s'):.2f}, "
          f"infer {ratio('infer_samples_per_s'):.2f} (train ratio of each round: {each('train_samples_per_s')})")
EOF

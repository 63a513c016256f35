#!/usr/bin/env bash
# The lecture's claims on Fashion-MNIST, through the service's presets: starts the service as
# src/test/bench/service.sh says (trainyard.worker.concurrency=1), uploads a training subset and the
# test set, posts every preset of GET /api/v1/experiments/presets with shortened schedules, waits for
# each, and writes the tables into $OUT (default target/lecture): lecture.md and lecture.json.
#
#   src/test/bench/lecture.sh [lecture.py options: --train N --test N --repeats R --epochs ID=N --only IDS]
#
# Needs the Debian package dataset-fashion-mnist. docs/lecture.md has the command its numbers came from.
set -euo pipefail
cd "$(dirname "$0")/../../.."
. src/test/bench/service.sh
DATA="${FASHION_MNIST_DIR:-/usr/share/datasets/fashion-mnist}"
OUT="${OUT:-target/lecture}"
start_service
/usr/bin/python3 src/test/bench/lecture.py --host "$HOST" --key "$KEY" --data "$DATA" --out "$OUT" "$@"

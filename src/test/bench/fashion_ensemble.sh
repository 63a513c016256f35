#!/usr/bin/env bash
# A 5-member Fashion-MNIST mlp job through the service, end to end: uploads the IDX files, trains the
# members, and prints each member's test accuracy and the ensemble's (fashion_ensemble.py).
#
#   src/test/bench/fashion_ensemble.sh [members, default 5] [epochs, default 5]
#
# Starts the service as src/test/bench/service.sh says, with trainyard.worker.concurrency=1 (members
# one after another, each over all cores). Needs the Debian package dataset-fashion-mnist.
set -euo pipefail
cd "$(dirname "$0")/../../.."
. src/test/bench/service.sh
DATA="${FASHION_MNIST_DIR:-/usr/share/datasets/fashion-mnist}"
if [ ! -d "$DATA" ]; then
    apt-get update -qq && apt-get install -y -qq dataset-fashion-mnist > /dev/null
fi
start_service
/usr/bin/python3 src/test/bench/fashion_ensemble.py --host "$HOST" --key "$KEY" --data "$DATA" \
    --members "${1:-5}" --epochs "${2:-5}"

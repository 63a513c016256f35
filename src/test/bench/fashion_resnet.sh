#!/usr/bin/env bash
# The accuracy recipe through the service, end to end: uploads the Fashion-MNIST IDX files, submits
# the job spec src/test/bench/specs/fashion-resnet.json (a residual network with augmentation, five
# members), waits, and prints each member's test accuracy, the ensemble's and the wall time from the
# first upload to the registered ensemble (fashion_ensemble.py).
#
#   src/test/bench/fashion_resnet.sh [members] [epochs]     (default: the spec file's)
#
# Starts the service as src/test/bench/service.sh says (members one after another, each over all
# cores). Needs the Debian package dataset-fashion-mnist.
set -euo pipefail
cd "$(dirname "$0")/../../.."
. src/test/bench/service.sh
DATA="${FASHION_MNIST_DIR:-/usr/share/datasets/fashion-mnist}"
if [ ! -d "$DATA" ]; then
    apt-get update -qq && apt-get install -y -qq dataset-fashion-mnist > /dev/null
fi
start_service
/usr/bin/python3 src/test/bench/fashion_ensemble.py --host "$HOST" --key "$KEY" --data "$DATA" \
    --spec src/test/bench/specs/fashion-resnet.json --cancel-trials 0 \
    ${1:+--members "$1"} ${2:+--epochs "$2"}

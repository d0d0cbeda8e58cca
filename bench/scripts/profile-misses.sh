#!/usr/bin/env bash
# JFR profiles of the microbenchmarks whose issue-5 targets are missed (spawn+await, one-slot queue
# ping-pong), each summarised by bench/scripts/jfr-top.py: where the samples were taken, and the
# share of the samples under each jasyncio and JDK-continuation method. The memory miss has its
# "profile" in the suite's memory.log (class histograms of both sleepers).
#
# Usage (after the README's build): bench/scripts/profile-misses.sh [OUT_DIR]
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cd "$ROOT"
JAVA=${JAVA:-$(ls -d /usr/lib/jvm/*/bin/java 2>/dev/null | sort -V | tail -1)}
OUT=${1:-bench/results/profiles-$(date -u +%Y%m%dT%H%M%SZ)}
mkdir -p "$OUT"
"$JAVA" -jar bench/target/benchmarks.jar 'CoreBenchmarks.spawnAwait$|SyncBenchmarks.queuePingPong$' \
  -p engine=continuation -f 1 -wi 3 -w 1s -i 5 -r 1s -prof "jfr:dir=$OUT;configName=profile" 2>&1 \
  | grep -E '^(Benchmark|CoreBenchmarks|SyncBenchmarks)' || true
for f in $(find "$OUT" -name '*.jfr' | sort); do
  echo
  echo "== $(basename "$(dirname "$f")")"
  JAVA=$JAVA python3 bench/scripts/jfr-top.py "$f" "" 12
done

#!/usr/bin/env bash
# Child processes (docs/processes.md): spawn and reap 1,000 `true` children at once, jasyncio vs
# ProcessBuilder on platform threads vs Python asyncio; then what the pipes cost (256 MiB through
# `cat`, and three piped streams against none at start). One run, the three alternating round by
# round; medians and ratios at the end of each block.
#
# Usage (after `mvn -q -DskipTests package`): bench/scripts/processes.sh [children=1000] [rounds=7]
# Environment: JAVA (a JDK 21+ java; default: the newest under /usr/lib/jvm).
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cd "$ROOT"
JAVA=${JAVA:-$(ls -d /usr/lib/jvm/*/bin/java 2>/dev/null | sort -V | tail -1)}
BJAR=bench/target/benchmarks.jar
[ -f "$BJAR" ] || { echo "processes.sh: $BJAR is missing: build first (mvn -q -DskipTests package)" >&2; exit 1; }
N=${1:-1000}
ROUNDS=${2:-7}
echo "$(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) CPUs, load $(cut -d' ' -f1 /proc/loadavg), $("$JAVA" -version 2>&1 | head -1), $(python3 --version 2>&1)"
run() { "$JAVA" --add-exports java.base/jdk.internal.vm=ALL-UNNAMED -cp "$BJAR" io.jasyncio.bench.ProcessBenchmark "$@"; }
run "$N" "$ROUNDS"
run pipes 256 "$ROUNDS"

#!/usr/bin/env bash
# Before/after writer-backpressure benchmark: bench/scripts/BackpressureBench.java (256 MiB through
# one loopback connection on one loop, small socket buffers, so write() keeps waiting for the
# queue) against two builds' core jars, alternating ROUNDS times, 3 runs each (the first is warm-up
# and dropped). Prints the medians and the ratio after/before.
#
# Usage: bench/scripts/bench-backpressure-ab.sh BEFORE_CORE_JAR AFTER_CORE_JAR [ROUNDS]
set -euo pipefail
BEFORE=${1:?usage: bench-backpressure-ab.sh BEFORE_CORE_JAR AFTER_CORE_JAR [ROUNDS]}
AFTER=${2:?usage: bench-backpressure-ab.sh BEFORE_CORE_JAR AFTER_CORE_JAR [ROUNDS]}
ROUNDS=${3:-5}
JAVA=${JAVA:-/usr/lib/jvm/temurin-25-jdk-amd64/bin/java}
SRC="$(cd "$(dirname "$0")" && pwd)/BackpressureBench.java"
OUT=$(mktemp)
for i in $(seq "$ROUNDS"); do
  for side in before after; do
    jar=$BEFORE; [ "$side" = after ] && jar=$AFTER
    "$JAVA" --add-exports java.base/jdk.internal.vm=ALL-UNNAMED -cp "$jar" "$SRC" 3 | tail -n +2 | sed "s/^/$side /" | tee -a "$OUT"
  done
done
python3 - "$OUT" <<'PY'
import re, statistics, sys
rows = {}
for line in open(sys.argv[1]):
    side = line.split()[0]
    kv = dict(re.findall(r'(\w+)=([\d.]+)', line))
    rows.setdefault(side, []).append((float(line.split()[-1]), float(kv['cpu_us_per_mib']), float(kv['alloc_bytes_per_mib'])))
med = {s: [statistics.median(x[i] for x in r) for i in range(3)] for s, r in rows.items()}
for s, m in med.items():
    print(f"{s}: median MiB/s {m[0]:.1f}, loop CPU us/MiB {m[1]:.1f}, allocated bytes/MiB {m[2]:.0f}, runs {len(rows[s])}")
print(f"after/before: MiB/s {med['after'][0] / med['before'][0]:.3f}x, CPU us/MiB {med['after'][1] / med['before'][1]:.3f}x, "
      f"allocated {med['after'][2] / med['before'][2]:.3f}x")
PY
rm -f "$OUT"

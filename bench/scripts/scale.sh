#!/usr/bin/env bash
# Performance at scale (issue 14), one command: every kernel and primitive figure at 1, 1,000 and
# 1,000,000 items beside the floor (a raw JDK continuation under a minimal scheduler) and virtual
# threads on one carrier (ScaleBench), then the JMH spawn+await rows at 1,000 and 1,000,000 tasks
# (issue 9), optionally with an earlier commit's build beside this one in the same run.
#
# Usage (from anywhere, after the README's build): bench/scripts/scale.sh [--quick] [--base REF] [ScaleBench options]
#   --quick     1 warm-up and 3 measured repetitions per size, JMH 1+2 iterations: a smoke run
#   --base REF  also build REF (a commit, e.g. main) with this ScaleBench copied in, and run its
#               jasyncio rows beside this build's ("base" rows); adds a build of about a minute
#   anything else goes to ScaleBench (e.g. --figures oversleep,timers --impls jasyncio,floor)
# Results: bench/results/<UTC time>-scale/ (scale.md, scale-raw.txt, jmh-spawnawait*.json/log, machine.txt).
# Environment: JAVA (default: the newest JDK under /usr/lib/jvm), BENCH_OUT (results directory),
#   MVN_FLAGS (extra flags for the base build, e.g. -o).
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cd "$ROOT"
QUICK=false
BASE=
PASS=()
while [ $# -gt 0 ]; do
  case $1 in
    --quick) QUICK=true; PASS+=(--quick) ;;
    --base) BASE=$2; shift ;;
    *) PASS+=("$1") ;;
  esac
  shift
done
JAVA=${JAVA:-$(ls -d /usr/lib/jvm/*/bin/java 2>/dev/null | sort -V | tail -1)}
[ -f bench/target/benchmarks.jar ] || { echo "scale: bench/target/benchmarks.jar is missing: build first (mvn -q -DskipTests package)" >&2; exit 1; }
OUT=${BENCH_OUT:-bench/results/$(date -u +%Y%m%dT%H%M%SZ)-scale}
mkdir -p "$OUT"
# Run from copies, so that a rebuild meanwhile cannot change the jars under a running JVM.
cp bench/target/benchmarks.jar "$OUT/benchmarks.jar"
{
  echo "$(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) CPUs ($(sed -n 's/^model name\s*: //p' /proc/cpuinfo | head -1)),"
  echo "$("$JAVA" -version 2>&1 | head -1), load average at start $(cut -d' ' -f1 /proc/loadavg),"
  echo "commit $(git rev-parse --short HEAD 2>/dev/null || echo unknown)$( [ -n "$BASE" ] && echo ", base $BASE = $(git rev-parse --short "$BASE")"), quick=$QUICK"
} > "$OUT/machine.txt"
cat "$OUT/machine.txt"

BASEARGS=()
if [ -n "$BASE" ]; then
  SRC=$(mktemp -d)
  trap 'rm -rf "$SRC"' EXIT
  echo "scale: building $BASE in $SRC"
  git archive "$BASE" | tar -x -C "$SRC"
  cp bench/src/main/java/io/jasyncio/bench/ScaleBench.java bench/src/main/java/io/jasyncio/bench/Floor.java \
    "$SRC/bench/src/main/java/io/jasyncio/bench/"
  (cd "$SRC" && mvn -q ${MVN_FLAGS:-} -pl bench -am -DskipTests -Dmaven.javadoc.skip package) >&2
  cp "$SRC/bench/target/benchmarks.jar" "$OUT/benchmarks-base.jar"
  BASEARGS=(--base-jar "$OUT/benchmarks-base.jar")
fi

echo "== scale: ScaleBench ($(date -u +%H:%M:%S))"
"$JAVA" -cp "$OUT/benchmarks.jar" io.jasyncio.bench.ScaleBench "${BASEARGS[@]}" --out "$OUT" "${PASS[@]}"

if $QUICK; then JMH=(-f 1 -wi 1 -w 1s -i 2 -r 1s); else JMH=(-f 1 -wi 3 -w 1s -i 5 -r 1s); fi
ROWS='io.jasyncio.bench.CoreBenchmarks.spawnAwait(In|Via|Floor)'
for jar in benchmarks benchmarks-base; do
  [ -f "$OUT/$jar.jar" ] || continue
  echo "== scale: JMH spawn+await at 1,000 and 1,000,000 tasks, $jar.jar ($(date -u +%H:%M:%S))"
  "$JAVA" -jar "$OUT/$jar.jar" "$ROWS" -p tasks=1000,1000000 "${JMH[@]}" -rf json -rff "$OUT/jmh-spawnawait-$jar.json" \
    > "$OUT/jmh-spawnawait-$jar.log" 2>&1 || { tail -20 "$OUT/jmh-spawnawait-$jar.log"; exit 1; }
  python3 - "$OUT/jmh-spawnawait-$jar.json" <<'EOF'
import json, statistics, sys
rows = {}
for r in json.load(open(sys.argv[1])):
    name = r["benchmark"].rsplit(".", 1)[1]
    n = int(r["params"]["tasks"])
    rows.setdefault(name, {})[n] = statistics.median(v for fork in r["primaryMetric"]["rawData"] for v in fork)
print("| JMH row (ns per task, median) | N = 1,000 | N = 1,000,000 | 1,000,000 / 1,000 |")
print("|---|---:|---:|---:|")
for name, m in rows.items():
    print(f"| {name} | {m.get(1000, float('nan')):.1f} | {m.get(1000000, float('nan')):.1f} | {m[1000000] / m[1000]:.2f}× |")
EOF
done
rm -f "$OUT"/benchmarks*.jar
echo "scale: done ($(date -u +%H:%M:%S), load $(cut -d' ' -f1 /proc/loadavg)); results in $OUT"

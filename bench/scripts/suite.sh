#!/usr/bin/env bash
# The whole benchmark suite in one run, one table at the end: `./jasyncio bench` calls this.
#
#   1. JMH: every microbenchmark of CoreBenchmarks and SyncBenchmarks, each with its peer;
#   2. memory: one million sleeping tasks against one million sleeping virtual threads;
#   3. echo: jasyncio vs plain NIO vs Netty (one thread each), driven by ../shared/bench/echoload,
#      at 100 and 10,000 connections with 1 KiB and 64 KiB messages;
#   4. cross-check: the 100 x 1 KiB row again, driven by the project's own Java client;
#   5. report: bench/scripts/report.py turns the raw outputs into Markdown (every row, every
#      target ratio) in RESULTS/report.md, and prints it.
#
# Usage (from anywhere, after the README's build): bench/scripts/suite.sh [--quick] [--loops N]
#   --quick   fewer JMH iterations, 100,000 sleepers, one echo round of 5 s: a smoke run (~6 min)
#             whose figures are not for quoting. The full run takes about 20 minutes.
#   --loops N also runs the multi-loop rows (issue 12): echo over 1..N loops against Netty with as
#             many event loops (examples/scripts/bench-loops.sh), and the cross-loop hand-off
#             (CrossLoopChannel vs ArrayBlockingQueue vs Netty's EventLoop.execute).
# Environment: JAVA (a JDK 21+ java; default: the newest under /usr/lib/jvm), BENCH_OUT (results
# directory; default bench/results/<UTC timestamp>), ECHOLOAD (default ../shared/bench/echoload,
# built with ../shared/bench/build.sh when missing; without it the echo rows are skipped).
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cd "$ROOT"

QUICK=false
LOOPS=0
while [ $# -gt 0 ]; do
  case $1 in
    --quick) QUICK=true ;;
    --loops) [ $# -ge 2 ] && [ "$2" -ge 1 ] 2>/dev/null || { echo "suite: --loops needs a count of at least 1" >&2; exit 1; }
             LOOPS=$2; shift ;;
    *) echo "usage: bench/scripts/suite.sh [--quick] [--loops N]" >&2; exit 1 ;;
  esac
  shift
done

JAVA=${JAVA:-$(ls -d /usr/lib/jvm/*/bin/java 2>/dev/null | sort -V | tail -1)}
BJAR=bench/target/benchmarks.jar
EXJAR=examples/target/jasyncio-examples.jar
for f in "$BJAR" "$EXJAR"; do
  [ -f "$f" ] || { echo "suite: $f is missing: build first (mvn -q -DskipTests package)" >&2; exit 1; }
done
OUT=${BENCH_OUT:-bench/results/$(date -u +%Y%m%dT%H%M%SZ)}
mkdir -p "$OUT"

if $QUICK; then
  JMH_ARGS=(-f 1 -wi 1 -w 1s -i 2 -r 1s); SLEEPERS=100000; ROUNDS=1; DURATION=5
else
  JMH_ARGS=(-f 1 -wi 3 -w 1s -i 5 -r 1s); SLEEPERS=1000000; ROUNDS=3; DURATION=10
fi

{
  echo "$(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) CPUs ($(sed -n 's/^model name\s*: //p' /proc/cpuinfo | head -1)),"
  echo "$(awk '/MemTotal/ { printf "%.0f GiB", $2 / 1048576 }' /proc/meminfo), $("$JAVA" -version 2>&1 | head -1),"
  echo "load average at start $(cut -d' ' -f1 /proc/loadavg), commit $(git rev-parse --short HEAD 2>/dev/null || echo unknown),"
  echo "quick=$QUICK"
} > "$OUT/machine.txt"
echo "suite: results go to $OUT"

step() { echo; echo "== suite: $* ($(date -u +%H:%M:%S), load $(cut -d' ' -f1 /proc/loadavg))"; }

step "1/5 JMH microbenchmarks"
"$JAVA" -jar "$BJAR" 'io.jasyncio.bench.(Core|Sync)Benchmarks' "${JMH_ARGS[@]}" -rf json -rff "$OUT/jmh.json" \
  > "$OUT/jmh.log" 2>&1 || { tail -20 "$OUT/jmh.log"; exit 1; }
grep -A100 '^Benchmark ' "$OUT/jmh.log" || true

step "2/5 memory: $SLEEPERS sleeping tasks vs virtual threads"
"$JAVA" -cp "$BJAR" io.jasyncio.bench.SleepingMemory "$SLEEPERS" --histogram > "$OUT/memory.log" 2>&1
grep -E 'RESULT|ratio' "$OUT/memory.log"

ECHOLOAD=${ECHOLOAD:-$ROOT/../shared/bench/echoload}
if [ ! -x "$ECHOLOAD" ] && [ -x "$(dirname "$ECHOLOAD")/build.sh" ]; then
  "$(dirname "$ECHOLOAD")/build.sh" >/dev/null
fi
if [ -x "$ECHOLOAD" ]; then
  port=9131
  for row in "100 1024" "10000 1024" "100 65536" "10000 65536"; do
    set -- $row
    step "3/5 echo: $1 connections x $2 bytes, $ROUNDS round(s) of ${DURATION} s per server"
    ECHOLOAD=$ECHOLOAD PORT_BASE=$port JAVA=$JAVA bench/scripts/bench-echo3.sh "$ROUNDS" "$1" "$2" "$DURATION" \
      2>/dev/null | grep -v '^WARNING' > "$OUT/echo-$1-$2.log" || true
    grep -E '^(jasyncio|plainnio|netty):' "$OUT/echo-$1-$2.log" || echo "(no summary: see $OUT/echo-$1-$2.log)"
    port=$((port + 3))
  done
else
  echo "suite: no echoload at $ECHOLOAD (build it with ../shared/bench/build.sh): echo rows skipped" | tee "$OUT/echo-skipped.txt"
fi

if [ "$LOOPS" -ge 1 ]; then
  step "3b/5 multi-loop: cross-loop hand-off, then echo over 1..$LOOPS loops"
  "$JAVA" --add-exports java.base/jdk.internal.vm=ALL-UNNAMED -cp "$BJAR" io.jasyncio.bench.CrossLoopHandoff \
    $($QUICK && echo "500000 1" || echo "5000000 5") 2>/dev/null > "$OUT/crossloop.log" || true
  grep RESULT "$OUT/crossloop.log" || echo "(no result: see $OUT/crossloop.log)"
  if [ -x "$ECHOLOAD" ]; then
    ECHOLOAD=$ECHOLOAD examples/scripts/bench-loops.sh "$ROUNDS" "$DURATION" "$LOOPS" > "$OUT/loops.log" 2>&1 || true
    grep -E '^\||ratio' "$OUT/loops.log" || echo "(no summary: see $OUT/loops.log)"
  fi
fi

step "4/5 cross-check: 100 x 1 KiB with the project's own Java client"
CLIENT=java PORT_BASE=9151 JAVA=$JAVA bench/scripts/bench-echo3.sh 1 100 1024 "$DURATION" \
  2>/dev/null | grep -v '^WARNING' > "$OUT/crosscheck.log" || true
grep -E '^(jasyncio|plainnio|netty):' "$OUT/crosscheck.log" || true

step "5/5 report"
echo "load average at end $(cut -d' ' -f1 /proc/loadavg)" >> "$OUT/machine.txt"
python3 bench/scripts/report.py "$OUT" | tee "$OUT/report.md"
echo
echo "suite: done; the report is $OUT/report.md"

#!/usr/bin/env bash
# What seeing inside the loop costs (issue 11): the yield and spawn+await JMH rows and the echo
# server, side by side in one run, for three builds of the same code alternating ROUNDS times:
#   base  main's jars, without the counters, the stack gate and the watchdog (BASE_DIR)
#   off   this tree with the watchdog and JMX off (-Djasyncio.watchdog=off -Djasyncio.jmx=false)
#   on    this tree with the defaults: watchdog on (1 s), JMX beans registered
# Prints each run, then medians per variant and the ratios on/base and off/base.
#
# Usage (from the repository root, after `mvn -q -DskipTests -Dmaven.javadoc.skip package` here and in BASE_DIR):
#   BASE_DIR=/tmp/obs-base bench/scripts/observability-overhead.sh [ROUNDS] [CONNS] [DURATION]   defaults: 3 100 5
# BASE_DIR is a checkout of the baseline built the same way, e.g.
#   git worktree add --detach /tmp/obs-base main && (cd /tmp/obs-base && mvn -q -DskipTests -Dmaven.javadoc.skip package)
set -euo pipefail
ROUNDS=${1:-3}
CONNS=${2:-100}
DURATION=${3:-5}
BASE_DIR=${BASE_DIR:-/tmp/obs-base}
JAVA=${JAVA:-$(ls -d /usr/lib/jvm/temurin-25*/bin/java 2>/dev/null | head -1)}
ECHOLOAD=${ECHOLOAD:-/tmp/jasyncio-echoload}   # built from ../shared/bench/echoload.c when missing
[ -x "$ECHOLOAD" ] || gcc -O2 -o "$ECHOLOAD" "${ECHOLOAD_SRC:-../shared/bench/echoload.c}"
OFF="-Djasyncio.watchdog=off -Djasyncio.jmx=false"
OUT=$(mktemp)
echo "# $(date -u +%FT%TZ) rounds=$ROUNDS conns=$CONNS duration=$DURATION; load: $(cut -d' ' -f1-3 /proc/loadavg)"

jmh() { # NAME JAR EXTRA_JVM_ARGS (through JAVA_TOOL_OPTIONS, which JMH's forked JVM inherits)
  rm -f "$OUT.csv"
  # jmh.ignoreLock: other JMH runs on a shared machine hold JMH's global lock file.
  JAVA_TOOL_OPTIONS="$3" "$JAVA" -Djmh.ignoreLock=true -jar "$2" 'CoreBenchmarks.(yieldBetweenTwoTasks|spawnAwait)$' -f 1 -wi 3 -w 1 -i 5 -r 1 \
      -rf csv -rff "$OUT.csv" >/dev/null 2>&1 || true
  python3 - "$1" "$OUT.csv" <<'PY' | tee -a "$OUT"
import csv, os, sys
if not os.path.exists(sys.argv[2]):
    print(f"# {sys.argv[1]}: the JMH run failed", file=sys.stderr); sys.exit(0)
for row in csv.DictReader(open(sys.argv[2])):
    print(f"{sys.argv[1]} jmh {row['Benchmark'].split('.')[-1]} {float(row['Score']):.1f}")
PY
}

echo_run() { # NAME JAR EXTRA_JVM_ARGS PORT
  # shellcheck disable=SC2086
  "$JAVA" --add-exports java.base/jdk.internal.vm=ALL-UNNAMED $3 -cp "$2" io.jasyncio.examples.EchoServerExample --port "$4" >/dev/null &
  local pid=$!
  sleep 2
  local line
  line=$("$ECHOLOAD" --host 127.0.0.1 --port "$4" --conns "$CONNS" --size 1024 --depth 1 --duration "$DURATION" --warmup 2 \
      --server-pid "$pid" 2>/dev/null || true)
  kill "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
  python3 - "$1" "$line" <<'PY' | tee -a "$OUT"
import re, sys
kv = dict(re.findall(r'(\w+)=([\d.]+)', sys.argv[2]))
if float(kv.get('msgs', 0)) > 0 and 'server_cpu_s' in kv:
    print(f"{sys.argv[1]} echo msgs_per_s {float(kv['msgs_per_s']):.0f}")
    print(f"{sys.argv[1]} echo cpu_us_per_msg {float(kv['server_cpu_s']) * 1e6 / float(kv['msgs']):.2f}")
PY
}

for i in $(seq "$ROUNDS"); do
  jmh base "$BASE_DIR/bench/target/benchmarks.jar" ""
  jmh off bench/target/benchmarks.jar "$OFF"
  jmh on bench/target/benchmarks.jar ""
  echo_run base "$BASE_DIR/examples/target/jasyncio-examples.jar" "" 9121
  echo_run off examples/target/jasyncio-examples.jar "$OFF" 9122
  echo_run on examples/target/jasyncio-examples.jar "" 9123
done
echo "# load after: $(cut -d' ' -f1-3 /proc/loadavg)"
python3 - "$OUT" <<'PY'
import statistics, sys
from collections import defaultdict
v = defaultdict(list)
for line in open(sys.argv[1]):
    name, kind, metric, value = line.split()
    v[(kind, metric, name)].append(float(value))
metrics = sorted({(k, m) for (k, m, _) in v})
print(f"{'metric':34} {'base':>10} {'off':>10} {'on':>10} {'off/base':>9} {'on/base':>8} {'on/off':>7}")
for k, m in metrics:
    med = {n: statistics.median(v[(k, m, n)]) for n in ('base', 'off', 'on') if v[(k, m, n)]}
    if len(med) < 3:
        continue
    print(f"{k + ' ' + m:34} {med['base']:10.1f} {med['off']:10.1f} {med['on']:10.1f} "
          f"{med['off'] / med['base']:9.3f} {med['on'] / med['base']:8.3f} {med['on'] / med['off']:7.3f}")
PY
rm -f "$OUT" "$OUT.csv"

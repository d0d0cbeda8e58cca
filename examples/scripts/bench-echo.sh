#!/usr/bin/env bash
# Echo server benchmark: jasyncio's EchoServerExample against a plain single-thread NIO echo
# server (PlainNioEchoServer), both measured with the independent C client ../shared/bench/echoload,
# alternating ROUNDS times so that both see the same machine conditions. Prints one echoload line
# per run, prefixed with the server's name, then the medians.
#
# Usage: examples/scripts/bench-echo.sh [ROUNDS]   (from the repository root, after mvn package)
set -euo pipefail
ROUNDS=${1:-4}
JAVA=${JAVA:-$(ls -d /usr/lib/jvm/temurin-25*/bin/java 2>/dev/null | head -1)}
JAR=examples/target/jasyncio-examples.jar
ECHOLOAD=${ECHOLOAD:-../shared/bench/echoload}   # built by ../shared/bench/build.sh
[ -x "$ECHOLOAD" ] || "$(dirname "$ECHOLOAD")/build.sh" >/dev/null
ARGS="--conns 100 --size 1024 --depth 1 --duration 10 --warmup 3"

"$JAVA" --add-exports java.base/jdk.internal.vm=ALL-UNNAMED -cp "$JAR" io.jasyncio.examples.EchoServerExample --port 9101 >/dev/null &
OURS=$!
"$JAVA" -cp "$JAR" io.jasyncio.examples.PlainNioEchoServer --port 9102 >/dev/null &
NIO=$!
trap 'kill $OURS $NIO 2>/dev/null || true' EXIT
sleep 2
OUT=$(mktemp)
for i in $(seq "$ROUNDS"); do
  echo "jasyncio $("$ECHOLOAD" --host 127.0.0.1 --port 9101 $ARGS --server-pid $OURS 2>/dev/null)" | tee -a "$OUT"
  echo "plainnio $("$ECHOLOAD" --host 127.0.0.1 --port 9102 $ARGS --server-pid $NIO 2>/dev/null)" | tee -a "$OUT"
done
python3 - "$OUT" <<'PY'
import re, statistics, sys
rows = {}
for line in open(sys.argv[1]):
    name = line.split()[0]
    kv = dict(re.findall(r'(\w+)=([\d.]+)', line))
    rate = float(kv['msgs_per_s'])
    cpu_us = float(kv['server_cpu_s']) * 1e6 / float(kv['msgs'])
    rows.setdefault(name, []).append((rate, cpu_us, float(kv.get('foreign_user_cpu_s', 0))))
for name, r in rows.items():
    print(f"{name}: median msgs/s {statistics.median(x[0] for x in r):.0f}, "
          f"median server CPU us/msg {statistics.median(x[1] for x in r):.2f}, "
          f"runs {len(r)}, foreign CPU s per run {[x[2] for x in r]}")
PY
rm -f "$OUT"

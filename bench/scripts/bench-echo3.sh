#!/usr/bin/env bash
# Echo server benchmark, three servers on one thread each: jasyncio's EchoServerExample, a plain
# single-thread NIO server (PlainNioEchoServer) and Netty 4.1 with one NIO event loop
# (bench's NettyEchoServer), all driven by the independent C client ../shared/bench/echoload,
# alternating ROUNDS times so that all see the same machine conditions. Prints one echoload line
# per run, prefixed with the server's name, then per-server medians.
#
# Usage (from the repository root, after `mvn -q -pl examples,bench -am package -DskipTests`):
#   bench/scripts/bench-echo3.sh [ROUNDS] [CONNS] [SIZE] [DURATION]     defaults: 3 100 1024 10
# CLIENT=java drives the servers with the project's own client (EchoClientExample, one event loop
# in its own JVM) instead of echoload: a 3 s warm-up run, then the measured run, with the server's
# CPU read from /proc around it. It cross-checks echoload's figures with a different client.
set -euo pipefail
ROUNDS=${1:-3}
CONNS=${2:-100}
SIZE=${3:-1024}
DURATION=${4:-10}
JAVA=${JAVA:-$(ls -d /usr/lib/jvm/temurin-25*/bin/java 2>/dev/null | head -1)}
EXJAR=examples/target/jasyncio-examples.jar
BJAR=bench/target/benchmarks.jar
CLIENT=${CLIENT:-echoload}
ECHOLOAD=${ECHOLOAD:-../shared/bench/echoload}   # built by ../shared/bench/build.sh
if [ "$CLIENT" = echoload ]; then
  [ -x "$ECHOLOAD" ] || "$(dirname "$ECHOLOAD")/build.sh" >/dev/null
fi
P=${PORT_BASE:-9111}   # ports P, P+1, P+2 (not 9101/9102: examples/scripts/bench-echo.sh uses those)
ARGS="--conns $CONNS --size $SIZE --depth 1 --duration $DURATION --warmup 3"

"$JAVA" --add-exports java.base/jdk.internal.vm=ALL-UNNAMED -cp "$EXJAR" io.jasyncio.examples.EchoServerExample --port $P >/dev/null &
OURS=$!
"$JAVA" -cp "$EXJAR" io.jasyncio.examples.PlainNioEchoServer --port $((P+1)) >/dev/null &
NIO=$!
"$JAVA" -cp "$BJAR" io.jasyncio.bench.NettyEchoServer $((P+2)) >/dev/null &
NETTY=$!
trap 'kill $OURS $NIO $NETTY 2>/dev/null || true' EXIT
sleep 3
for pid in $OURS $NIO $NETTY; do kill -0 "$pid" 2>/dev/null || { echo "a server failed to start (port in use?)" >&2; exit 1; }; done
echo "# $(date -u +%FT%TZ) conns=$CONNS size=$SIZE duration=$DURATION rounds=$ROUNDS; load: $(cut -d' ' -f1-3 /proc/loadavg)"
OUT=$(mktemp)
cpu_s() { # user+system CPU seconds of a process so far
  awk -v hz="$(getconf CLK_TCK)" '{ print ($14 + $15) / hz }' "/proc/$1/stat"
}
drive() { # PORT PID: one measured run against one server, one result line
  if [ "$CLIENT" = echoload ]; then
    "$ECHOLOAD" --host 127.0.0.1 --port "$1" $ARGS --server-pid "$2" 2>/dev/null || true
    return
  fi
  local client=("$JAVA" --add-exports java.base/jdk.internal.vm=ALL-UNNAMED -cp "$EXJAR" io.jasyncio.examples.EchoClientExample
                --host 127.0.0.1 --port "$1" --conns "$CONNS" --size "$SIZE")
  "${client[@]}" --duration 3 >/dev/null 2>&1 || true
  local before after line
  before=$(cpu_s "$2")
  line=$("${client[@]}" --duration "$DURATION" 2>&1 | tail -1)
  after=$(cpu_s "$2")
  echo "$line server_cpu_s=$(awk -v a="$after" -v b="$before" 'BEGIN { printf "%.2f", a - b }')" | sed 's/messages=/msgs=/'
}
for i in $(seq "$ROUNDS"); do
  echo "jasyncio $(drive $P $OURS)" | tee -a "$OUT"
  echo "plainnio $(drive $((P+1)) $NIO)" | tee -a "$OUT"
  echo "netty    $(drive $((P+2)) $NETTY)" | tee -a "$OUT"
done
echo "# load after: $(cut -d' ' -f1-3 /proc/loadavg)"
python3 - "$OUT" <<'PY'
import re, statistics, sys
rows = {}
for line in open(sys.argv[1]):
    name = line.split()[0]
    kv = dict(re.findall(r'(\w+)=([\d.]+)', line))
    if 'server_cpu_s' not in kv or float(kv.get('msgs', 0)) == 0:
        rows.setdefault(name, []); continue
    rate = float(kv['msgs_per_s'])
    cpu_us = float(kv['server_cpu_s']) * 1e6 / float(kv['msgs'])
    rows.setdefault(name, []).append((rate, cpu_us, float(kv.get('p50_us', 0)), float(kv.get('p99_us', 0)), int(float(kv.get('errors', 0))), float(kv.get('foreign_user_cpu_s', 0))))
for name, r in rows.items():
    if not r:
        print(f"{name}: no successful run"); continue
    print(f"{name}: median msgs/s {statistics.median(x[0] for x in r):.0f}, "
          f"median server CPU us/msg {statistics.median(x[1] for x in r):.2f}, "
          f"median p50 {statistics.median(x[2] for x in r):.0f} us, p99 {statistics.median(x[3] for x in r):.0f} us, "
          f"runs {len(r)}, errors {sum(x[4] for x in r)}, foreign CPU s per run {[x[5] for x in r]}")
PY
rm -f "$OUT"

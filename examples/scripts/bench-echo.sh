#!/usr/bin/env bash
# Echo server benchmark: jasyncio's echo-server against a plain single-thread NIO echo server
# (nio-echo-server), both measured with the independent C client ../shared/bench/echoload,
# alternating ROUNDS times so that both see the same machine conditions. Prints one echoload line
# per run, prefixed with the server's name, then the medians.
#
# Usage: examples/scripts/bench-echo.sh [ROUNDS] [SECONDS]   (from the repository root)
#   ROUNDS   alternating rounds (default 4); SECONDS measured per run (default 10, after 3 s of
#            warm-up; 1 s runs warm up for 1 s)
# The servers start through ./jasyncio, which finds a JDK 21+ and builds the jars when needed.
# Environment: ECHOLOAD (default ../shared/bench/echoload, built by ../shared/bench/build.sh).
set -euo pipefail
ROUNDS=${1:-4}
SECONDS_PER_RUN=${2:-10}
ECHOLOAD=${ECHOLOAD:-../shared/bench/echoload}   # built by ../shared/bench/build.sh
if [ ! -x "$ECHOLOAD" ]; then
  [ -x "$(dirname "$ECHOLOAD")/build.sh" ] || { echo "bench-echo: no $ECHOLOAD and no build.sh beside it; set ECHOLOAD" >&2; exit 1; }
  "$(dirname "$ECHOLOAD")/build.sh" >/dev/null
fi
WARMUP=3
if [ "$SECONDS_PER_RUN" -lt 3 ] 2>/dev/null; then WARMUP=1; fi
ARGS="--conns 100 --size 1024 --depth 1 --duration $SECONDS_PER_RUN --warmup $WARMUP"

./jasyncio list >/dev/null   # build first, so that neither server's start waits for it
./jasyncio example echo-server --port 9101 >/dev/null &
OURS=$!
./jasyncio example nio-echo-server --port 9102 >/dev/null &
NIO=$!
trap 'kill $OURS $NIO 2>/dev/null || true' EXIT
sleep 2
for pid in $OURS $NIO; do kill -0 "$pid" 2>/dev/null || { echo "bench-echo: a server did not start (see above)" >&2; exit 1; }; done
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

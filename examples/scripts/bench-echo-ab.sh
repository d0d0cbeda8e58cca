#!/usr/bin/env bash
# Before/after echo benchmark: the echo-server of another build of jasyncio (BASE, for example
# main's commit before a change) against this checkout's, both measured with the independent C
# client ../shared/bench/echoload, alternating ROUNDS times so that both see the same machine
# conditions (the setup of docs/benchmarks-net.md). Prints one echoload line per run, then the
# medians and the ratio of this checkout's median to BASE's.
#
# Usage: examples/scripts/bench-echo-ab.sh BASE [ROUNDS] [SECONDS]   (from the repository root)
#   BASE     the root of the other build, with its jars built, e.g. made by
#              git archive <commit> | tar -x -C /tmp/base && (cd /tmp/base && mvn -q -DskipTests -Dmaven.javadoc.skip package)
#   ROUNDS   alternating rounds (default 5); SECONDS measured per run (default 10, after 3 s warm-up)
# Environment: ECHOLOAD (default ../shared/bench/echoload, built by ../shared/bench/build.sh).
set -euo pipefail
BASE=${1:?usage: bench-echo-ab.sh BASE [ROUNDS] [SECONDS]}
ROUNDS=${2:-5}
SECONDS_PER_RUN=${3:-10}
ECHOLOAD=${ECHOLOAD:-../shared/bench/echoload}
if [ ! -x "$ECHOLOAD" ]; then
  [ -x "$(dirname "$ECHOLOAD")/build.sh" ] || { echo "bench-echo-ab: no $ECHOLOAD and no build.sh beside it; set ECHOLOAD" >&2; exit 1; }
  "$(dirname "$ECHOLOAD")/build.sh" >/dev/null
fi
WARMUP=3
if [ "$SECONDS_PER_RUN" -lt 3 ] 2>/dev/null; then WARMUP=1; fi
ARGS="--conns 100 --size 1024 --depth 1 --duration $SECONDS_PER_RUN --warmup $WARMUP"

./jasyncio list >/dev/null
"$BASE/jasyncio" list >/dev/null
"$BASE/jasyncio" example echo-server --port 9111 >/dev/null &
BEFORE=$!
./jasyncio example echo-server --port 9112 >/dev/null &
AFTER=$!
trap 'kill $BEFORE $AFTER 2>/dev/null || true' EXIT
sleep 2
for pid in $BEFORE $AFTER; do kill -0 "$pid" 2>/dev/null || { echo "bench-echo-ab: a server did not start" >&2; exit 1; }; done
OUT=$(mktemp)
for i in $(seq "$ROUNDS"); do
  echo "before $("$ECHOLOAD" --host 127.0.0.1 --port 9111 $ARGS --server-pid $BEFORE 2>/dev/null)" | tee -a "$OUT"
  echo "after  $("$ECHOLOAD" --host 127.0.0.1 --port 9112 $ARGS --server-pid $AFTER 2>/dev/null)" | tee -a "$OUT"
done
python3 - "$OUT" <<'PY'
import re, statistics, sys
rows = {}
for line in open(sys.argv[1]):
    name = line.split()[0]
    kv = dict(re.findall(r'(\w+)=([\d.]+)', line))
    rows.setdefault(name, []).append((float(kv['msgs_per_s']),
                                      float(kv['server_cpu_s']) * 1e6 / float(kv['msgs']),
                                      float(kv.get('foreign_user_cpu_s', 0))))
med = {}
for name, r in rows.items():
    med[name] = (statistics.median(x[0] for x in r), statistics.median(x[1] for x in r))
    print(f"{name}: median msgs/s {med[name][0]:.0f}, median server CPU us/msg {med[name][1]:.2f}, "
          f"runs {len(r)}, foreign CPU s per run {[x[2] for x in r]}")
if 'before' in med and 'after' in med:
    print(f"after/before: msgs/s {med['after'][0] / med['before'][0]:.3f}x, "
          f"CPU us/msg {med['after'][1] / med['before'][1]:.3f}x")
PY
rm -f "$OUT"

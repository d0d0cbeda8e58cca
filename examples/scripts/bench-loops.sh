#!/usr/bin/env bash
# Echo over a LoopGroup: jasyncio's echo-server with 1, 2, ... N loops (and Netty with as many
# event loops, unless NETTY=0), driven by the independent C client ../shared/bench/echoload,
# alternating configurations round by round. Prints one line per run, then per configuration the
# medians: msgs/s, server CPU us per message, server cores used, cores per loop, and the per-core
# efficiency against 1 loop (msgs/s at N loops / (N x msgs/s at 1 loop)).
#
# Usage: examples/scripts/bench-loops.sh [ROUNDS] [SECONDS] [MAX_LOOPS]   (from the repository root)
#   ROUNDS (default 3), SECONDS measured per run (default 10, after 3 s of warm-up), MAX_LOOPS
#   (default 2): runs 1..MAX_LOOPS loops (LOOPS="1 2 4 8" picks the counts instead).
# Environment:
#   PIN=1          pin the server to SERVER_CPUS and the clients to CLIENT_CPUS with taskset
#   SERVER_CPUS    default 1 (on 2 cores: both loop counts on one core, so the CPU per message
#                  compares the per-connection path alone, not contention with the client)
#   CLIENT_CPUS    default 0
#   CLIENTS        echoload processes in parallel (default 1; on a bigger machine, enough that the
#                  client is not the limit: one echoload drives about one core's worth of server)
#   CONNS, SIZE    per client (default 100 and 1024); SPREAD (default reuse-port)
#   NETTY=0        skip the Netty rows (they need bench/target/benchmarks.jar)
#   ECHOLOAD       default ../shared/bench/echoload (built by ../shared/bench/build.sh)
set -euo pipefail
ROUNDS=${1:-3}
SECONDS_PER_RUN=${2:-10}
MAX_LOOPS=${3:-2}
LOOPS=${LOOPS:-$(seq -s ' ' 1 "$MAX_LOOPS")}
PIN=${PIN:-0}
SERVER_CPUS=${SERVER_CPUS:-1}
CLIENT_CPUS=${CLIENT_CPUS:-0}
CLIENTS=${CLIENTS:-1}
CONNS=${CONNS:-100}
SIZE=${SIZE:-1024}
SPREAD=${SPREAD:-reuse-port}
NETTY=${NETTY:-1}
ECHOLOAD=${ECHOLOAD:-../shared/bench/echoload}
if [ ! -x "$ECHOLOAD" ]; then
  [ -x "$(dirname "$ECHOLOAD")/build.sh" ] || { echo "bench-loops: no $ECHOLOAD and no build.sh beside it; set ECHOLOAD" >&2; exit 1; }
  "$(dirname "$ECHOLOAD")/build.sh" >/dev/null
fi
WARMUP=3
if [ "$SECONDS_PER_RUN" -lt 3 ] 2>/dev/null; then WARMUP=1; fi
SERVER_PIN=(); CLIENT_PIN=()
if [ "$PIN" = 1 ]; then SERVER_PIN=(taskset -c "$SERVER_CPUS"); CLIENT_PIN=(taskset -c "$CLIENT_CPUS"); fi
JDK=$(ls -d /usr/lib/jvm/*/bin/java 2>/dev/null | sort -V | tail -1)
if [ "$NETTY" = 1 ] && [ ! -f bench/target/benchmarks.jar ]; then
  echo "bench-loops: bench/target/benchmarks.jar is missing (mvn -q -DskipTests package): Netty rows skipped" >&2; NETTY=0
fi

./jasyncio list >/dev/null   # build first
PIDS=(); NAMES=(); PORTS=()
port=9201
for n in $LOOPS; do
  "${SERVER_PIN[@]}" ./jasyncio example echo-server --port $port --loops "$n" --spread "$SPREAD" >/dev/null &
  PIDS+=($!); NAMES+=("jasyncio-$n"); PORTS+=($port); port=$((port + 1))
  if [ "$NETTY" = 1 ] && [ "$n" -gt 1 ]; then
    "${SERVER_PIN[@]}" "$JDK" -cp bench/target/benchmarks.jar io.jasyncio.bench.NettyEchoServer --threads "$n" $port >/dev/null 2>&1 &
    PIDS+=($!); NAMES+=("netty-$n"); PORTS+=($port); port=$((port + 1))
  fi
done
trap 'kill ${PIDS[*]} 2>/dev/null || true' EXIT
sleep 3
for pid in "${PIDS[@]}"; do kill -0 "$pid" 2>/dev/null || { echo "bench-loops: a server did not start" >&2; exit 1; }; done
OUT=$(mktemp)
for r in $(seq "$ROUNDS"); do
  for i in "${!PIDS[@]}"; do
    LINES=$(mktemp)
    for c in $(seq "$CLIENTS"); do
      "${CLIENT_PIN[@]}" "$ECHOLOAD" --host 127.0.0.1 --port "${PORTS[$i]}" --conns "$CONNS" --size "$SIZE" --depth 1 \
        --duration "$SECONDS_PER_RUN" --warmup "$WARMUP" --server-pid "${PIDS[$i]}" 2>/dev/null >> "$LINES" &
    done
    wait $(jobs -p | tail -n "$CLIENTS") 2>/dev/null || true
    # One line per configuration and run: the clients' messages summed; the server's CPU as the
    # first client measured it (every client's window is the same 10 s, give or take a few ms).
    python3 - "${NAMES[$i]}" "$LINES" <<'PY' | tee -a "$OUT"
import re, sys
name, path = sys.argv[1], sys.argv[2]
rows = [dict(re.findall(r'(\w+)=([\d.]+)', l)) for l in open(path) if 'msgs=' in l]
msgs = sum(float(r['msgs']) for r in rows); secs = float(rows[0]['measured_s'])
errors = sum(float(r['errors']) + float(r['verify_errors']) for r in rows)
print(f"{name} msgs_per_s={msgs / secs:.0f} msgs={msgs:.0f} server_cpu_s={rows[0]['server_cpu_s']} "
      f"measured_s={secs} errors={errors:.0f} foreign_user_cpu_s={rows[0].get('foreign_user_cpu_s', 0)} clients={len(rows)}")
PY
    rm -f "$LINES"
  done
done
python3 - "$OUT" <<'PY'
import re, statistics, sys
rows = {}
for line in open(sys.argv[1]):
    name = line.split()[0]
    kv = dict(re.findall(r'(\w+)=([\d.]+)', line))
    rate = float(kv['msgs_per_s']); cpu = float(kv['server_cpu_s']); secs = float(kv['measured_s'])
    rows.setdefault(name, []).append((rate, cpu * 1e6 / float(kv['msgs']), cpu / secs))
one = None
print()
print("| server | loops | median msgs/s | server CPU us/msg | server cores | cores per loop | msgs/s per loop vs 1 loop |")
print("|---|---:|---:|---:|---:|---:|---:|")
for name, r in rows.items():
    kind, n = name.rsplit('-', 1); n = int(n)
    rate = statistics.median(x[0] for x in r); us = statistics.median(x[1] for x in r); cores = statistics.median(x[2] for x in r)
    if kind == 'jasyncio' and n == 1:
        one = (rate, us)
    eff = f"{rate / (n * one[0]):.2f}" if one and kind == 'jasyncio' else ""
    print(f"| {kind} | {n} | {rate:,.0f} | {us:.2f} | {cores:.2f} | {cores / n:.2f} | {eff} |")
if one:
    for name, r in rows.items():
        kind, n = name.rsplit('-', 1)
        if kind == 'jasyncio' and int(n) > 1:
            print(f"CPU/msg ratio, {n} loops / 1 loop: {statistics.median(x[1] for x in r) / one[1]:.2f}")
        if kind == 'netty':
            j = rows.get('jasyncio-' + n)
            if j:
                print(f"CPU/msg ratio, jasyncio {n} loops / netty {n} event loops: "
                      f"{statistics.median(x[1] for x in j) / statistics.median(x[1] for x in r):.2f}")
PY
rm -f "$OUT"

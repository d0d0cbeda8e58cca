#!/usr/bin/env bash
# RSS of an echo server holding 10,000 connections under load, with a breakdown (issue 14):
# starts the server in its own JVM with Native Memory Tracking on, drives it with the C client
# echoload (CONNS connections x 1 KiB, depth 1), and halfway through the measured window reads the
# server's VmRSS from /proc and its NMT summary (jcmd VM.native_memory summary), then prints the
# committed memory per NMT category beside the RSS. NMT itself costs a few MiB of the RSS it reports
# (its own "Native Memory Tracking" line); RSS is also read once more in a second run without NMT.
#
# Usage: bench/scripts/echo-rss.sh [SERVER] [CONNS] [SECONDS]
#   SERVER  jasyncio (default) or plainnio; CONNS default 10000; SECONDS measured, default 10
# Environment: JAVA (default: the newest JDK under /usr/lib/jvm), ECHOLOAD (default
#   ../shared/bench/echoload), SERVER_OPTS (extra JVM flags for the server, e.g. -Xmx64m), PORT.
# Needs the examples jar (mvn -q -DskipTests package). About 2 x (SECONDS + 10) s.
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cd "$ROOT"
SERVER=${1:-jasyncio}
CONNS=${2:-10000}
SECS=${3:-10}
JAVA=${JAVA:-$(ls -d /usr/lib/jvm/*/bin/java 2>/dev/null | sort -V | tail -1)}
JCMD=$(dirname "$JAVA")/jcmd
ECHOLOAD=${ECHOLOAD:-$ROOT/../shared/bench/echoload}
EXJAR=examples/target/jasyncio-examples.jar
PORT=${PORT:-$((9200 + $$ % 500))}
[ -f "$EXJAR" ] || { echo "echo-rss: $EXJAR is missing: build first (mvn -q -DskipTests package)" >&2; exit 1; }
[ -x "$ECHOLOAD" ] || { echo "echo-rss: no echoload at $ECHOLOAD (build it with ../shared/bench/build.sh)" >&2; exit 1; }
case $SERVER in
  jasyncio) MAIN=io.jasyncio.examples.EchoServerExample; ARGS=(--port "$PORT") ;;
  plainnio) MAIN=io.jasyncio.examples.PlainNioEchoServer; ARGS=(--port "$PORT") ;;
  *) echo "usage: bench/scripts/echo-rss.sh [jasyncio|plainnio] [CONNS] [SECONDS]" >&2; exit 1 ;;
esac

rss_kib() { awk '/^VmRSS/ { print $2 }' "/proc/$1/status"; }

one_run() { # $1 = extra JVM flag (NMT on or off)
  # shellcheck disable=SC2086
  "$JAVA" --add-exports java.base/jdk.internal.vm=ALL-UNNAMED $1 ${SERVER_OPTS:-} -cp "$EXJAR" "$MAIN" "${ARGS[@]}" >/dev/null 2>&1 &
  local pid=$!
  for _ in $(seq 50); do
    (exec 3<>"/dev/tcp/127.0.0.1/$PORT") 2>/dev/null && break
    sleep 0.2
  done
  "$ECHOLOAD" --host 127.0.0.1 --port "$PORT" --conns "$CONNS" --size 1024 --depth 1 --duration "$SECS" --warmup 3 \
    --server-pid "$pid" > "$OUT_LOAD" 2>/dev/null &
  local load=$!
  sleep $((3 + SECS / 2 + 2))
  RSS=$(rss_kib "$pid")
  if [ "$1" != "-XX:NativeMemoryTracking=off" ]; then
    "$JCMD" "$pid" VM.native_memory summary > "$OUT_NMT" 2>&1 || true
    "$JCMD" "$pid" GC.heap_info >> "$OUT_NMT" 2>&1 || true
    awk '/^(Rss|Anonymous|Private_Dirty|Shared_Clean):/ { s[$1] += $2 } END { for (k in s) printf "  smaps %-16s %7.1f MiB\n", k, s[k] / 1024 }' \
      "/proc/$pid/smaps" > "$OUT_SMAPS" 2>/dev/null || true
    "$JCMD" "$pid" GC.class_histogram 2>/dev/null | head -18 > "$OUT_HISTO" || true
  fi
  wait "$load" || true
  kill "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
}

OUT_LOAD=$(mktemp); OUT_NMT=$(mktemp); OUT_SMAPS=$(mktemp); OUT_HISTO=$(mktemp)
trap 'rm -f "$OUT_LOAD" "$OUT_NMT" "$OUT_SMAPS" "$OUT_HISTO"' EXIT
one_run -XX:NativeMemoryTracking=summary
RSS_NMT=$RSS
echo "== $SERVER, $CONNS connections x 1 KiB, flags: ${SERVER_OPTS:-(none)}"
echo "echoload: $(cat "$OUT_LOAD")"
echo "RSS with NMT on: $((RSS_NMT / 1024)) MiB; committed per NMT category (MiB):"
awk '/^-/ && !/used=/ { name=$0; sub(/^- */, "", name); sub(/ *\(.*/, "", name);
            if (match($0, /committed=[0-9]+KB/)) { v=substr($0, RSTART+10, RLENGTH-12); printf "  %-28s %7.1f\n", name, v/1024 } }
     /^Total:/ { if (match($0, /committed=[0-9]+KB/)) { v=substr($0, RSTART+10, RLENGTH-12); printf "  %-28s %7.1f\n", "Total (NMT)", v/1024 } }' "$OUT_NMT"
{ grep -E 'garbage-first heap' "$OUT_NMT" || true; } | sed 's/^ */  /' | head -1
echo "resident memory by kind (/proc/PID/smaps, summed):"
sort "$OUT_SMAPS"
echo "live heap by class, after the RSS was read (jcmd GC.class_histogram, a full GC first):"
sed 's/^/  /' "$OUT_HISTO"
one_run -XX:NativeMemoryTracking=off
echo "RSS with NMT off: $((RSS / 1024)) MiB"
echo "echoload: $(cat "$OUT_LOAD")"

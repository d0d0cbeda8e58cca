#!/usr/bin/env bash
# Side-by-side JMH run of two builds of the bench jar, alternating, for a before/after comparison on
# a noisy machine: each round runs the chosen benchmarks once from each jar (A, then B), and the
# report gives each benchmark's median over the rounds per jar and the ratio B / A.
#
#   bench/scripts/side-by-side.sh BEFORE.jar AFTER.jar [ROUNDS] [REGEX]
#
# JMH_EXTRA adds JMH options (e.g. "-p tasks=1,1000"). Defaults: 3 rounds, 'CoreBenchmarks.(yieldBetweenTwoTasks|spawnAwait)$'. Each JMH run is the
# suite's settings (-f 1 -wi 3 -w 1s -i 5 -r 1s). Raw JSON goes to ${OUT:-/tmp/side-by-side-<time>}.
# Build a jar of another commit with, in a worktree of it:
#   mvn -q -DskipTests -Dmaven.javadoc.skip -Dmaven.source.skip package -pl bench -am
set -euo pipefail
A=${1:?before jar}
B=${2:?after jar}
ROUNDS=${3:-3}
REGEX=${4:-'io.jasyncio.bench.CoreBenchmarks.(yieldBetweenTwoTasks|spawnAwait)$'}
JAVA=${JAVA:-$(ls -d /usr/lib/jvm/*/bin/java 2>/dev/null | sort -V | tail -1)}
OUT=${OUT:-/tmp/side-by-side-$(date -u +%Y%m%dT%H%M%SZ)}
mkdir -p "$OUT"
echo "side-by-side: A=$A B=$B rounds=$ROUNDS, $("$JAVA" -version 2>&1 | head -1), load $(cut -d' ' -f1-3 /proc/loadavg)" >&2
for ((r = 1; r <= ROUNDS; r++)); do
    for side in A B; do
        jar=$A
        [[ $side == B ]] && jar=$B
        # JMH refuses to start while another JMH holds /tmp/jmh.lock (another benchmark on this
        # machine, whose load would spoil the figures anyway): wait for it, up to 10 minutes.
        for ((try = 0; ; try++)); do
            if "$JAVA" -jar "$jar" "$REGEX" -f 1 -wi 3 -w 1s -i 5 -r 1s ${JMH_EXTRA:-} -rf json -rff "$OUT/$side-$r.json" \
                > "$OUT/$side-$r.log" 2>&1; then
                break
            fi
            if ! grep -q "Unable to acquire the JMH lock" "$OUT/$side-$r.log" || ((try >= 30)); then
                echo "side-by-side: the JMH run failed; see $OUT/$side-$r.log" >&2
                tail -5 "$OUT/$side-$r.log" >&2
                exit 1
            fi
            sleep 20
        done
        echo "round $r $side done, load $(cut -d' ' -f1 /proc/loadavg)" >&2
    done
done
python3 - "$OUT" "$ROUNDS" <<'PY'
import json, statistics, sys
out, rounds = sys.argv[1], int(sys.argv[2])
res = {}
for side in "AB":
    for r in range(1, rounds + 1):
        for b in json.load(open(f"{out}/{side}-{r}.json")):
            name = b["benchmark"].rsplit(".", 1)[1]
            if b.get("params"):
                name += " (" + ", ".join(f"{k}={v}" for k, v in sorted(b["params"].items())) + ")"
            res.setdefault(name, {}).setdefault(side, []).append(b["primaryMetric"]["score"])
print("| benchmark | A (before) ns/op, per round | B (after) ns/op, per round | median A | median B | B / A |")
print("|---|---|---|---:|---:|---:|")
fmt = lambda xs: ", ".join(f"{x:.3g}" if x < 10 else f"{x:.1f}" for x in xs)
for name, s in sorted(res.items()):
    if "A" not in s or "B" not in s:  # a benchmark only one build has (added or removed)
        side = "A" if "A" in s else "B"
        print(f"| `{name}` | {fmt(s.get('A', []))} | {fmt(s.get('B', []))} | "
              f"{'' if side == 'B' else f'{statistics.median(s[side]):.3g}'} | "
              f"{'' if side == 'A' else f'{statistics.median(s[side]):.3g}'} | only in {side} |")
        continue
    ma, mb = statistics.median(s["A"]), statistics.median(s["B"])
    print(f"| `{name}` | {fmt(s['A'])} | {fmt(s['B'])} | {ma:.3g} | {mb:.3g} | {mb / ma:.2f} |")
PY

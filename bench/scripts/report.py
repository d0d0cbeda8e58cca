#!/usr/bin/env python3
"""Turns one run of bench/scripts/suite.sh into the Markdown tables of docs/benchmarks.md.

Usage: bench/scripts/report.py RESULTS_DIR   (prints Markdown; suite.sh also writes RESULTS_DIR/report.md)

Reads RESULTS_DIR/jmh.json (JMH), memory.log (SleepingMemory), echo-*.log (bench-echo3.sh with
echoload) and crosscheck.log (bench-echo3.sh with the project's own Java client). Every figure in
the output comes from those files; medians over JMH iterations and over echo rounds.
"""
import json
import os
import re
import statistics
import sys

D = sys.argv[1]


def median(xs):
    return statistics.median(xs) if xs else float('nan')


def fmt(x, digits=1):
    x = float(x)  # JMH writes "NaN" (a string) for an error it cannot compute
    if x != x:  # NaN
        return 'n/a'
    if x >= 1000:
        return f'{x:,.0f}'
    return f'{x:.{digits}f}' if x >= 1 else f'{x:.2f}'


out = []
p = out.append

# ---------------------------------------------------------------- machine and run
info = open(os.path.join(D, 'machine.txt')).read().strip() if os.path.exists(os.path.join(D, 'machine.txt')) else ''
p('Run: ' + info.replace('\n', ' ') if info else 'Run: (no machine.txt)')
p('')

# ---------------------------------------------------------------- JMH
jmh = {}
# Rows with a `tasks` parameter (CoreBenchmarks.Scale): benchmark -> {tasks: median ns per task}.
scaled = {}
path = os.path.join(D, 'jmh.json')
if os.path.exists(path):
    for b in json.load(open(path)):
        name = b['benchmark'].split('.')[-1]
        params = b.get('params', {})
        engine = params.get('engine')
        if engine:
            name += f' ({engine})'
        raw = [x for fork in b['primaryMetric']['rawData'] for x in fork]
        tasks = params.get('tasks')
        if tasks:
            scaled.setdefault(name, {})[int(tasks)] = median(raw)
            name += f" ({int(tasks):,} task{'' if int(tasks) == 1 else 's'})"
        jmh[name] = (median(raw), b['primaryMetric']['score'], b['primaryMetric']['scoreError'])

    p('### Microbenchmarks (JMH, ns per operation)')
    p('')
    p('| benchmark | median | mean ± 99.9% error |')
    p('|---|---:|---:|')
    for name, (med, score, err) in jmh.items():
        p(f'| `{name}` | {fmt(med, 2)} | {fmt(score, 2)} ± {fmt(err, 2)} |')
    p('')


SCALE_PATTERNS = {'spawnAwaitInSpawnOrder': 'spawn N, await in spawn order',
                  'spawnAwaitInReverseOrder': 'spawn N, await in reverse order',
                  'spawnAwaitViaGather': 'spawn N, `gather` them'}
if scaled:
    sizes = sorted({n for row in scaled.values() for n in row})
    p('### Spawn + await at scale (JMH, ns per task, median; every invocation runs 1,000,000 tasks in rounds of N)')
    p('')
    # 1,000,000 / 1,000 is the criterion; 1,000,000 / 100,000 compares two sizes that are
    # both far beyond the CPU caches, where anything but a flat cost is the algorithm's doing.
    ratios = [(1000000, 1000), (1000000, 100000)]
    p('| pattern | ' + ' | '.join(f'N = {n:,}' for n in sizes) + ' | '
      + ' | '.join(f'{a:,} / {b:,}' for a, b in ratios) + ' |')
    p('|---|' + '---:|' * (len(sizes) + len(ratios)))
    def ratio_cell(x):
        return 'n/a' if x != x else f'{x:.2f}×'

    order = [n for n in SCALE_PATTERNS if n in scaled] + [n for n in scaled if n not in SCALE_PATTERNS]
    for name in order:
        row = scaled[name]
        cells = [fmt(row.get(n, float('nan'))) for n in sizes]
        cells += [ratio_cell(row.get(a, float('nan')) / row.get(b, float('nan'))) for a, b in ratios]
        p(f'| {SCALE_PATTERNS.get(name, name)} (`{name}`) | ' + ' | '.join(cells) + ' |')
    p('')


def m(name):
    return jmh.get(name, (float('nan'),))[0]


targets = []


def target(what, ratio, limit, detail):
    verdict = 'n/a' if ratio != ratio else ('**met**' if ratio <= limit else '**missed**')
    targets.append(f'| {what} | {detail} = **{ratio:.2f}×** | {verdict} |')


def micro_target(what, ours, peer, limit):
    target(what, m(ours) / m(peer), limit, f'{fmt(m(ours))} / {fmt(m(peer))} ns')


if jmh:
    micro_target('yield round trip ≤ 1.3× raw continuation resume/suspend',
                 'yieldBetweenTwoTasks', 'rawContinuationResumeSuspend', 1.3)
    micro_target('spawn+await ≤ 1.5× raw continuation create+run', 'spawnAwait', 'rawContinuationCreateRun', 1.5)
    micro_target('spawn+await below a virtual-thread start+join (in a virtual thread)',
                 'spawnAwait', 'virtualThreadStartJoinInVirtualThread', 1.0)
    micro_target('timer schedule+cancel ≤ 0.3× ScheduledThreadPoolExecutor',
                 'timerScheduleCancel', 'scheduledThreadPoolScheduleCancel', 0.3)
    micro_target('one-slot queue ping-pong ≤ 0.75× SynchronousQueue (two virtual threads)',
                 'queuePingPong (continuation)', 'synchronousQueuePingPong', 0.75)
    for name in [n for n in SCALE_PATTERNS if n in scaled]:
        micro_target(f'{SCALE_PATTERNS.get(name, name)}: per task at 1,000,000 ≤ 1.5× at 1,000 (issue 9)',
                     f'{name} (1,000,000 tasks)', f'{name} (1,000 tasks)', 1.5)

# ---------------------------------------------------------------- memory
path = os.path.join(D, 'memory.log')
if os.path.exists(path):
    mem = dict(re.findall(r'RESULT (\S+) bytesPerTask ([\d.]+)', open(path).read()))
    if 'jasyncio' in mem and 'vthread' in mem:
        a, b = float(mem['jasyncio']), float(mem['vthread'])
        p('### Memory: heap bytes per sleeping task (`SleepingMemory`)')
        p('')
        p('| sleeper | bytes per sleeper |')
        p('|---|---:|')
        p(f'| jasyncio task in `Async.sleep` | {a:.0f} |')
        p(f'| virtual thread in `Thread.sleep` | {b:.0f} |')
        p('')
        target('heap bytes per sleeping task ≤ 0.5× a sleeping virtual thread', a / b, 0.5, f'{a:.0f} / {b:.0f} B')

# ---------------------------------------------------------------- echo


def echo_rows(path):
    """server -> list of dicts (one per round) from a bench-echo3.sh log."""
    rows = {}
    for line in open(path):
        if line.startswith('#') or '=' not in line:
            continue
        name = line.split()[0]
        kv = {k: float(v) for k, v in re.findall(r'(\w+)=([\d.]+)', line)}
        if kv.get('msgs', 0) > 0 and 'server_cpu_s' in kv:
            rows.setdefault(name, []).append(kv)
        else:
            rows.setdefault(name, [])
    return rows


def summarise(rows):
    s = {}
    for name, runs in rows.items():
        if not runs:
            s[name] = None
            continue
        s[name] = dict(
            rate=median([r['msgs_per_s'] for r in runs]),
            cpu=median([r['server_cpu_s'] * 1e6 / r['msgs'] for r in runs]),
            p50=median([r.get('p50_us', float('nan')) for r in runs]),
            p99=median([r.get('p99_us', float('nan')) for r in runs]),
            errors=sum(int(r.get('errors', 0)) + int(r.get('verify_errors', 0)) for r in runs),
            runs=len(runs),
            rates=[int(r['msgs_per_s']) for r in runs])
    return s


NAMES = {'jasyncio': 'jasyncio', 'plainnio': 'plain NIO', 'netty': 'Netty'}
echo = {}
for f in sorted(os.listdir(D)):
    mm = re.match(r'echo-(\d+)-(\d+)\.log$', f)
    if mm:
        echo[(int(mm.group(1)), int(mm.group(2)))] = summarise(echo_rows(os.path.join(D, f)))

if echo:
    p('### Echo: one thread per server, driven by `../shared/bench/echoload` (medians over the rounds)')
    p('')
    p('| connections × size | server | msgs/s | server CPU µs/msg | p50 / p99 µs | errors | msgs/s per round |')
    p('|---|---|---:|---:|---:|---:|---|')
    for (conns, size), s in sorted(echo.items()):
        for name in ('jasyncio', 'plainnio', 'netty'):
            r = s.get(name)
            label = f'{conns:,} × {size // 1024} KiB'
            if r is None:
                p(f'| {label} | {NAMES[name]} | no successful run | | | | |')
                continue
            p(f"| {label} | {NAMES[name]} | {r['rate']:,.0f} | {r['cpu']:.2f} | {r['p50']:,.0f} / {r['p99']:,.0f} | "
              f"{r['errors']} | {', '.join(f'{x:,}' for x in r['rates'])} |")
    p('')

    def ratio(key, a, b, field):
        s = echo.get(key) or {}
        if not s.get(a) or not s.get(b):
            return float('nan')
        return s[a][field] / s[b][field]

    for key, what in (((100, 1024), '100 × 1 KiB'), ((10000, 1024), '10,000 × 1 KiB')):
        if key not in echo:
            continue
        # msgs/s targets are "at least": report ours/peer and meet when >= 1, i.e. peer/ours <= 1.
        r = ratio(key, 'jasyncio', 'plainnio', 'rate')
        if key == (100, 1024):
            targets.append(f"| echo {what}: msgs/s ≥ plain NIO | **{r:.2f}×** plain NIO's | "
                           f"{'**met**' if r >= 1 else '**missed**'} |")
        r = ratio(key, 'jasyncio', 'netty', 'rate')
        targets.append(f"| echo {what}: msgs/s ≥ Netty | **{r:.2f}×** Netty's | {'**met**' if r >= 1 else '**missed**'} |")
        if key == (100, 1024):
            r = ratio(key, 'jasyncio', 'plainnio', 'cpu')
            targets.append(f"| echo {what}: server CPU/msg ≤ 1.05× plain NIO | **{r:.2f}×** | "
                           f"{'**met**' if r <= 1.05 else '**missed**'} |")
    for key in sorted(echo):
        if key[1] == 65536:
            r = ratio(key, 'jasyncio', 'plainnio', 'rate')
            n = ratio(key, 'jasyncio', 'netty', 'rate')
            targets.append(f"| echo {key[0]:,} × 64 KiB (no target) | **{r:.2f}×** plain NIO's msgs/s, **{n:.2f}×** Netty's | — |")

path = os.path.join(D, 'crosscheck.log')
if os.path.exists(path):
    s = summarise(echo_rows(path))
    p("### Cross-check: the same servers driven by the project's own Java client (`EchoClientExample`, 100 × 1 KiB)")
    p('')
    p('| server | msgs/s | server CPU µs/msg | p50 / p99 µs |')
    p('|---|---:|---:|---:|')
    for name in ('jasyncio', 'plainnio', 'netty'):
        r = s.get(name)
        if r:
            p(f"| {NAMES[name]} | {r['rate']:,.0f} | {r['cpu']:.2f} | {r['p50']:,.0f} / {r['p99']:,.0f} |")
    p('')

if targets:
    p('### Targets (issues 5 and 9), every ratio from this run')
    p('')
    p('| target | this run | verdict |')
    p('|---|---|---|')
    out.extend(targets)
    p('')

print('\n'.join(out))

#!/usr/bin/env python3
"""Summarises the execution samples of a JFR recording: the methods where the samples were taken
(self) and the methods on the stack (inclusive), as shares of all samples of the chosen threads.

Usage: bench/scripts/jfr-top.py RECORDING.jfr [THREAD_SUBSTRING] [N]
Needs `jfr` from the JDK that made the recording (JFR environment variable, else next to JAVA).
"""
import collections
import os
import re
import subprocess
import sys

rec = sys.argv[1]
thread = sys.argv[2] if len(sys.argv) > 2 else ''
top = int(sys.argv[3]) if len(sys.argv) > 3 else 15
jfr = os.environ.get('JFR') or os.path.join(os.path.dirname(os.environ.get('JAVA', '/usr/lib/jvm/temurin-25-jdk-amd64/bin/java')), 'jfr')
text = subprocess.run([jfr, 'print', '--events', 'jdk.ExecutionSample', '--stack-depth', '64', rec],
                      capture_output=True, text=True, check=True).stdout

self_count, incl, total = collections.Counter(), collections.Counter(), 0
for block in text.split('jdk.ExecutionSample {')[1:]:
    m = re.search(r'sampledThread = "([^"]*)"', block)
    if thread and (not m or thread not in m.group(1)):
        continue
    s = re.search(r'stackTrace = \[\n(.*?)\n\s*\]', block, re.S)
    if not s:
        continue
    frames = [re.sub(r'\s+line:.*$', '', f.strip()) for f in s.group(1).split('\n')]
    frames = [f for f in frames if f and f != '...']
    if not frames:
        continue
    total += 1
    self_count[frames[0]] += 1
    for f in set(frames):
        incl[f] += 1

print(f'{total} samples' + (f' on threads matching "{thread}"' if thread else ''))
print(f'-- where the samples were taken (top {top})')
for f, n in self_count.most_common(top):
    print(f'{100 * n / total:5.1f}%  {f}')
print(f'-- on the stack (top {top}, jasyncio and JDK continuation frames)')
shown = 0
for f, n in incl.most_common():
    if ('io.jasyncio' in f or 'Continuation' in f) and 'bench' not in f and 'jmh_generated' not in f:
        print(f'{100 * n / total:5.1f}%  {f}')
        shown += 1
        if shown == top:
            break

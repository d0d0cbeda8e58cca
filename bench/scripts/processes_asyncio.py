#!/usr/bin/env python3
"""Python asyncio's side of bench ProcessBenchmark: one timed round, printed as a number of ms.

  spawn N        start N `true` children at once and wait for all (create_subprocess_exec + wait)
  pipe MIB       push MIB MiB through `cat` (stdin -> stdout), reading it back, every byte counted
"""
import asyncio
import sys
import time


async def spawn(n):
    async def one():
        p = await asyncio.create_subprocess_exec("true")
        rc = await p.wait()
        assert rc == 0, rc
    t0 = time.perf_counter()
    await asyncio.gather(*(one() for _ in range(n)))
    return time.perf_counter() - t0


async def pipe(mib):
    chunk = bytes(range(256)) * 256  # 64 KiB
    total = mib * 1024 * 1024
    t0 = time.perf_counter()
    p = await asyncio.create_subprocess_exec("cat", stdin=asyncio.subprocess.PIPE, stdout=asyncio.subprocess.PIPE)

    async def feed():
        left = total
        while left > 0:
            p.stdin.write(chunk)
            await p.stdin.drain()
            left -= len(chunk)
        p.stdin.close()

    async def drain():
        got = 0
        while True:
            b = await p.stdout.read(65536)
            if not b:
                return got
            got += len(b)

    _, got = await asyncio.gather(feed(), drain())
    assert got == total, (got, total)
    await p.wait()
    return time.perf_counter() - t0


def main():
    what, n = sys.argv[1], int(sys.argv[2])
    took = asyncio.run(spawn(n) if what == "spawn" else pipe(n))
    print(f"{took * 1000:.1f}")


if __name__ == "__main__":
    main()

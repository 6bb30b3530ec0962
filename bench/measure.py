#!/usr/bin/env python3
"""Run a command and record its wall time and peak resident memory.

usage: measure.py METRICS.json [--timeout SECONDS] -- COMMAND [ARGS...]

The command inherits stdin/stdout/stderr, so its output passes through untouched. Peak RSS is
ru_maxrss from os.wait4 on the child (KiB on Linux, bytes on macOS): the kernel's own high-water
mark for that process and any children it reaped, which sampling /proc from outside can miss.
With --timeout the child is killed (SIGKILL) when the time is up and "timed_out" is recorded.
"""
import json
import os
import signal
import sys
import time


def main() -> int:
    args = sys.argv[1:]
    timeout = 0.0
    if len(args) >= 3 and args[1] == "--timeout":
        timeout = float(args[2])
        args = [args[0], *args[3:]]
    if len(args) < 3 or args[1] != "--":
        print(__doc__, file=sys.stderr)
        return 2
    metrics_path, command = args[0], args[2:]
    start = time.monotonic()
    pid = os.fork()
    if pid == 0:
        try:
            os.execvp(command[0], command)
        except OSError as err:
            print(f"measure.py: cannot run {command[0]}: {err}", file=sys.stderr)
        os._exit(127)
    timed_out = False

    def on_alarm(_signum, _frame):
        nonlocal timed_out
        timed_out = True
        os.kill(pid, signal.SIGKILL)

    if timeout > 0:
        signal.signal(signal.SIGALRM, on_alarm)
        signal.setitimer(signal.ITIMER_REAL, timeout)
    _, status, usage = os.wait4(pid, 0)
    signal.setitimer(signal.ITIMER_REAL, 0)
    wall = time.monotonic() - start
    code = os.waitstatus_to_exitcode(status)
    max_rss_kib = usage.ru_maxrss / 1024 if sys.platform == "darwin" else usage.ru_maxrss
    with open(metrics_path, "w", encoding="utf-8") as out:
        json.dump(
            {
                "wall_ms": round(wall * 1000, 1),
                "max_rss_kib": int(max_rss_kib),
                "user_s": round(usage.ru_utime, 3),
                "sys_s": round(usage.ru_stime, 3),
                "exit_code": code,
                "timed_out": timed_out,
            },
            out,
        )
    return code if code >= 0 else 128 - code


if __name__ == "__main__":
    sys.exit(main())

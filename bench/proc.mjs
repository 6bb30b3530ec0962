// What Linux's /proc says about another process: the CPU time it has used and its peak memory.
// Shared by the benches that measure a server they started (server, dashboard, store, ClickHouse).
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

/** Clock ticks per second, the unit of utime and stime in /proc/<pid>/stat. */
const CLK_TCK = Number(spawnSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).stdout?.trim()) || 100;

/**
 * CPU seconds (user + system) process `pid` has used so far, or with `task` only that thread of it
 * (the main thread's id is the process's); null once it is gone.
 */
export function cpuSeconds(pid, task) {
  try {
    const stat = readFileSync(
      task === undefined ? `/proc/${pid}/stat` : `/proc/${pid}/task/${task}/stat`,
      'utf8',
    );
    // Fields after the command name (which may hold spaces): utime and stime are the 12th and 13th.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / CLK_TCK;
  } catch {
    return null;
  }
}

/** Peak resident memory (VmHWM) of process `pid` so far, in MiB; null once it is gone. */
export function peakRssMiB(pid) {
  try {
    const kb = Number(/VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1]);
    return Number.isFinite(kb) ? Math.round(kb / 1024) : null;
  } catch {
    return null;
  }
}

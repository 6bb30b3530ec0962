// Benchmarks of a 5,000-engineer year: their inputs (millions of commit and session objects)
// outgrow Node's default heap limit, and retained heap is only measurable with `gc()`. Called
// first thing, this re-runs the calling script in a child with both and exits with its status;
// in the child it returns.
import { spawnSync } from 'node:child_process';
import { totalmem } from 'node:os';
import { fileURLToPath } from 'node:url';

const CHILD = 'TOKENYIELD_BENCH_BIG_HEAP_CHILD';

/** `script` is the caller's `import.meta.url`. */
export function rerunWithBigHeap(script) {
  if (process.env[CHILD] === '1') return;
  const heapMiB = Math.min(16_384, Math.floor((totalmem() * 0.75) / (1024 * 1024)));
  const r = spawnSync(
    process.execPath,
    ['--expose-gc', `--max-old-space-size=${heapMiB}`, fileURLToPath(script), ...process.argv.slice(2)],
    { stdio: 'inherit', env: { ...process.env, [CHILD]: '1' } },
  );
  process.exit(r.status ?? 1);
}

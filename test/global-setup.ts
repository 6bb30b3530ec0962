/**
 * The CLI tests run the real `bin/tokenyield.js`, which loads the compiled `dist/`. Build it
 * once before any test so they never exercise stale output. Type errors do not stop the tests
 * (tsc still emits, and `npm run typecheck` is the gate in CI): a type error in one module should
 * not hide what the tests say about every other.
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export default function setup(): void {
  const root = fileURLToPath(new URL('..', import.meta.url));
  const result = spawnSync(
    process.execPath,
    ['node_modules/typescript/bin/tsc', '-p', 'tsconfig.build.json'],
    {
      cwd: root,
      stdio: 'inherit',
    },
  );
  if (result.error) throw result.error;
  if (result.status !== 0)
    process.stderr.write('global-setup: tsc reported errors; dist/ was emitted anyway\n');
}

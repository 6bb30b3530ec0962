#!/usr/bin/env node
// CommonJS (bin/package.json), so that the process is tuned before the first ES module loads:
// see src/cli/process-tuning.ts. `require` of an ES module needs Node 20.19 or later; older
// versions run untuned.
try {
  require('../dist/cli/process-tuning.js').tuneProcess(process.argv, process.env);
} catch (error) {
  if (error?.code !== 'ERR_REQUIRE_ESM') throw error;
}

import('../dist/cli/main.js').then(async ({ main }) => {
  process.exitCode = await main(process.argv);
});

#!/usr/bin/env node
import { setFlagsFromString } from 'node:v8';

/*
 * Keep the V8 heap close to what is live. By default V8 lets the old generation grow to several
 * times the live set; a cold ingest of the 2 GB bench history then peaked at ~210 MB of heap for
 * ~40 MB live, most of the process's peak RSS. The factor is read at every GC, so setting it here
 * works without re-executing Node, and it does not cap the heap: a large report still gets what
 * it needs. (Sizes fixed when the heap is created, such as the young generation's, cannot be set
 * this way: `setFlagsFromString('--max-semi-space-size=…')` is silently ignored.) `serve` puts
 * V8's own factor back, see serve-run.ts.
 */
setFlagsFromString('--heap-growing-percent=20');

const { main } = await import('../dist/cli/main.js');
process.exitCode = await main(process.argv);

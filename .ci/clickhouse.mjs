#!/usr/bin/env node
// CI: one private ClickHouse for the whole test run (loopback only, free ports, its own config and
// data folder under the temp dir), so that every test file shares it instead of starting its own.
// Writes the server's URL to the file named by the first argument once it answers; stops the
// server and removes its folder on SIGTERM or SIGINT.
import { writeFileSync } from 'node:fs';
import { startLocalClickHouse } from '../dist/ledger/store/clickhouse/test-server.js';

const [urlFile] = process.argv.slice(2);
if (!urlFile) {
  process.stderr.write('usage: node .ci/clickhouse.mjs <file to write the URL to>\n');
  process.exit(2);
}
const server = await startLocalClickHouse();
writeFileSync(urlFile, server.url);
process.stdout.write(`ClickHouse for the tests: ${server.url} (data in ${server.dir})\n`);
const stop = async () => {
  await server.stop();
  process.exit(0);
};
process.once('SIGTERM', stop);
process.once('SIGINT', stop);
setInterval(() => {}, 1 << 30);

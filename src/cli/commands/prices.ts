import type { Command } from 'commander';
import { loadConfig } from '../../config/config.js';
import { listPrices, type PriceListing, priceBookFor } from '../../ledger/pricing/index.js';
import { type GlobalOptions, withGlobalOptions } from '../context.js';
import { type Column, renderTable } from '../format/table.js';

const rate = (n: number) => (n === 0 ? '–' : n.toFixed(n < 1 ? 3 : 2));

const COLUMNS: Column<PriceListing>[] = [
  { header: 'Model', value: (p) => p.model, align: 'left' },
  { header: 'Input', value: (p) => rate(p.input) },
  { header: 'Output', value: (p) => rate(p.output) },
  { header: 'Cache read', value: (p) => rate(p.cacheRead) },
  { header: 'Write 5m', value: (p) => rate(p.cacheWrite5m) },
  { header: 'Write 1h', value: (p) => rate(p.cacheWrite1h) },
  { header: 'Write other', value: (p) => rate(p.cacheWriteOther) },
  {
    header: 'Long context',
    value: (p) => (p.longContext ? `>${p.longContext.thresholdTokens / 1000}K` : '–'),
    align: 'left',
  },
  { header: 'Fast', value: (p) => (p.fastMultiplier ? `×${p.fastMultiplier}` : '–'), align: 'left' },
  { header: 'Discount', value: (p) => (p.discountPercent ? `${p.discountPercent}%` : '–') },
  {
    header: 'Source',
    value: (p) => (p.origin === 'override' ? 'your config' : [p.quality, p.date].filter(Boolean).join(', ')),
    align: 'left',
  },
];

export function registerPrices(program: Command): void {
  withGlobalOptions(program.command('prices'))
    .description('the price table in use (bundled list prices plus your overrides), USD per million tokens')
    .option('--json', 'print JSON')
    .action(async (opts: { json?: boolean }, cmd: Command) => {
      const { config } = await loadConfig(cmd.optsWithGlobals<GlobalOptions>().config);
      const book = priceBookFor(config.pricing);
      const rows = listPrices(book);
      if (opts.json) {
        process.stdout.write(`${JSON.stringify({ version: book.version, models: rows }, null, 2)}\n`);
        return;
      }
      process.stdout.write(
        `Price table ${book.version} (USD per million tokens)\n${renderTable(COLUMNS, rows)}\n`,
      );
    });
}

/**
 * Every local-file source tokenyield reads, in the order they are ingested.
 *
 * Discovery is loaded with this module and each parser on its first file: a re-run with nothing
 * new only lists and stats files (ledger-manifest.ts), and the parsers' modules were ~40 ms of its
 * start-up. Each source's description lives in its `paths.ts`; index.test.ts checks that each entry
 * describes the source it loads.
 * @module
 */
import { claudeCodeDescription } from './claude-code/paths.js';
import { codexDescription } from './codex/paths.js';
import { geminiCliDescription } from './gemini-cli/paths.js';
import type { FileSource, SourceDescription } from './source.js';

function parsedOnDemand(described: SourceDescription, load: () => Promise<FileSource>): FileSource {
  let loading: Promise<FileSource> | undefined;
  return {
    ...described,
    async parse(file, start, sink) {
      loading ??= load();
      return (await loading).parse(file, start, sink);
    },
  };
}

export const LOCAL_SOURCES: readonly FileSource[] = [
  parsedOnDemand(
    claudeCodeDescription,
    async () => (await import('./claude-code/source.js')).claudeCodeSource,
  ),
  parsedOnDemand(codexDescription, async () => (await import('./codex/source.js')).codexSource),
  parsedOnDemand(geminiCliDescription, async () => (await import('./gemini-cli/source.js')).geminiCliSource),
];

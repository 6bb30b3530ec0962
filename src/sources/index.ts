/**
 * Every local-file source tokenyield reads, in the order they are ingested.
 *
 * Discovery is loaded with this module and each parser on its first file: a re-run with nothing
 * new only lists and stats files (ledger-manifest.ts), and the parsers' modules were ~40 ms of its
 * start-up. index.test.ts checks that each entry describes the source it loads.
 * @module
 */
import { discoverTranscripts } from './claude-code/paths.js';
import { discoverRollouts } from './codex/paths.js';
import { discoverChats } from './gemini-cli/paths.js';
import type { FileSource } from './source.js';

type Described = Omit<FileSource, 'parse'>;

function parsedOnDemand(described: Described, load: () => Promise<FileSource>): FileSource {
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
    { id: 'claude_code_jsonl', tool: 'claude-code', mode: 'append', discover: discoverTranscripts },
    async () => (await import('./claude-code/source.js')).claudeCodeSource,
  ),
  parsedOnDemand(
    { id: 'codex_rollout', tool: 'codex', mode: 'append', discover: discoverRollouts },
    async () => (await import('./codex/source.js')).codexSource,
  ),
  parsedOnDemand(
    { id: 'gemini_cli_chat', tool: 'gemini-cli', mode: 'whole', discover: discoverChats },
    async () => (await import('./gemini-cli/source.js')).geminiCliSource,
  ),
];

/**
 * Every local-file source tokenyield reads, in the order they are ingested.
 * @module
 */
import { claudeCodeSource } from './claude-code/index.js';
import { codexSource } from './codex/index.js';
import { geminiCliSource } from './gemini-cli/index.js';
import type { FileSource } from './source.js';

export const LOCAL_SOURCES: readonly FileSource[] = [claudeCodeSource, codexSource, geminiCliSource];

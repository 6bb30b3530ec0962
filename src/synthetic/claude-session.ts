/**
 * Simulates one Claude Code conversation (a main session or a subagent) and writes its
 * transcript line by line. Token numbers follow a prompt-caching model: each call re-reads the
 * cached prefix, writes what was added since the previous call, and the context grows with tool
 * output until it is compacted — so prompts stay below 200k tokens unless a session is opted
 * into long context.
 * @module
 */
import { join } from 'node:path';
import {
  assistantLine,
  attachmentLine,
  type ContentBlock,
  compactSummaryLine,
  type Envelope,
  fileHistorySnapshotLine,
  iso,
  queueOperationLine,
  syntheticErrorLine,
  systemLine,
  type TtlMode,
  toolResultLine,
  type UsageNumbers,
  userPromptLine,
} from './claude-lines.js';
import { listCostUsd } from './list-prices.js';
import type { Rng } from './prng.js';
import {
  type BashKind,
  bashOutput,
  type Corpus,
  capitalize,
  humanPrompt,
  noun,
  type PoolFile,
  verb,
  word,
} from './text.js';
import type { TruthLedger } from './truth.js';
import { JsonlWriter } from './writer.js';

/** Normal sessions compact well before this; it is the hard ceiling for one prompt. */
export const PROMPT_LIMIT = 200_000;
const LONG_PROMPT_LIMIT = 950_000;
/** Characters per token for code-heavy content; only shapes the numbers, never checked. */
const CHARS_PER_TOKEN = 3.6;
const RING_MAX_CHARS = 2 * 1024 * 1024;
const RING_MAX_GROUPS = 8;

export interface Project {
  cwd: string;
  dirName: string;
  subdirs: string[];
  branches: string[];
  paths: string[];
  files: PoolFile[];
}

export interface Stats {
  [key: string]: number;
}

export function bump(stats: Stats, key: string, n = 1): void {
  stats[key] = (stats[key] ?? 0) + n;
}

/** Shared by every conversation of one generated history. */
export interface GenContext {
  corpus: Corpus;
  truth: TruthLedger;
  stats: Stats;
  projectsDir: string;
  /** Claims one more file for a subagent/side-question transcript; false when the budget is spent. */
  takeFileSlot(): boolean;
  /** Byte budget for a new subagent transcript. */
  subagentBudget(rng: Rng): number;
  /** Called with the size of every transcript file when it is closed. */
  fileClosed(path: string, bytes: number, isMain: boolean): void;
}

export interface ConversationConfig {
  project: Project;
  env: Envelope;
  model: string;
  models: ReadonlyArray<readonly [string, number]>;
  ttl: TtlMode;
  /** Third-party gateway: `msg_bdrk_…` ids and no `requestId`. */
  gateway: boolean;
  /**
   * Write gateway calls as several streaming lines (as real gateways do). Off by default because
   * ccusage 20.0.24 does not fall back to `message.id` when `requestId` is absent and would count
   * every line, so its totals could no longer be compared with the truth.
   */
  splitGatewayCalls: boolean;
  longContext: boolean;
  permissionMode: string;
  startTs: number;
  allowTask: boolean;
  allowSideQuestion: boolean;
}

interface LastCall {
  messageId: string;
  requestId: string | null;
  model: string;
  block: ContentBlock;
  stopReason: string;
  usage: UsageNumbers;
  uuid: string;
}

interface PendingTool {
  block: Extract<ContentBlock, { type: 'tool_use' }>;
  assistantUuid: string;
  run: (allowanceChars: number) => ToolOutcome;
}

interface ToolOutcome {
  content: string | ReadonlyArray<{ type: 'text'; text: string }>;
  isError: boolean | null;
  toolUseResult: unknown;
  /** Tokens the result adds to the next prompt. */
  tokens: number;
  durationMs: number;
}

function clamp(x: number, lo: number, hi: number): number {
  return Math.min(hi, Math.max(lo, x));
}

export class Conversation {
  clock: number;
  lastUuid: string | null = null;
  /** Tokens the next call will send. */
  ctx: number;
  /** Tokens of `ctx` already in the prompt cache. */
  private cached = 0;
  private lastCallTs: number | null = null;
  private readonly sharedPrefix: number;
  private readonly compactAt: number;
  private promptId: string;
  private model: string;
  private lastCall: LastCall | null = null;
  private sideQuestionDone = false;
  private lastPrompt = '';
  /** Recent call groups (verbatim lines), for the copy a resumed session starts with. */
  readonly ring: string[][] = [];
  private ringChars = 0;
  private group: string[] | null = null;
  toolUses = 0;
  usageTotal = 0;

  constructor(
    private readonly gen: GenContext,
    private readonly rng: Rng,
    readonly writer: JsonlWriter,
    readonly cfg: ConversationConfig,
  ) {
    this.clock = cfg.startTs;
    this.model = cfg.model;
    this.sharedPrefix = cfg.env.isSidechain ? rng.int(3_000, 9_000) : rng.int(8_000, 22_000);
    // 1M-window sessions are opened by people who load a lot up front; start them large.
    this.ctx = this.sharedPrefix + (cfg.longContext ? rng.int(120_000, 260_000) : rng.int(200, 3_000));
    this.compactAt = cfg.longContext ? rng.int(320_000, 800_000) : rng.int(110_000, 165_000);
    this.promptId = rng.uuid();
  }

  private get limit(): number {
    return this.cfg.longContext ? LONG_PROMPT_LIMIT : PROMPT_LIMIT - 8_000;
  }

  private emit(line: string): void {
    this.writer.line(line);
    if (this.group !== null) this.group.push(line);
  }

  /** Continues from a previous conversation's state (resumed session). */
  adopt(ctx: number, lastUuid: string | null): void {
    this.ctx = Math.min(ctx, this.compactAt);
    this.lastUuid = lastUuid;
  }

  writeRaw(line: string): void {
    this.writer.line(line);
  }

  /** A human turn: prompt, then agent steps until the model ends the turn. */
  turn(opts: { first: boolean; wrapUp: () => boolean; maxSteps?: number }): void {
    const { rng, cfg } = this;
    const env = cfg.env;
    const prompt = humanPrompt(rng, this.gen.corpus);
    this.lastPrompt = prompt;
    this.promptId = rng.uuid();
    if (env.era === 'v3' && !env.isSidechain && (env.entrypoint === 'sdk-cli' || rng.chance(0.25))) {
      this.emit(queueOperationLine('enqueue', this.clock, env.sessionId, prompt));
      this.emit(queueOperationLine('dequeue', this.clock + 1, env.sessionId));
    }
    this.clock += rng.int(50, 400);
    if (rng.chance(0.06) && opts.first === false) this.modelSwitch();
    const uuid = rng.uuid();
    this.emit(
      userPromptLine(env, {
        parentUuid: this.lastUuid,
        uuid,
        ts: this.clock,
        promptId: this.promptId,
        content: prompt,
        permissionMode: cfg.permissionMode,
      }),
    );
    this.lastUuid = uuid;
    if (opts.first && env.era === 'v3') this.attachments();
    if (env.era !== 'v1' && !env.isSidechain && rng.chance(0.6)) {
      this.emit(fileHistorySnapshotLine(uuid, this.clock, this.backups(), false));
    }
    this.ctx += Math.ceil(prompt.length / CHARS_PER_TOKEN) + 20;
    const turnStart = this.clock;
    const steps = opts.maxSteps ?? clamp(Math.round(rng.logNormal(4, 0.8)), 1, 40);
    for (let i = 0; i < steps; i++) {
      const final = i === steps - 1 || opts.wrapUp();
      if (rng.chance(0.008)) this.syntheticError();
      this.call(final ? 'final' : 'tools');
      if (final) break;
    }
    if (env.era === 'v3' && rng.chance(0.5)) {
      const sys = rng.uuid();
      this.emit(
        systemLine(env, {
          parentUuid: this.lastUuid,
          uuid: sys,
          ts: this.clock + 5,
          subtype: 'turn_duration',
          fields: { durationMs: this.clock - turnStart, isMeta: false },
        }),
      );
      this.lastUuid = sys;
    }
    // Think time before the next prompt; long gaps let 5-minute caches expire.
    this.clock += Math.round(clamp(rng.logNormal(90_000, 1.3), 4_000, 4 * 3600_000));
  }

  finish(): void {
    if (this.cfg.env.era === 'v3' && !this.cfg.env.isSidechain && this.lastUuid !== null) {
      this.writer.line(
        JSON.stringify({
          type: 'last-prompt',
          lastPrompt: this.lastPrompt,
          leafUuid: this.lastUuid,
          sessionId: this.cfg.env.sessionId,
        }),
      );
    }
  }

  private modelSwitch(): void {
    this.model = this.rng.weighted(this.cfg.models);
  }

  private attachments(): void {
    const { rng, cfg } = this;
    const agents = ['general-purpose', 'Explore', 'Plan', 'statusline-setup'];
    const first = rng.uuid();
    this.emit(
      attachmentLine(cfg.env, {
        parentUuid: this.lastUuid,
        uuid: first,
        ts: this.clock - 1,
        attachment: {
          type: 'agent_listing_delta',
          addedTypes: agents,
          addedLines: agents.map((a) => `- ${a}: ${this.gen.corpus.text(rng, rng.int(80, 420))} (Tools: *)`),
          removedTypes: [],
          isInitial: true,
          showConcurrencyNote: true,
        },
      }),
    );
    const skills = [
      'update-config',
      'verify',
      'code-review',
      'simplify',
      'loop',
      'init',
      'review',
      'security-review',
    ];
    const second = rng.uuid();
    this.emit(
      attachmentLine(cfg.env, {
        parentUuid: first,
        uuid: second,
        ts: this.clock - 1,
        attachment: {
          type: 'skill_listing',
          content: skills.map((s) => `- ${s}: ${this.gen.corpus.text(rng, rng.int(60, 500))}`).join('\n'),
          skillCount: skills.length,
          isInitial: true,
          names: skills,
        },
      }),
    );
    this.lastUuid = second;
  }

  private backups(): Record<string, { backupFileName: string | null; version: number; backupTime: string }> {
    const out: Record<string, { backupFileName: string | null; version: number; backupTime: string }> = {};
    const n = this.rng.int(0, 3);
    for (let i = 0; i < n; i++) {
      const p = this.rng.pick(this.cfg.project.paths);
      out[p] = {
        backupFileName: `${this.rng.hex(16)}@v${i + 1}`,
        version: i + 1,
        backupTime: iso(this.clock),
      };
    }
    return out;
  }

  private syntheticError(): void {
    const { rng } = this;
    const uuid = rng.uuid();
    const text = rng.chance(0.3)
      ? `Claude AI usage limit reached|${Math.floor(this.clock / 1000) + rng.int(600, 18_000)}`
      : rng.pick([
          'API Error: Request was aborted.',
          'API Error: 529 {"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}}',
          'API Error: Connection error.',
        ]);
    this.emit(
      syntheticErrorLine(this.cfg.env, {
        parentUuid: this.lastUuid,
        uuid,
        ts: this.clock,
        messageId: rng.uuid(),
        text,
      }),
    );
    this.lastUuid = uuid;
    this.clock += rng.int(1_000, 30_000);
    bump(this.gen.stats, 'syntheticLines');
  }

  private maybeCompact(): void {
    if (this.ctx < this.compactAt) return;
    const { rng, cfg } = this;
    const boundary = rng.uuid();
    this.emit(
      systemLine(cfg.env, {
        parentUuid: null,
        uuid: boundary,
        ts: this.clock,
        subtype: 'compact_boundary',
        fields: {
          content: 'Conversation compacted',
          isMeta: false,
          level: 'info',
          logicalParentUuid: this.lastUuid,
          compactMetadata: { trigger: 'auto', preTokens: this.ctx },
        },
      }),
    );
    const summary = `This session is being continued from a previous conversation that ran out of context. The conversation is summarized below:\n${this.gen.corpus.text(rng, rng.int(2_000, 12_000))}`;
    const uuid = rng.uuid();
    this.emit(
      compactSummaryLine(cfg.env, {
        parentUuid: boundary,
        uuid,
        ts: this.clock + 1,
        promptId: this.promptId,
        text: summary,
      }),
    );
    this.lastUuid = uuid;
    this.ctx = this.sharedPrefix + Math.ceil(summary.length / CHARS_PER_TOKEN);
    this.cached = 0;
    this.clock += rng.int(20_000, 90_000);
    bump(this.gen.stats, 'compactions');
  }

  private newMessageId(): string {
    return this.cfg.gateway ? `msg_bdrk_01${this.rng.base62(22)}` : `msg_01${this.rng.base62(22)}`;
  }

  /** One API call: 1–4 lines sharing message.id/requestId, then the results of its tool uses. */
  call(kind: 'final' | 'tools'): void {
    this.maybeCompact();
    const { rng, cfg, gen } = this;
    const env = cfg.env;
    this.group = [];
    this.clock += rng.int(800, 6_000);
    const blocks: ContentBlock[] = [];
    const thinkP = this.model.includes('haiku') ? 0.15 : 0.55;
    if (rng.chance(thinkP)) {
      blocks.push({
        type: 'thinking',
        thinking: gen.corpus.text(rng, clamp(Math.round(rng.logNormal(700, 0.9)), 40, 12_000)),
        signature: gen.corpus.signature(rng),
      });
    }
    const pending: PendingTool[] = [];
    if (cfg.gateway && !cfg.splitGatewayCalls) {
      // One block, hence one line: nothing for a requestId-less call to be deduplicated by.
      blocks.length = 0;
      if (kind === 'final') {
        blocks.push({
          type: 'text',
          text: gen.corpus.text(rng, clamp(Math.round(rng.logNormal(500, 1)), 4, 8_000)),
        });
      } else {
        pending.push(this.toolUse());
        blocks.push(pending[0]!.block);
      }
    } else if (kind === 'final') {
      blocks.push({
        type: 'text',
        text: gen.corpus.text(rng, clamp(Math.round(rng.logNormal(500, 1)), 4, 8_000)),
      });
    } else {
      if (rng.chance(0.35)) blocks.push({ type: 'text', text: gen.corpus.text(rng, rng.int(40, 400)) });
      const n = blocks.length < 3 && rng.chance(0.15) ? 2 : 1;
      for (let i = 0; i < n; i++) pending.push(this.toolUse());
      for (const p of pending) blocks.push(p.block);
    }

    const prompt = this.ctx;
    const ttlMs = cfg.ttl === '1h' || cfg.ttl === 'mixed' ? 3_600_000 : 300_000;
    const warm = this.cached > 0 && this.lastCallTs !== null && this.clock - this.lastCallTs < ttlMs;
    const cacheRead = Math.min(warm ? this.cached : rng.chance(0.9) ? this.sharedPrefix : 0, prompt - 1);
    const rest = prompt - cacheRead;
    const inputUncached = Math.min(rest, rng.chance(0.85) ? rng.int(1, 12) : rng.int(13, 4_000));
    const write = rest - inputUncached;
    let w1h = 0;
    if (cfg.ttl === '1h') w1h = write;
    else if (cfg.ttl === 'mixed') w1h = Math.floor(write * rng.next() * 0.6);
    let contentChars = 0;
    for (const b of blocks) {
      contentChars +=
        b.type === 'thinking'
          ? b.thinking.length
          : b.type === 'text'
            ? b.text.length
            : JSON.stringify(b.input).length;
    }
    const output = Math.max(10, Math.ceil(contentChars / 3.4) + rng.int(0, 60));
    const usage: UsageNumbers = {
      inputUncached,
      cacheRead,
      cacheWrite5m: write - w1h,
      cacheWrite1h: w1h,
      output,
    };
    this.clock += Math.round(output * rng.int(8, 25));
    const messageId = this.newMessageId();
    const requestId = cfg.gateway ? null : `req_011C${rng.base62(20)}`;
    let ts = this.clock;
    for (let i = 0; i < blocks.length; i++) {
      const last = i === blocks.length - 1;
      const block = blocks[i]!;
      const uuid = rng.uuid();
      const stopReason = last ? (kind === 'final' ? 'end_turn' : 'tool_use') : null;
      this.emit(
        assistantLine(env, {
          parentUuid: this.lastUuid,
          uuid,
          ts,
          messageId,
          requestId,
          model: this.model,
          block,
          stopReason,
          usage,
          outputOnLine: last ? output : rng.int(1, 9),
          ttl: cfg.ttl,
        }),
      );
      for (const p of pending) if (p.block === block) p.assistantUuid = uuid;
      this.lastUuid = uuid;
      if (last) {
        gen.truth.add(ts, this.model, usage, listCostUsd(this.model, usage));
        this.lastCall = {
          messageId,
          requestId,
          model: this.model,
          block,
          stopReason: stopReason!,
          usage,
          uuid,
        };
      } else {
        ts += rng.int(100, 2_500);
        bump(gen.stats, 'streamingDuplicateLines');
      }
    }
    this.clock = ts;
    this.usageTotal += prompt + output;
    bump(gen.stats, 'calls');
    if (env.isSidechain) bump(gen.stats, 'subagentCalls');
    if (requestId === null) bump(gen.stats, 'noRequestIdCalls');
    if (cfg.ttl === 'none') bump(gen.stats, 'noCacheCreationCalls');
    if (prompt > PROMPT_LIMIT) bump(gen.stats, 'longContextCalls');
    this.lastCallTs = this.clock;
    this.cached = cacheRead + write;
    this.ctx = prompt + output;

    for (const p of pending) {
      const allowanceTokens = Math.max(0, this.limit - this.ctx);
      const outcome = p.run(Math.floor(allowanceTokens * CHARS_PER_TOKEN));
      this.clock += outcome.durationMs;
      const uuid = rng.uuid();
      this.emit(
        toolResultLine(env, {
          parentUuid: this.lastUuid!,
          uuid,
          ts: this.clock,
          promptId: this.promptId,
          toolUseId: p.block.id,
          content: outcome.content,
          isError: outcome.isError,
          toolUseResult: outcome.toolUseResult,
          sourceToolAssistantUUID: p.assistantUuid,
        }),
      );
      this.lastUuid = uuid;
      this.ctx += outcome.tokens;
      this.toolUses++;
      bump(gen.stats, 'toolResults');
    }
    this.pushGroup();
    if (kind === 'tools' && cfg.allowSideQuestion && !this.sideQuestionDone && rng.chance(0.04)) {
      this.sideQuestion();
    }
  }

  private pushGroup(): void {
    const g = this.group;
    this.group = null;
    if (g === null || this.cfg.env.isSidechain) return;
    let chars = 0;
    for (const l of g) chars += l.length;
    if (chars > RING_MAX_CHARS) return;
    this.ring.push(g);
    this.ringChars += chars;
    while (this.ring.length > RING_MAX_GROUPS || this.ringChars > RING_MAX_CHARS) {
      const old = this.ring.shift()!;
      for (const l of old) this.ringChars -= l.length;
    }
  }

  private absPath(rel: string): string {
    return `${this.cfg.project.cwd}/${rel}`;
  }

  private toolUse(): PendingTool {
    const { rng, cfg } = this;
    const sub = cfg.env.isSidechain;
    const name = rng.weighted<string>([
      ['Read', 30],
      ['Edit', sub ? 4 : 18],
      ['Bash', 24],
      ['Grep', 9],
      ['Write', sub ? 1 : 6],
      ['Task', cfg.allowTask && !sub ? 4 : 0],
    ]);
    const id = `toolu_01${rng.base62(22)}`;
    switch (name) {
      case 'Read':
        return this.readTool(id);
      case 'Edit':
        return this.editTool(id);
      case 'Write':
        return this.writeTool(id);
      case 'Grep':
        return this.grepTool(id);
      case 'Task':
        if (this.gen.takeFileSlot()) return this.taskTool(id);
        return this.bashTool(id);
      default:
        return this.bashTool(id);
    }
  }

  private pickFile(): { rel: string; file: PoolFile } {
    const i = this.rng.int(0, this.cfg.project.paths.length - 1);
    return { rel: this.cfg.project.paths[i]!, file: this.cfg.project.files[i]! };
  }

  private readTool(id: string): PendingTool {
    const { rel, file } = this.pickFile();
    const path = this.absPath(rel);
    const corpus = this.gen.corpus;
    const block = {
      type: 'tool_use' as const,
      id,
      name: 'Read',
      input: { file_path: path } as Record<string, unknown>,
    };
    return {
      block,
      assistantUuid: '',
      run: (allowance) => {
        let content = file.content;
        let numbered = corpus.numbered(file);
        let numLines = file.lineCount;
        // Both copies (numbered and raw) land in the next prompt only once, but the file holds both.
        if (numbered.length > allowance) {
          const cut = Math.max(0, Math.floor(allowance * 0.9));
          numbered = numbered.slice(0, cut);
          const lines = numbered.split('\n').length;
          content = content.split('\n').slice(0, lines).join('\n');
          numLines = lines;
          block.input.limit = lines;
        }
        return {
          content: numbered,
          isError: null,
          toolUseResult: {
            type: 'text',
            file: { filePath: path, content, numLines, startLine: 1, totalLines: file.lineCount },
          },
          tokens: Math.ceil(numbered.length / CHARS_PER_TOKEN),
          durationMs: this.rng.int(5, 200),
        };
      },
    };
  }

  private editTool(id: string): PendingTool {
    const { rng } = this;
    const { rel, file } = this.pickFile();
    const path = this.absPath(rel);
    const lines = file.content.split('\n');
    const at = rng.int(0, Math.max(0, lines.length - 6));
    const oldLines = lines.slice(at, at + rng.int(1, 5));
    const newLines = oldLines.map((l) => (rng.chance(0.5) ? l.replace(/\b[a-z]+\b/, word(rng)) : l));
    newLines.push(`    // ${this.gen.corpus.text(rng, rng.int(20, 90))}`);
    const oldString = oldLines.join('\n');
    const newString = newLines.join('\n');
    const block = {
      type: 'tool_use' as const,
      id,
      name: 'Edit',
      input: { file_path: path, old_string: oldString, new_string: newString } as Record<string, unknown>,
    };
    return {
      block,
      assistantUuid: '',
      run: () => {
        const ctxStart = Math.max(0, at - 3);
        const patchLines = [
          ...lines.slice(ctxStart, at).map((l) => ` ${l}`),
          ...oldLines.map((l) => `-${l}`),
          ...newLines.map((l) => `+${l}`),
          ...lines.slice(at + oldLines.length, at + oldLines.length + 3).map((l) => ` ${l}`),
        ];
        const snippet = [
          ...lines.slice(ctxStart, at),
          ...newLines,
          ...lines.slice(at + oldLines.length, at + 8),
        ]
          .map((l, i) => `${String(ctxStart + i + 1).padStart(6)}→${l}`)
          .join('\n');
        const failed = rng.chance(0.04);
        const content = failed
          ? `<tool_use_error>String to replace not found in file.\nString: ${oldString}</tool_use_error>`
          : `The file ${path} has been updated. Here's the result of running \`cat -n\` on a snippet of the edited file:\n${snippet}`;
        return {
          content,
          isError: failed ? true : null,
          toolUseResult: failed
            ? `Error: String to replace not found in file.\nString: ${oldString}`
            : {
                filePath: path,
                oldString,
                newString,
                originalFile: file.content,
                structuredPatch: [
                  {
                    oldStart: ctxStart + 1,
                    oldLines: patchLines.length - newLines.length,
                    newStart: ctxStart + 1,
                    newLines: patchLines.length - oldLines.length,
                    lines: patchLines,
                  },
                ],
                userModified: false,
                replaceAll: false,
              },
          tokens: Math.ceil(content.length / CHARS_PER_TOKEN),
          durationMs: rng.int(10, 400),
        };
      },
    };
  }

  private writeTool(id: string): PendingTool {
    const { rng } = this;
    const { rel, file } = this.pickFile();
    const create = rng.chance(0.6);
    const path = this.absPath(create ? rel.replace(/(\.[a-z]+)$/, `-${noun(rng)}$1`) : rel);
    const content = file.content.length > 60_000 ? file.content.slice(0, 60_000) : file.content;
    const block = {
      type: 'tool_use' as const,
      id,
      name: 'Write',
      input: { file_path: path, content } as Record<string, unknown>,
    };
    return {
      block,
      assistantUuid: '',
      run: () => {
        const message = create
          ? `File created successfully at: ${path} (file state is current in your context — no need to Read it back)`
          : `The file ${path} has been updated. (file state is current in your context — no need to Read it back)`;
        const other = rng.pick(this.gen.corpus.files).content.slice(0, 20_000);
        const toolUseResult = create
          ? {
              type: 'create',
              filePath: path,
              content,
              structuredPatch: [],
              originalFile: null,
              userModified: false,
            }
          : {
              type: 'update',
              filePath: path,
              content,
              structuredPatch: [
                {
                  oldStart: 1,
                  oldLines: 3,
                  newStart: 1,
                  newLines: 3,
                  lines: content
                    .split('\n')
                    .slice(0, 3)
                    .map((l) => `+${l}`),
                },
              ],
              originalFile: other,
              userModified: false,
            };
        return {
          content: message,
          isError: null,
          toolUseResult,
          tokens: Math.ceil(message.length / CHARS_PER_TOKEN),
          durationMs: rng.int(5, 150),
        };
      },
    };
  }

  private grepTool(id: string): PendingTool {
    const { rng } = this;
    const pattern = `${verb(rng)}${capitalize(noun(rng))}`;
    const block = {
      type: 'tool_use' as const,
      id,
      name: 'Grep',
      input: { pattern, output_mode: 'content', '-n': true } as Record<string, unknown>,
    };
    return {
      block,
      assistantUuid: '',
      run: (allowance) => {
        const size = clamp(Math.round(rng.logNormal(1_500, 1.2)), 0, Math.min(20_000, allowance));
        const content = size < 40 ? '' : bashOutput(rng, this.gen.corpus, 'grep', size);
        const filenames = [...new Set(content.split('\n').map((l) => l.slice(0, l.indexOf(':'))))].filter(
          (f) => f.length > 0,
        );
        const numLines = content.length === 0 ? 0 : content.split('\n').length;
        return {
          content: content.length === 0 ? 'No matches found' : content,
          isError: null,
          toolUseResult: { mode: 'content', numFiles: filenames.length, filenames, content, numLines },
          tokens: Math.ceil(content.length / CHARS_PER_TOKEN) + 5,
          durationMs: rng.int(20, 900),
        };
      },
    };
  }

  private bashTool(id: string): PendingTool {
    const { rng, cfg } = this;
    const commit = !cfg.env.isSidechain && rng.chance(0.07);
    const kind = rng.weighted<BashKind>([
      ['test', 25],
      ['tsc', 8],
      ['diff', 15],
      ['log', 8],
      ['ls', 10],
      ['install', 5],
      ['grep', 8],
    ]);
    const subject = `${capitalize(verb(rng))} ${noun(rng)} ${word(rng)} ${noun(rng)}`;
    const command = commit
      ? `git add -A && git commit -m "${subject}" -m "Co-Authored-By: Claude <noreply@anthropic.com>"`
      : {
          test: 'npm test 2>&1 | tail -200',
          tsc: 'npx tsc --noEmit -p tsconfig.json',
          diff: 'git diff',
          log: 'git log --oneline -80',
          ls: `ls -la ${rng.pick(cfg.project.subdirs)}`,
          install: 'npm install',
          grep: `rg -n "${noun(rng)}" src`,
        }[kind];
    const block = {
      type: 'tool_use' as const,
      id,
      name: 'Bash',
      input: {
        command,
        description: commit ? 'Commit the change' : `Run ${command.split(' ')[0]}`,
      } as Record<string, unknown>,
    };
    return {
      block,
      assistantUuid: '',
      run: (allowance) => {
        let stdout: string;
        if (commit) {
          const branch =
            cfg.env.gitBranch === '' || cfg.env.gitBranch === 'HEAD' ? 'main' : cfg.env.gitBranch;
          stdout = `[${branch} ${rng.hex(7)}] ${subject}\n ${rng.int(1, 12)} files changed, ${rng.int(1, 400)} insertions(+), ${rng.int(0, 120)} deletions(-)`;
          bump(this.gen.stats, 'commits');
        } else {
          // Claude Code truncates tool output at 30,000 characters.
          const size = clamp(
            Math.round(rng.logNormal(2_500, 1.3)),
            30,
            Math.min(30_000, Math.max(30, allowance)),
          );
          stdout = bashOutput(rng, this.gen.corpus, kind, size).slice(0, 30_000);
        }
        const failed = !commit && kind === 'test' && stdout.includes('failed');
        const toolUseResult =
          cfg.env.era === 'v3'
            ? { stdout, stderr: '', interrupted: false, isImage: false, noOutputExpected: false }
            : { stdout, stderr: '', interrupted: false, isImage: false };
        return {
          content: stdout.length === 0 ? '(Bash completed with no output)' : stdout,
          isError: failed,
          toolUseResult,
          tokens: Math.ceil(stdout.length / CHARS_PER_TOKEN) + 5,
          durationMs: rng.int(30, 40_000),
        };
      },
    };
  }

  private subagentPath(agentId: string): string {
    const env = this.cfg.env;
    const dir = join(this.gen.projectsDir, this.cfg.project.dirName);
    return env.era === 'v3'
      ? join(dir, env.sessionId, 'subagents', `agent-${agentId}.jsonl`)
      : join(dir, `agent-${agentId}.jsonl`);
  }

  private newAgentId(): string {
    return this.cfg.env.era === 'v3' ? `a${this.rng.hex(16)}` : this.rng.hex(8);
  }

  private subEnvelope(agentId: string): Envelope {
    return { ...this.cfg.env, isSidechain: true, agentId };
  }

  private taskTool(id: string): PendingTool {
    const { rng, cfg } = this;
    const subagentType = rng.weighted<string>([
      ['Explore', 5],
      ['general-purpose', 4],
      ['Plan', 1],
    ]);
    const description = `${capitalize(verb(rng))} ${noun(rng)} ${noun(rng)}`;
    const prompt = `${description}. ${this.gen.corpus.text(rng, rng.int(200, 2_500))}`;
    const block = {
      type: 'tool_use' as const,
      id,
      name: 'Task',
      input: { description, prompt, subagent_type: subagentType } as Record<string, unknown>,
    };
    return {
      block,
      assistantUuid: '',
      run: () => {
        const agentId = this.newAgentId();
        const path = this.subagentPath(agentId);
        const writer = new JsonlWriter(path);
        const model = subagentType === 'Explore' ? 'claude-haiku-4-5-20251001' : this.model;
        const sub = new Conversation(this.gen, rng, writer, {
          ...cfg,
          env: this.subEnvelope(agentId),
          model,
          models: [[model, 1]],
          startTs: this.clock,
          allowTask: false,
          allowSideQuestion: false,
          longContext: false,
        });
        const budget = this.gen.subagentBudget(rng);
        const started = this.clock;
        const answer = sub.runSubagent(prompt, budget);
        const bytes = writer.close();
        this.gen.fileClosed(path, bytes, false);
        bump(this.gen.stats, cfg.env.era === 'v3' ? 'subagentFilesNested' : 'subagentFilesFlat');
        const content = [{ type: 'text' as const, text: answer }];
        return {
          content,
          isError: null,
          toolUseResult: {
            status: 'completed',
            prompt,
            agentId,
            content,
            totalDurationMs: sub.clock - started,
            totalTokens: sub.usageTotal,
            totalToolUseCount: sub.toolUses,
            usage: sub.lastCall === null ? null : usageForResult(sub.lastCall.usage),
          },
          tokens: Math.ceil(answer.length / CHARS_PER_TOKEN) + 10,
          durationMs: sub.clock - started,
        };
      },
    };
  }

  /** Runs this (sidechain) conversation: the task prompt, tool-using steps, a final answer. */
  runSubagent(prompt: string, budgetBytes: number): string {
    const { rng, cfg } = this;
    const uuid = rng.uuid();
    this.emit(
      userPromptLine(cfg.env, {
        parentUuid: null,
        uuid,
        ts: this.clock,
        promptId: this.promptId,
        content: prompt,
        permissionMode: cfg.permissionMode,
      }),
    );
    this.lastUuid = uuid;
    this.ctx += Math.ceil(prompt.length / CHARS_PER_TOKEN);
    const maxSteps = clamp(Math.round(rng.logNormal(8, 0.7)), 2, 60);
    for (let i = 0; i < maxSteps; i++) {
      const final = i === maxSteps - 1 || this.writer.size >= budgetBytes;
      this.call(final ? 'final' : 'tools');
      if (final) break;
    }
    const last = this.lastCall?.block;
    return last !== undefined && last.type === 'text' ? last.text : 'Done.';
  }

  /**
   * `/btw` side question: a sidechain file that first replays the parent's last assistant line
   * (same message.id, new requestId, larger usage) — that replay is not new spend — and then
   * asks and answers a side question, which is.
   */
  private sideQuestion(): void {
    const parent = this.lastCall;
    if (parent === null || this.cfg.env.era !== 'v3' || parent.requestId === null) return;
    if (!this.gen.takeFileSlot()) return;
    this.sideQuestionDone = true;
    const { rng, cfg } = this;
    const agentId = this.newAgentId();
    const path = this.subagentPath(agentId);
    const writer = new JsonlWriter(path);
    const env = this.subEnvelope(agentId);
    const replayUuid = rng.uuid();
    writer.line(
      assistantLine(env, {
        parentUuid: null,
        uuid: replayUuid,
        ts: this.clock,
        messageId: parent.messageId,
        requestId: `req_011C${rng.base62(20)}`,
        model: parent.model,
        block: parent.block,
        stopReason: parent.stopReason,
        usage: { ...parent.usage, cacheRead: parent.usage.cacheRead + rng.int(50, 3_000) },
        outputOnLine: parent.usage.output,
        ttl: cfg.ttl,
      }),
    );
    bump(this.gen.stats, 'sideQuestionReplays');
    const side = new Conversation(this.gen, rng, writer, {
      ...cfg,
      env,
      model: parent.model,
      models: [[parent.model, 1]],
      startTs: this.clock + rng.int(500, 5_000),
      allowTask: false,
      allowSideQuestion: false,
      longContext: false,
    });
    side.lastUuid = replayUuid;
    // The side question rides on the parent's warm cache.
    side.ctx = Math.min(this.ctx, side.compactAt - 5_000);
    side.cached = Math.min(this.cached, side.ctx - 1);
    side.lastCallTs = this.lastCallTs;
    side.turn({ first: false, wrapUp: () => true, maxSteps: 1 });
    const bytes = writer.close();
    this.gen.fileClosed(path, bytes, false);
  }
}

function usageForResult(u: UsageNumbers): Record<string, unknown> {
  return {
    input_tokens: u.inputUncached,
    cache_creation_input_tokens: u.cacheWrite5m + u.cacheWrite1h,
    cache_read_input_tokens: u.cacheRead,
    output_tokens: u.output,
  };
}

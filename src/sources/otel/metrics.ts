/**
 * OTel metrics → drafts. Token counters become `interval` usage, a fallback for sessions whose
 * events never arrive (see README, "Supersession"): each draft shares its session's message id
 * with the event-derived records and is marked as a sidechain copy, so the store drops it as soon
 * as one event-derived record of the session is stored, in either order. Claude Code's line counter
 * becomes `lines_changed` activity (no event carries those counts). Every other metric is ignored
 * with a reason.
 * @module
 */
import { EMPTY_TOKENS, type TokenBuckets } from '../../ledger/records.js';
import { activityDraft } from '../activity-draft.js';
import { readTokens } from '../gemini-cli/messages.js';
import { AttributeView, canonicalAttributes, seriesHash, toText } from './attributes.js';
import { claudeOrigin, claudeSessionMessageId, isSubagentQuerySource } from './claude-code.js';
import { type Collector, nameForReason } from './collect.js';
import { toolOfService } from './events.js';
import { geminiOrigin, geminiSessionMessageId } from './gemini-cli.js';
import { emptyAttributes, type OtlpDataPoint, type OtlpMetric, type OtlpRequest } from './model.js';
import { telemetryUsageDraft } from './usage-draft.js';

type Rule = 'claude_tokens' | 'claude_lines' | 'gemini_tokens' | 'ignore';

const IGNORED: ReadonlyMap<string, string> = new Map([
  ['claude_code.cost.usage', 'recomputed from tokens'],
  ['claude_code.session.count', 'not metered'],
  ['claude_code.commit.count', 'commits come from tool_result events'],
  ['claude_code.pull_request.count', 'not metered (names no pull request)'],
  ['claude_code.active_time.total', 'not metered'],
  ['claude_code.code_edit_tool.decision', 'decisions come from tool_decision events'],
  ['gemini_cli.lines.changed', 'lines come from tool_call events'],
  ['gemini_cli.session.count', 'not metered'],
  ['gemini_cli.api.request.count', 'not metered'],
  ['gemini_cli.api.request.latency', 'not metered'],
  ['gemini_cli.tool.call.count', 'not metered'],
  ['gemini_cli.tool.call.latency', 'not metered'],
  ['gemini_cli.file.operation.count', 'not metered'],
  ['gen_ai.client.token.usage', 'usage comes from gemini_cli.token.usage'],
  ['gen_ai.client.operation.duration', 'not metered'],
]);

function ruleOf(name: string): Rule {
  if (name === 'claude_code.token.usage') return 'claude_tokens';
  if (name === 'claude_code.lines_of_code.count') return 'claude_lines';
  if (name === 'gemini_cli.token.usage') return 'gemini_tokens';
  return 'ignore';
}

function ignoreReason(name: string, service: string | null): string {
  const known = IGNORED.get(name);
  if (known !== undefined) return `${name}: ${known}`;
  const ours =
    name.startsWith('claude_code.') ||
    name.startsWith('gemini_cli.') ||
    name.startsWith('codex.') ||
    toolOfService(service) !== null;
  return `${nameForReason(name || '(unnamed metric)')}: ${ours ? 'not metered' : 'unknown metric'}`;
}

const CLAUDE_BUCKETS: ReadonlyMap<string, keyof TokenBuckets> = new Map<string, keyof TokenBuckets>([
  ['input', 'inputUncached'],
  ['output', 'output'],
  ['cacheRead', 'cacheRead'],
  // No TTL split in OTel: unknown-TTL writes are billed as 5-minute (records.ts).
  ['cacheCreation', 'cacheWrite5m'],
]);

const GEMINI_TYPES: ReadonlyMap<string, keyof GeminiCounts> = new Map<string, keyof GeminiCounts>([
  ['input', 'input'],
  ['output', 'output'],
  ['thought', 'thoughts'],
  ['cache', 'cached'],
  ['tool', 'tool'],
]);

interface GeminiCounts {
  input: number;
  output: number;
  cached: number;
  thoughts: number;
  tool: number;
}

/** Gemini's counters of one series (all attributes but `type`) at one collection time. */
interface GeminiGroup {
  hash: string;
  sessionId: string;
  model: string;
  ts: number;
  startNs: string;
  timeNs: string;
  cumulative: boolean;
  counts: GeminiCounts;
  identity: Record<string, string>;
}

/** Numeric order of two decimal digit strings without leading zeros. */
function digitsLess(a: string, b: string): boolean {
  return a.length !== b.length ? a.length < b.length : a < b;
}

/**
 * The counter id: a delta names its interval (so a retransmitted export dedupes), a cumulative
 * series only its start, so every export of the running total maps to the same record and the
 * store keeps the copy with the largest total — the latest value — with no state kept here.
 */
function counterId(
  prefix: string,
  hash: string,
  startNs: string,
  timeNs: string,
  cumulative: boolean,
): string {
  return cumulative ? `${prefix}:${hash}:${startNs}` : `${prefix}:${hash}:${startNs}:${timeNs}`;
}

class MetricMapper {
  private readonly view = new AttributeView(emptyAttributes(), emptyAttributes());
  private readonly gemini = new Map<string, GeminiGroup>();
  private resourceText = '';

  constructor(private readonly out: Collector) {}

  run(req: OtlpRequest): void {
    for (const res of req.resources) {
      this.resourceText = canonicalAttributes(res.attributes);
      const service = toText(res.attributes['service.name']);
      for (const scope of res.scopes) {
        for (const metric of scope.metrics) {
          this.out.result.items += metric.points.length;
          const rule = ruleOf(metric.name);
          for (const point of metric.points) {
            if (point.invalid !== null) {
              this.out.reject(`${nameForReason(metric.name || 'metric')}: ${point.invalid}`);
              continue;
            }
            this.view.reset(point.attributes, res.attributes);
            if (rule === 'ignore') this.out.ignore(ignoreReason(metric.name, service));
            else this.point(rule, metric, point);
          }
        }
      }
    }
    for (const group of this.gemini.values()) this.emitGemini(group);
  }

  /** The checks every counter point must pass; returns its value, or -1 when it was counted as not used. */
  private counterValue(metric: OtlpMetric, point: OtlpDataPoint): number {
    const name = metric.name;
    if (metric.kind !== 'sum') {
      this.out.ignore(`${name}: not a sum`);
      return -1;
    }
    if (metric.temporality === 0) {
      this.out.reject(`${name}: no aggregation temporality`);
      return -1;
    }
    if (this.view.text('session.id') === null) {
      this.out.ignore(`${name}: no session.id (cannot be reconciled with events)`);
      return -1;
    }
    if (point.timeNs === null || point.timeMs === null) {
      this.out.reject(`${name}: no timeUnixNano`);
      return -1;
    }
    if (point.startNs === null) {
      this.out.reject(`${name}: no startTimeUnixNano`);
      return -1;
    }
    const value = point.value!;
    if (value < 0 || !Number.isSafeInteger(value)) {
      this.out.reject(`${name}: value is not a non-negative integer`);
      return -1;
    }
    if (value === 0) {
      this.out.ignore(`${name}: zero`);
      return -1;
    }
    return value;
  }

  private point(rule: Exclude<Rule, 'ignore'>, metric: OtlpMetric, point: OtlpDataPoint): void {
    const value = this.counterValue(metric, point);
    if (value < 0) return;
    if (rule === 'claude_lines') this.claudeLines(metric, point, value);
    else if (rule === 'claude_tokens') this.claudeTokens(metric, point, value);
    else this.geminiTokens(metric, point, value);
  }

  private claudeTokens(metric: OtlpMetric, point: OtlpDataPoint, value: number): void {
    const v = this.view;
    const type = v.text('type');
    const bucket = type === null ? undefined : CLAUDE_BUCKETS.get(type);
    if (bucket === undefined) {
      this.out.ignore(`${metric.name}: unknown type`);
      return;
    }
    const model = v.text('model');
    if (model === null) {
      this.out.reject(`${metric.name}: no model`);
      return;
    }
    const sessionId = v.text('session.id')!;
    const tokens: TokenBuckets = { ...EMPTY_TOKENS };
    tokens[bucket] = value;
    const hash = seriesHash(metric.name, point.attributes, this.resourceText);
    const speed = v.text('speed');
    const draft = telemetryUsageDraft({
      id: counterId('ccm', hash, point.startNs!, point.timeNs!, metric.temporality === 2),
      ts: point.timeMs!,
      source: 'claude_code_otel',
      tool: 'claude-code',
      sessionId,
      requestId: null,
      messageId: claudeSessionMessageId(sessionId),
      model,
      provider: 'anthropic',
      // The counter only names fast mode; its absence may be standard speed or an older version.
      speed: speed === 'fast' ? 'fast' : null,
      tokens,
      reportedCostUsd: null,
      isSubagent: isSubagentQuerySource(v.text('query_source')),
      isSidechain: true,
      granularity: 'interval',
      origin: claudeOrigin(sessionId),
    });
    this.out.usage(draft, v.rawIdentity());
  }

  private claudeLines(metric: OtlpMetric, point: OtlpDataPoint, value: number): void {
    if (metric.temporality === 2) {
      // Activity keeps the first copy of an id, so a running total cannot be stored without state.
      this.out.ignore(`${metric.name}: cumulative temporality not supported`);
      return;
    }
    const v = this.view;
    const type = v.text('type');
    if (type !== 'added' && type !== 'removed') {
      this.out.ignore(`${metric.name}: unknown type`);
      return;
    }
    const sessionId = v.text('session.id')!;
    const hash = seriesHash(metric.name, point.attributes, this.resourceText);
    this.out.activity(
      activityDraft(
        {
          id: counterId('ccm', hash, point.startNs!, point.timeNs!, false),
          ts: point.timeMs!,
          source: 'claude_code_otel',
          tool: 'claude-code',
          sessionId,
          kind: 'lines_changed',
          cwd: null,
          gitBranch: null,
          isSubagent: false,
          origin: claudeOrigin(sessionId),
        },
        type === 'added' ? { linesAdded: value } : { linesRemoved: value },
      ),
      v.rawIdentity(),
    );
  }

  /**
   * Gemini's `input` count includes its `cache` count (formats.md §0.3), so the per-type points of
   * one series and collection time are summed into one draft before the cached part is split off.
   */
  private geminiTokens(metric: OtlpMetric, point: OtlpDataPoint, value: number): void {
    const v = this.view;
    const type = v.text('type');
    const field = type === null ? undefined : GEMINI_TYPES.get(type);
    if (field === undefined) {
      this.out.ignore(`${metric.name}: unknown type`);
      return;
    }
    const model = v.text('model');
    if (model === null) {
      this.out.reject(`${metric.name}: no model`);
      return;
    }
    const cumulative = metric.temporality === 2;
    const hash = seriesHash(metric.name, point.attributes, this.resourceText, 'type');
    const key = `${hash}:${metric.temporality}:${point.timeNs}`;
    let group = this.gemini.get(key);
    if (group === undefined) {
      group = {
        hash,
        sessionId: v.text('session.id')!,
        model,
        ts: point.timeMs!,
        startNs: point.startNs!,
        timeNs: point.timeNs!,
        cumulative,
        counts: { input: 0, output: 0, cached: 0, thoughts: 0, tool: 0 },
        identity: v.rawIdentity(),
      };
      this.gemini.set(key, group);
    } else if (digitsLess(point.startNs!, group.startNs)) {
      // Series of one counter start when their type is first recorded; the earliest is stable.
      group.startNs = point.startNs!;
    }
    group.counts[field] += value;
  }

  private emitGemini(g: GeminiGroup): void {
    const tokens = readTokens(g.counts);
    if (tokens === null || tokens === 'invalid') {
      this.out.reject('gemini_cli.token.usage: invalid token counts');
      return;
    }
    const draft = telemetryUsageDraft({
      id: counterId('gmm', g.hash, g.startNs, g.timeNs, g.cumulative),
      ts: g.ts,
      source: 'gemini_cli_otel',
      tool: 'gemini-cli',
      sessionId: g.sessionId,
      requestId: null,
      messageId: geminiSessionMessageId(g.sessionId),
      model: g.model,
      provider: 'google',
      speed: null,
      tokens,
      reportedCostUsd: null,
      isSubagent: false,
      isSidechain: true,
      granularity: 'interval',
      origin: geminiOrigin(g.sessionId),
    });
    this.out.usage(draft, g.identity);
  }
}

export function mapMetrics(req: OtlpRequest, out: Collector): void {
  new MetricMapper(out).run(req);
}

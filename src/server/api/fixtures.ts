/**
 * Test data for the REST API tests: a few calls per person of test/fixtures/people/org.yaml on
 * days when their memberships are known, with costs that are distinct powers of two, so that any
 * total says exactly whose usage it holds.
 * @module
 */
import type { Tool, UsageRecord } from '../../ledger/records.js';

export const ALICE = 'alice@acme.example';
export const BOB = 'bob@acme.example';
export const CAROL = 'carol@acme.example';
export const DAN = 'contractor-dan';
export const ERIN = 'erin@acme.example';
export const STRANGER = 'stranger@else.example';

const SOURCE: Record<string, UsageRecord['source']> = {
  'claude-code': 'claude_code_jsonl',
  codex: 'codex_rollout',
  'gemini-cli': 'gemini_cli_chat',
};

/** Dan has no e-mail in the people file: his records carry an alias he is known by. */
const RAW_IDENTITY: Record<string, Record<string, string>> = { [DAN]: { os_user: 'dkowalski' } };

let seq = 0;

export function call(
  personId: string,
  day: string,
  costUsd: number,
  tool: Tool = 'claude-code',
  session = `${personId}-${day}`,
): UsageRecord {
  seq += 1;
  return {
    id: `api-test:${seq}`,
    ts: Date.parse(`${day}T12:00:00Z`),
    source: SOURCE[tool] ?? 'claude_code_jsonl',
    tool,
    sessionId: session,
    parentSessionId: null,
    requestId: `req_${seq}`,
    messageId: `msg_${seq}`,
    model: 'claude-sonnet-4-5',
    provider: 'anthropic',
    speed: null,
    serviceTier: null,
    inferenceGeo: null,
    tokens: {
      inputUncached: 100,
      cacheRead: 1000,
      cacheWrite5m: 10,
      cacheWrite1h: 0,
      cacheWriteOther: 0,
      output: 50,
      reasoning: 0,
    },
    webSearchRequests: 0,
    credits: null,
    reportedCostUsd: null,
    cwd: '/src/app',
    gitBranch: 'main',
    project: '/src/app',
    isSubagent: false,
    isSidechain: false,
    granularity: 'request',
    origin: 'api-test',
    personId,
    rawIdentity: RAW_IDENTITY[personId] ?? { 'user.email': personId },
    costUsd,
    costBasis: 'computed',
    priceVersion: 'test',
  };
}

/**
 * March 2026: Alice in payments (she was in platform during 2025), Bob and Carol in platform,
 * Dan in data, Erin in no team, and someone the people file does not know.
 */
export function orgUsage(): UsageRecord[] {
  return [
    call(ALICE, '2026-03-02', 1),
    call(ALICE, '2026-03-02', 1),
    call(BOB, '2026-03-02', 0.5),
    call(BOB, '2026-03-03', 0.25, 'codex'),
    call(CAROL, '2026-03-03', 4),
    call(DAN, '2026-03-04', 8, 'gemini-cli'),
    call(ERIN, '2026-03-05', 16),
    call(STRANGER, '2026-03-05', 32),
  ];
}

/** Tokens of every role over the fixture org (`admin` and `ingest` come with every test server). */
export const ORG_TOKENS = [
  { name: 'bob', role: 'engineer' as const, person: 'BobO' },
  { name: 'erin', role: 'engineer' as const, person: ERIN },
  { name: 'carol', role: 'manager' as const, person: CAROL },
  { name: 'alice', role: 'manager' as const, person: ALICE },
];

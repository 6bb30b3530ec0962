/**
 * Real receivers for alert tests: an HTTP server on a loopback port that answers from a script
 * and keeps every request, and an SMTP server (smtp-server) that keeps every message. Both can
 * be waited on by count, so tests wait for events, never for time.
 * @module
 */
import { once } from 'node:events';
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import type { AlertEvent } from '../../src/alerts/index.js';

export interface ReceivedRequest {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
}

export interface ScriptedResponse {
  status: number;
  headers?: Record<string, string>;
  body?: string;
}

/** Calls `resolve` once `count()` reaches `n`; shared by both receivers. */
class Counter {
  private waiters: Array<{ n: number; resolve: () => void }> = [];
  constructor(private readonly count: () => number) {}
  changed(): void {
    const due = this.waiters.filter((w) => this.count() >= w.n);
    this.waiters = this.waiters.filter((w) => this.count() < w.n);
    for (const w of due) w.resolve();
  }
  waitFor(n: number): Promise<void> {
    if (this.count() >= n) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push({ n, resolve }));
  }
}

export interface HttpReceiver {
  url: string;
  requests: ReceivedRequest[];
  /** Answers for the next requests, in order; once used up, 200 `ok`. */
  script(...responses: ScriptedResponse[]): void;
  waitForRequests(n: number): Promise<void>;
  close(): Promise<void>;
}

export async function startHttpReceiver(): Promise<HttpReceiver> {
  const requests: ReceivedRequest[] = [];
  const counter = new Counter(() => requests.length);
  let queue: ScriptedResponse[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      requests.push({
        method: req.method ?? '',
        path: req.url ?? '',
        headers: req.headers,
        body: Buffer.concat(chunks).toString('utf8'),
      });
      const answer = queue.shift() ?? { status: 200, body: 'ok' };
      res.writeHead(answer.status, answer.headers).end(answer.body ?? '');
      counter.changed();
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    script: (...responses) => {
      queue = responses;
    },
    waitForRequests: (n) => counter.waitFor(n),
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

export interface ReceivedMail {
  from: string;
  to: string[];
  raw: string;
  user: string | undefined;
  secure: boolean;
}

export interface SmtpReceiver {
  port: number;
  messages: ReceivedMail[];
  waitForMessages(n: number): Promise<void>;
  close(): Promise<void>;
}

export interface SmtpReceiverOptions {
  /** Offer STARTTLS with smtp-server's built-in self-signed certificate (default false). */
  starttls?: boolean;
  /** Require AUTH with this user and password. */
  auth?: { user: string; pass: string };
  /** RCPT TO replies by address, e.g. `{ 'nobody@acme.example': 550 }`. */
  refuse?: Record<string, number>;
}

export async function startSmtpReceiver(options: SmtpReceiverOptions = {}): Promise<SmtpReceiver> {
  const messages: ReceivedMail[] = [];
  const counter = new Counter(() => messages.length);
  const server = new SMTPServer({
    logger: false,
    disabledCommands: [...(options.starttls ? [] : ['STARTTLS']), ...(options.auth ? [] : ['AUTH'])],
    authOptional: !options.auth,
    onAuth(auth, _session, callback) {
      if (auth.username === options.auth?.user && auth.password === options.auth?.pass)
        return callback(null, { user: auth.username });
      callback(Object.assign(new Error('Invalid username or password'), { responseCode: 535 }));
    },
    onRcptTo(address, _session, callback) {
      const code = options.refuse?.[address.address];
      if (code)
        return callback(Object.assign(new Error(`Refused ${address.address}`), { responseCode: code }));
      callback();
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        messages.push({
          from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
          to: session.envelope.rcptTo.map((r) => r.address),
          raw: Buffer.concat(chunks).toString('utf8'),
          user: session.user,
          secure: session.secure,
        });
        callback();
        counter.changed();
      });
    },
  });
  server.listen(0, '127.0.0.1');
  await once(server.server, 'listening');
  const { port } = server.server.address() as AddressInfo;
  return {
    port,
    messages,
    waitForMessages: (n) => counter.waitFor(n),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** A port on loopback that nothing listens on: bound, then released. */
export async function closedPort(): Promise<number> {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** An 80 % threshold event of the Payments team's April budget. */
export function alertEvent(overrides: Partial<AlertEvent> = {}): AlertEvent {
  const threshold = overrides.threshold ?? 80;
  const kind = overrides.kind ?? 'threshold';
  return {
    key: `payments-monthly:2026-04-01:${kind}:${threshold}`,
    budgetId: 'payments-monthly',
    budgetName: 'Payments',
    scope: { kind: 'team', id: 'payments' },
    period: { start: '2026-04-01', end: '2026-05-01', timeZone: 'Europe/Berlin' },
    kind,
    threshold,
    unit: 'usd',
    spent: 32_000,
    limit: 40_000,
    exhaustsOn: '2026-04-24',
    message: 'Payments has used 80 % of its $40,000 April budget; at this rate it runs out on 24 April.',
    detectedAt: Date.UTC(2026, 3, 18, 9, 30),
    ...overrides,
  };
}

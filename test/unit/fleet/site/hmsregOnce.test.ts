/**
 * `site export --hmsreg` at most once (issue 18: "what was sent is recorded, nothing is sent
 * twice"): against the local HMSREG stand-in (test/helpers/hmsregServer.ts), every assertion on
 * what went out reads the SERVER's record (`taken`, per Idempotency-Key), not our table. The
 * crash case with the built CLI and SIGKILL is test/integration/cli/site-export-cli.test.ts, our
 * time-out during the connect test/integration/fleet/site/hmsreg-connect-timeout.test.ts.
 */
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createServer } from 'node:net';
import type { SqlDb } from '../../../../src/fleet/store/db.js';
import { parseSiteConfig } from '../../../../src/fleet/site/config.js';
import { exportToHmsreg, formatExportProgress, type ExportOptions } from '../../../../src/fleet/site/hmsreg/export.js';
import { idempotencyKey } from '../../../../src/fleet/site/hmsreg/client.js';
import { listUnknown, markSent, reclaimCrashed } from '../../../../src/fleet/site/hmsreg/ledger.js';
import { SITE_A_JSON } from '../../../helpers/siteDay.js';
import { hmsregStore } from '../../../helpers/hmsregStore.js';
import { startHmsregServer, type Fault, type HmsregServer } from '../../../helpers/hmsregServer.js';


const AUTH = { user: 'kvartal7-gate', password: 'pw', hmsregNumber: 'HR-40117' };
const CFG = parseSiteConfig(JSON.stringify({ ...SITE_A_JSON, hmsregNumber: AUTH.hmsregNumber }));
const TAPS = 10; // site kvartal7's allowed taps with a card number (hmsregExport.test.ts EXPECTED)

const store = hmsregStore();
let db: SqlDb;
let server: HmsregServer | undefined;
/** The taps' keys in send order (oldest first), written from the fixture's (gate, seq). */
let keys: string[] = [];
beforeAll(async () => {
  db = store.db;
  const { rows } = await db.query<{ gate_id: string; seq: number }>("SELECT gate_id, seq FROM events WHERE site_id = 'kvartal7' AND allow AND card_number IS NOT NULL ORDER BY at, gate_id, seq");
  keys = rows.map((r) => `"hmskort:kvartal7:${r.gate_id}:${r.seq}"`);
});
afterEach(async () => {
  await server?.close();
  server = undefined;
});

function run(url: string, opts: Partial<ExportOptions> & { timeoutMs?: number } = {}) {
  const target = { url, user: AUTH.user, password: AUTH.password, timeoutMs: opts.timeoutMs ?? 2000 };
  return exportToHmsreg(db, CFG, target, { signal: AbortSignal.timeout(30_000), baseDelayMs: 5, ...opts });
}
/** Each key taken at most `max` times; returns how many keys were taken. */
function atMost(s: HmsregServer, max = 1): number {
  const per = s.takenPerKey();
  for (const [k, n] of per) expect({ k, n: Math.min(n, max + 1) }).toEqual({ k, n: Math.min(n, max) });
  expect([...per.keys()].every((k) => keys.includes(k!))).toBe(true);
  return per.size;
}

describe('site export --hmsreg: at most once', () => {
  it('the Idempotency-Key is an RFC 8941 String, stable per tap (draft-ietf-httpapi-idempotency-key-header)', () => {
    expect(idempotencyKey('kvartal7', 'kvartal7-east', 3)).toBe('"hmskort:kvartal7:kvartal7-east:3"');
    expect(idempotencyKey('a', 'b"c\\d', 1)).toBe('"hmskort:a:b\\"c\\\\d:1"');
  });

  it('(a) a time-out after HMSREG took it: unknown, never resent by later runs, counted in doubt', async () => {
    let victim: string | undefined;
    server = await startHmsregServer(AUTH, (n) => (n === 3 ? 'take-hang' : 'ok'), (n, k) => void (n === 3 && (victim = k)));
    const first = await run(server.url, { timeoutMs: 300 });
    expect(first).toMatchObject({ total: TAPS, sent: TAPS - 1, unknown: 1, inDoubt: 1, retries: 0 });
    expect(formatExportProgress(first)).toMatch(/^hmsreg: 10\/10 \(9 sent, 0 refused\), 1 in doubt, 0 retries/);
    expect(victim).toBe(keys[2]);
    const second = await run(server.url);
    expect(second).toMatchObject({ total: 0, sent: 0, unknown: 0, inDoubt: 1 });
    expect(atMost(server)).toBe(TAPS);
    expect(server.takenPerKey().get(victim)).toBe(1);
    expect(server.requests).toHaveLength(TAPS);
    const [u] = await listUnknown(db, 'kvartal7');
    expect(`"hmskort:kvartal7:${u.gate_id}:${u.seq}"`).toBe(victim);
    expect(u.answer).toMatch(/no answer within 300 ms after the request went out/);
  }, 30_000);

  it('(a) a connection destroyed after HMSREG took it, and one destroyed before: both unknown, neither resent', async () => {
    server = await startHmsregServer(AUTH, (n) => (n === 2 ? 'take-reset' : n === 5 ? 'reset' : 'ok'));
    const first = await run(server.url);
    expect(first).toMatchObject({ sent: TAPS - 2, unknown: 2, inDoubt: 2, retries: 0 });
    await run(server.url);
    expect(server.requests).toHaveLength(TAPS);
    expect(atMost(server)).toBe(TAPS - 1); // the one reset before taking was never taken: in doubt, not lost
    expect((await listUnknown(db, 'kvartal7')).map((u) => u.answer)).toEqual([expect.stringMatching(/UND_ERR_SOCKET after the request went out/), expect.stringMatching(/UND_ERR_SOCKET after/)]);
  }, 30_000);

  it('an answer cut mid-body: the status line is the decision, as for a whole answer: a 202 is sent, a 503 retried', async () => {
    server = await startHmsregServer(AUTH, (n) => (n === 1 ? { cut: 202 } : n === 2 ? { cut: 503 } : 'ok'));
    expect(await run(server.url)).toMatchObject({ sent: TAPS, unknown: 0, inDoubt: 0, retries: 1 });
    const { rows } = await db.query<{ http_status: number | null; answer: string }>("SELECT http_status, answer FROM hmsreg_sent WHERE answer LIKE '%cut%'");
    expect(rows).toEqual([{ http_status: 202, answer: expect.stringMatching(/answer HTTP 202 cut/) }]);
    // The 202's tap was taken once and not sent again; the 503's tap was sent twice, taken once.
    expect(server.requests).toHaveLength(TAPS + 1);
    expect(atMost(server)).toBe(TAPS);
  }, 30_000);

  it('(b) a run that crashed with a tap `sending` leaves it in doubt; nothing is sent for it', async () => {
    await db.query("INSERT INTO hmsreg_sent (gate_id, seq, site_id, status) SELECT gate_id, seq, site_id, 'sending' FROM events WHERE site_id = 'kvartal7' AND allow AND card_number IS NOT NULL ORDER BY at, gate_id, seq LIMIT 1");
    server = await startHmsregServer(AUTH);
    const p = await run(server.url);
    expect(p).toMatchObject({ total: TAPS - 1, sent: TAPS - 1, inDoubt: 1 });
    expect(server.takenPerKey().has(keys[0])).toBe(false);
    expect((await listUnknown(db, 'kvartal7'))[0].answer).toMatch(/ended during the request/);
  }, 30_000);

  it('a stop (Ctrl-C) during a request that HMSREG received leaves that tap in doubt, not pending', async () => {
    const stop = new AbortController();
    server = await startHmsregServer(AUTH, (n) => (n === 2 ? 'take-hang' : 'ok'), (n) => void (n === 2 && setTimeout(() => stop.abort(), 50)));
    const e = await run(server.url, { signal: stop.signal, timeoutMs: 5000 }).catch((x: unknown) => x);
    expect((e as Error).name).toBe('AbortError');
    const { rows } = await db.query<{ status: string }>("SELECT status FROM hmsreg_sent ORDER BY status");
    expect(rows.map((r) => r.status)).toEqual(['sent', 'unknown']);
    await run(server.url);
    expect(atMost(server)).toBe(TAPS);
  }, 30_000);

  it('a --list-unknown during a request takes its row for a crash; the answer that then comes settles it', async () => {
    let listed: Promise<number> | undefined;
    server = await startHmsregServer(AUTH, (n) => (n === 1 ? { delayMs: 300 } : 'ok'), (n) => void (n === 1 && (listed = reclaimCrashed(db, 'kvartal7'))));
    expect(await run(server.url)).toMatchObject({ sent: TAPS, unknown: 0, inDoubt: 0 });
    expect(await listed).toBe(1);
    expect(atMost(server)).toBe(TAPS);
  }, 30_000);

  it('(c) connection refused (nothing listening) is retried, then sent once', async () => {
    const port = await freePort();
    const reasons: string[] = [];
    let started: Promise<HmsregServer> | undefined;
    const p = await run(`http://127.0.0.1:${port}`, {
      onRetry: (reason) => {
        reasons.push(reason);
        if (reasons.length === 2) started = startHmsregServer(AUTH, () => 'ok', undefined, port);
      },
    });
    server = await started!;
    expect(reasons.slice(0, 2)).toEqual(['ECONNREFUSED (nothing sent)', 'ECONNREFUSED (nothing sent)']);
    expect(p).toMatchObject({ sent: TAPS, unknown: 0, inDoubt: 0 });
    expect(atMost(server)).toBe(TAPS);
  }, 30_000);

  it('(d) 503 and 429 are retried and each tap is sent once', async () => {
    const seen = new Map<string, number>();
    const faults: Fault[] = [{ status: 503, body: 'busy' }, { status: 429, headers: { 'retry-after': '0' } }];
    server = await startHmsregServer(AUTH, (n) => faults[(n - 1) % 3] ?? 'ok', (_n, k) => void seen.set(k!, (seen.get(k!) ?? 0) + 1));
    const p = await run(server.url);
    expect(p).toMatchObject({ sent: TAPS, unknown: 0, inDoubt: 0, retries: 2 * TAPS });
    expect(atMost(server)).toBe(TAPS);
    expect([...seen.values()]).toEqual(Array(TAPS).fill(3)); // each key asked 3 times, taken once
  }, 30_000);

  it('(e) --resend-unknown sends exactly the taps in doubt once more, with the same Idempotency-Key', async () => {
    server = await startHmsregServer(AUTH, (n) => (n === 4 || n === 7 ? 'take-hang' : 'ok'));
    expect(await run(server.url, { timeoutMs: 300 })).toMatchObject({ unknown: 2, inDoubt: 2 });
    const doubtful = [keys[3], keys[6]];
    const before = server.requests.length;
    const p = await run(server.url, { resendUnknown: true });
    expect(p).toMatchObject({ total: 2, sent: 2, unknown: 0, inDoubt: 0 });
    expect(server.requests.slice(before).map((r) => r.key)).toEqual(doubtful);
    const per = server.takenPerKey();
    for (const k of keys) expect(per.get(k)).toBe(doubtful.includes(k) ? 2 : 1);
    expect(await run(server.url, { resendUnknown: true })).toMatchObject({ total: 0, sent: 0 });
  }, 30_000);

  it('(e) a resend that HMSREG does not take (503 every time) leaves the tap in doubt: a later plain run does not send it', async () => {
    server = await startHmsregServer(AUTH, (n) => (n === 4 ? 'take-hang' : 'ok'));
    expect(await run(server.url, { timeoutMs: 300 })).toMatchObject({ unknown: 1, inDoubt: 1 });
    const doubtful = keys[3];
    await server.close();
    server = await startHmsregServer(AUTH, () => ({ status: 503 }));
    await expect(run(server.url, { resendUnknown: true, maxAttempts: 2 })).rejects.toMatchObject({ code: 'HMSREG_UNREACHABLE' });
    expect(server.requests.map((r) => r.key)).toEqual([doubtful, doubtful]);
    const [u] = await listUnknown(db, 'kvartal7');
    expect(`"hmskort:kvartal7:${u.gate_id}:${u.seq}"`).toBe(doubtful);
    await server.close();
    server = await startHmsregServer(AUTH, () => 'ok');
    expect(await run(server.url)).toMatchObject({ total: 0, sent: 0, inDoubt: 1 });
    expect(server.requests).toHaveLength(0);
  }, 30_000);

  it('--mark-sent settles a tap in doubt without sending; a tap not in doubt is named back', async () => {
    server = await startHmsregServer(AUTH, (n) => (n === 1 ? 'take-hang' : 'ok'));
    await run(server.url, { timeoutMs: 300 });
    const [u] = await listUnknown(db, 'kvartal7');
    expect(await markSent(db, 'kvartal7', [u, { gate_id: 'kvartal7-east', seq: 999 }])).toEqual([{ gate_id: 'kvartal7-east', seq: 999 }]);
    expect(await run(server.url, { resendUnknown: true })).toMatchObject({ total: 0, inDoubt: 0 });
    expect(atMost(server)).toBe(TAPS);
  }, 30_000);
});

function freePort(): Promise<number> {
  return new Promise((ok, fail) => {
    const s = createServer().once('error', fail).listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => ok(port));
    });
  });
}

/**
 * `site export --hmsreg` against a local HTTP server (test/helpers/hmsregServer.ts) that checks
 * each request's shape and fails some on purpose; the store is one in-memory PGlite for the file.
 * The expected registrations are written by hand from FIXTURE_TAPS (test/helpers/siteDay.ts).
 */
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { SqlDb } from '../../../../src/fleet/store/db.js';
import { parseSiteConfig } from '../../../../src/fleet/site/config.js';
import { exportToHmsreg } from '../../../../src/fleet/site/hmsreg/export.js';
import { pruneSite } from '../../../../src/fleet/site/prune.js';
import { retryAfterMs } from '../../../../src/fleet/site/hmsreg/client.js';
import { SITE_A_JSON } from '../../../helpers/siteDay.js';
import { hmsregStore } from '../../../helpers/hmsregStore.js';
import { startHmsregServer, type Fault, type HmsregServer } from '../../../helpers/hmsregServer.js';
import { SiteError } from '../../../../src/fleet/site/errors.js';

const AUTH = { user: 'kvartal7-gate', password: 'sëcret:with colon', hmsregNumber: 'HR-40117' };
const CFG = parseSiteConfig(JSON.stringify({ ...SITE_A_JSON, hmsregNumber: AUTH.hmsregNumber, gateDirections: { 'kvartal7-south': 'Ut' } }));
const KARI = ['Kari Nordmann', '1985-02-14'];
const OLA = ['Ola Hansen', '1992-11-30']; // from his 2026-03-30 tap: the earlier ones carry no holder fields
const SIV = ['Siv Ødegård, jr.', '2001-04-22']; // from her refused tap
const NONE = [null, null]; // card ...052: its holder fields were read at site brygga only
// [Kortnr, Retning, Tidspunkt, Navn, Fødselsdato, Orgnr]: site kvartal7's allowed taps with a card number.
const EXPECTED = [
  ['100000000011', 'Inn', '2026-03-28T22:59:59.000Z', ...KARI, '974760673'],
  ['100000000011', 'Inn', '2026-03-28T23:00:00.000Z', ...KARI, '974760673'],
  ['100000000029', 'Ut', '2026-03-29T05:00:00.000Z', ...OLA, '923609016'],
  ['100000000011', 'Ut', '2026-03-29T06:30:00.000Z', ...KARI, '974760673'],
  ['100000000037', 'Inn', '2026-03-29T07:00:00.000Z', ...SIV, '982463718'],
  ['100000000052', 'Ut', '2026-03-29T09:00:00.000Z', ...NONE, '974760673'],
  ['100000000029', 'Inn', '2026-03-29T14:00:00.000Z', ...OLA, '923609016'],
  ['100000000011', 'Inn', '2026-03-29T21:59:59.000Z', ...KARI, '974760673'],
  ['100000000011', 'Inn', '2026-03-29T22:00:00.000Z', ...KARI, '974760673'],
  ['100000000029', 'Ut', '2026-03-30T05:00:00.000Z', ...OLA, '923609016'],
];
/** The SiteError `p` rejects with; fails the test when it resolves. */
async function rejection(p: Promise<unknown>): Promise<SiteError> {
  const e = await p.then(() => undefined, (err: unknown) => err);
  if (!(e instanceof SiteError)) throw new Error(`expected a SiteError, got ${String(e)}`);
  return e;
}
const row = (b: Record<string, unknown>) => [b.Kortnr, b.Retning, b.Tidspunkt, b.Navn, b['Fødselsdato'], b.Orgnr];

const store = hmsregStore();
let db: SqlDb;
let server: HmsregServer | undefined;
beforeAll(() => void (db = store.db));
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function run(plan?: (n: number, body: Record<string, unknown> | null) => Fault, opts: { password?: string; maxAttempts?: number; timeoutMs?: number } = {}) {
  server ??= await startHmsregServer(AUTH, plan);
  const target = { url: `${server.url}/`, user: AUTH.user, password: opts.password ?? AUTH.password, timeoutMs: opts.timeoutMs ?? 2000 };
  return exportToHmsreg(db, CFG, target, { signal: AbortSignal.timeout(30_000), baseDelayMs: 5, maxAttempts: opts.maxAttempts });
}

describe('site export --hmsreg', () => {
  it('sends each allowed tap once, in order, with every field, through 500, 429 + Retry-After and a slow answer', async () => {
    const faults: Record<number, Fault> = { 1: { status: 500, body: 'oops' }, 2: { status: 429, headers: { 'retry-after': '1' } }, 5: { delayMs: 300 } };
    const p = await run((n) => faults[n] ?? 'ok', { timeoutMs: 1500 });
    expect(server!.problems).toEqual([]);
    expect(server!.registered.map(row)).toEqual(EXPECTED);
    expect(p).toMatchObject({ total: 10, sent: 10, failed: 0, unknown: 0, inDoubt: 0, retries: 2 });
    // Request 3 came after the 429's Retry-After: 1 second.
    expect(server!.requests[2].at - server!.requests[1].at).toBeGreaterThanOrEqual(990);
    const stored = await db.query<{ n: number }>("SELECT count(*)::integer AS n FROM hmsreg_sent WHERE status = 'sent' AND site_id = 'kvartal7'");
    expect(stored.rows[0].n).toBe(10);
    // Resumable: the next run has nothing left to send.
    const before = server!.requests.length;
    expect(await run()).toMatchObject({ total: 0, sent: 0 });
    expect(server!.requests.length).toBe(before);
  }, 30_000);

  it('a run that stops half-way is finished by the next run, sending only the rest', async () => {
    const first = await run((n) => (n <= 4 ? 'ok' : { status: 503 }), { maxAttempts: 2 }).catch((e) => e);
    expect(first).toMatchObject({ code: 'HMSREG_UNREACHABLE', kind: 'device' });
    await server!.close();
    server = undefined;
    await run();
    expect(server!.registered.map(row)).toEqual(EXPECTED.slice(4));
  });

  it('a 4xx other than 429 is recorded as failed with the answer and not retried', async () => {
    const p = await run((_n, b) => (b?.Kortnr === '100000000037' ? { status: 422, body: 'Kortnr ukjent' } : 'ok'));
    expect(p).toMatchObject({ total: 10, sent: 9, failed: 1, retries: 0 });
    expect(server!.requests.filter((r) => r.body?.Kortnr === '100000000037')).toHaveLength(1);
    const { rows } = await db.query("SELECT gate_id, seq, status, http_status, answer FROM hmsreg_sent WHERE status = 'failed'");
    // East: Ola 14:00 (seq 1), Siv refused (2), Siv allowed (3).
    expect(rows).toEqual([{ gate_id: 'kvartal7-east', seq: 3, status: 'failed', http_status: 422, answer: 'Kortnr ukjent' }]);
    expect((await run()).total).toBe(0);
  });

  it('wrong credentials (401) stop the run at once and mark nothing', async () => {
    const e = await rejection(run(undefined, { password: 'wrong' }));
    expect(e).toMatchObject({ code: 'HMSREG_AUTH', kind: 'config' });
    expect(String((e as Error).message)).not.toContain('wrong');
    expect(server!.requests).toHaveLength(1);
    expect((await db.query<{ n: number }>('SELECT count(*)::integer AS n FROM hmsreg_sent')).rows[0].n).toBe(0);
  });

  it('gives up after maxAttempts on a server that keeps failing, leaving the tap unsent', async () => {
    const e = await rejection(run(() => ({ status: 503 }), { maxAttempts: 3 }));
    expect(e).toMatchObject({ code: 'HMSREG_UNREACHABLE' });
    expect(server!.requests).toHaveLength(3);
    expect((await db.query<{ n: number }>('SELECT count(*)::integer AS n FROM hmsreg_sent')).rows[0].n).toBe(0);
  });

  it('refuses a site configuration without hmsregNumber', async () => {
    const cfg = parseSiteConfig(JSON.stringify(SITE_A_JSON));
    const e = await rejection(exportToHmsreg(db, cfg, { url: 'http://127.0.0.1:9', user: 'u', password: 'p', timeoutMs: 10 }, { signal: AbortSignal.timeout(5000) }));
    expect(e).toMatchObject({ code: 'NO_HMSREG_NUMBER', kind: 'config' });
  });

  // Last: it deletes the site's raw events from the shared database.
  it('site prune deletes the export record of each raw event it deletes', async () => {
    await run();
    const sent = async () => (await db.query<{ n: number }>("SELECT count(*)::integer AS n FROM hmsreg_sent WHERE site_id = 'kvartal7'")).rows[0].n;
    expect(await sent()).toBe(10);
    // Cut-off 2026-03-29T12:00Z: the 6 taps before it go, the 4 after it stay.
    const r = await pruneSite(db, CFG, new Date('2026-04-28T12:00:00Z'));
    expect(r.rawCutoff).toBe('2026-03-29T12:00:00.000Z');
    expect(await sent()).toBe(4);
  });

  it('reads Retry-After as delay-seconds or an HTTP-date (RFC 9110 § 10.2.3)', () => {
    const now = Date.parse('2026-03-29T10:00:00Z');
    expect(retryAfterMs('120', now)).toBe(120_000);
    expect(retryAfterMs('Sun, 29 Mar 2026 10:00:30 GMT', now)).toBe(30_000);
    expect(retryAfterMs('Sun, 29 Mar 2026 09:00:00 GMT', now)).toBe(0);
    expect(retryAfterMs('soon', now)).toBeUndefined();
    expect(retryAfterMs(null, now)).toBeUndefined();
  });
});

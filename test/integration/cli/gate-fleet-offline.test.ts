/**
 * `hmskort gate` with its NATS server down (issue 17 item 4: "the gate stays fast and never waits
 * for the network"), the built CLI against a real nats-server started late. The card is the
 * spec's signed example (card number 123456, test/helpers/cardExamples.ts); listed in the file as
 * lost, so spec section 7 rule 3 says DENY hotlisted: the decision proves the file served.
 */
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { jetstreamManager } from '@nats-io/jetstream';
import { BUILT, killRunning, runCli } from '../../helpers/batchCli.js';
import { cardExamples } from '../../helpers/cardExamples.js';
import { toHex as hex } from '../../helpers/hex.js';
import { freePort, natsServerMissing, startNatsServer, type NatsServerHandle } from '../../helpers/natsServer.js';
import { connectTo, until } from '../../helpers/natsFleet.js';

const signed = cardExamples().find((e) => e.id === 'card-signed-4-byte-uid')!;
const NOW = '2027-01-01T12:00:00Z';

/** The presence events in an outbox directory, read as the JSON lines they are (docs/fleet.md "The outbox"). */
function outboxEvents(dir: string): Array<{ seq: number; gateId: string; site: string; decision: { reason: string } }> {
  let names: string[] = [];
  try {
    names = readdirSync(dir).filter((n) => n.endsWith('.jsonl'));
  } catch {
    return [];
  }
  return names.flatMap((n) =>
    readFileSync(join(dir, n), 'utf8')
      .split('\n')
      .filter((l) => l.startsWith('{'))
      .map((l) => JSON.parse(l)),
  );
}

/** A temp dir with the keys, the card and a hot list that has the card as lost. */
function gateDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  writeFileSync(join(dir, 'keys.json'), JSON.stringify({ readMaster: hex(signed.readMaster) }));
  writeFileSync(join(dir, 'card.json'), JSON.stringify({ blocks: signed.blocks }));
  writeFileSync(join(dir, 'h.csv'), 'cardNumber,status\n123456,lost\n');
  return dir;
}

describe.skipIf(natsServerMissing() || !BUILT)('hmskort gate with NATS down (built CLI)', () => {
  let dir: string;
  let server: NatsServerHandle | undefined;
  beforeAll(() => {
    dir = gateDir('hmsk-gate-offline-');
  });
  afterEach(() => killRunning());
  afterAll(async () => {
    await server?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });
  const gate = (...extra: string[]) => runCli(dir, ['gate', '--reader', 'virtual', '--image-in', 'card.json', '--keys', 'keys.json', '--now', NOW, '--json', '--gate-id', 'g1', '--site', 'oslo-1', ...extra]);

  test('serves from the file at once, keeps the event in the outbox, delivers it once the server comes up', async () => {
    const port = await freePort();
    const url = `nats://127.0.0.1:${port}`;
    const run = gate('--hotlist', 'h.csv', '--hotlist-feed', `${url}/hotlist`, '--events', url, '--outbox', 'box');
    const t0 = performance.now();
    await run.printed(/"reason":"hotlisted"/);
    const decidedMs = performance.now() - t0;
    // Decided from the file without waiting for the 5 s connect attempt (node start-up is most of it).
    expect(decidedMs).toBeLessThan(4_000);
    await until('the event in the outbox', () => outboxEvents(join(dir, 'box')).length === 1, 5_000);
    expect(outboxEvents(join(dir, 'box'))[0]).toMatchObject({ seq: 1, gateId: 'g1', decision: { reason: 'hotlisted' } });

    // The gate is still up (draining, bounded at 10 s): the server comes, the event goes.
    server = await startNatsServer({ port });
    const done = await run.exit;
    expect(done.code, done.err).toBe(1);
    expect(done.err).toMatch(/--events: .*trying again in the background/);
    const nc = await connectTo(server.url);
    try {
      const info = await (await jetstreamManager(nc)).streams.info('EVENTS');
      expect(info.state.messages).toBe(1);
      const m = await (await jetstreamManager(nc)).streams.getMessage('EVENTS', { seq: 1 });
      expect(m?.subject).toBe('ev.oslo-1.g1');
      expect(m?.json<{ seq: number; decision: { reason: string } }>()).toMatchObject({ seq: 1, decision: { reason: 'hotlisted' } });
    } finally {
      await nc.close();
    }
  }, 40_000);

  test('--hotlist-feed alone with no server: says it waits, gives up after --feed-wait with exit 4', async () => {
    const port = await freePort();
    const r = await gate('--hotlist-feed', `nats://127.0.0.1:${port}/hotlist`, '--feed-wait', '1').exit;
    expect(r.code, r.err).toBe(4);
    expect(r.err).toMatch(/waiting for the hot list from nats:\/\/127\.0\.0\.1:\d+\/hotlist \(at most 1 s/);
    expect(r.err).toMatch(/TIMEOUT/);
    expect(r.out).toBe('');
    expect(r.ms).toBeLessThan(6_000);
  }, 20_000);
});

// Issue 17 item 2, one machine, no server: the decision log is the outbox; `site ingest --outbox DIR` reads it.
describe.skipIf(!BUILT)('hmskort gate --outbox DIR without --events (built CLI)', () => {
  let dir: string;
  beforeAll(() => {
    dir = gateDir('hmsk-gate-outbox-');
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const gate = (...extra: string[]) => runCli(dir, ['gate', '--reader', 'virtual', '--image-in', 'card.json', '--keys', 'keys.json', '--now', NOW, '--hotlist', 'h.csv', ...extra]).exit;

  test('every decision is kept in the outbox, numbered from 1 across runs; --gate-id and --site are required', async () => {
    const a = await gate('--outbox', 'box', '--gate-id', 'g1', '--site', 'oslo-1');
    expect(a.code, a.err).toBe(1);
    const b = await gate('--outbox', 'box', '--gate-id', 'g1', '--site', 'oslo-1');
    expect(b.code, b.err).toBe(1);
    expect(b.err).not.toMatch(/outbox/);
    const evs = outboxEvents(join(dir, 'box'));
    expect(evs.map((e) => e.seq)).toEqual([1, 2]);
    expect(evs[1]).toMatchObject({ gateId: 'g1', site: 'oslo-1', decision: { reason: 'hotlisted' } });
    const noId = await gate('--outbox', 'box2');
    expect(noId.code).toBe(2);
    expect(noId.err).toMatch(/--gate-id is required with --hotlist-feed, --events or --outbox/);
  }, 20_000);
});

/**
 * `hmskort hotlist publish/status` and `hmskort gate --hotlist-feed --events --once`, the built CLI
 * (bin/hmskort.js; `npx tsc -p tsconfig.build.json` first) against a real nats-server. The card is
 * the spec's signed example (card number 123456: test/helpers/cardExamples.ts); the expected
 * decisions follow spec section 7 rule 3 (hot-listed -> DENY hotlisted; not listed -> ALLOW).
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { jetstreamManager } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/transport-node';
import { BUILT, runCli } from '../../helpers/batchCli.js';
import { cardExamples } from '../../helpers/cardExamples.js';
import { toHex as hex } from '../../helpers/hex.js';
import { natsServerMissing, startNatsServer, type NatsServerHandle } from '../../helpers/natsServer.js';
import { connectTo } from '../../helpers/natsFleet.js';

const signed = cardExamples().find((e) => e.id === 'card-signed-4-byte-uid')!;
const NOW = '2027-01-01T12:00:00Z';

describe.skipIf(natsServerMissing() || !BUILT)('hmskort hotlist + gate on NATS (built CLI)', () => {
  let server: NatsServerHandle;
  let dir: string;
  let nc: NatsConnection;

  beforeAll(async () => {
    server = await startNatsServer();
    nc = await connectTo(server.url);
    dir = mkdtempSync(join(tmpdir(), 'hmsk-hotlist-cli-'));
    writeFileSync(join(dir, 'keys.json'), JSON.stringify({ readMaster: hex(signed.readMaster) }));
    writeFileSync(join(dir, 'card.json'), JSON.stringify({ blocks: signed.blocks }));
  });
  afterAll(async () => {
    await nc?.close();
    await server?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  const gate = (...extra: string[]) =>
    runCli(dir, ['gate', '--reader', 'virtual', '--image-in', 'card.json', '--keys', 'keys.json', '--now', NOW, '--json', '--hotlist-feed', `${server.url}/hotlist`, '--gate-id', 'g1', '--site', 'oslo-1', ...extra]).exit;

  test('publish, the gate denies the listed card; publish without it, the gate allows; status shows the gate', async () => {
    writeFileSync(join(dir, 'v1.csv'), 'cardNumber,status,minIssue\n123456,stolen,\n999999,lost,2\n');
    const p1 = await runCli(dir, ['hotlist', 'publish', 'v1.csv', '--nats', server.url]).exit;
    expect(p1.err).toBe('');
    expect(p1.code).toBe(0);
    expect(p1.out).toMatch(/^added 2, changed 0, removed 0; revision 2, 2 entries; snapshot at revision 2\n$/);

    const g1 = await gate('--events', server.url);
    expect(g1.code).toBe(1);
    const d1 = JSON.parse(g1.out.trim().split('\n').pop()!);
    expect(d1).toMatchObject({ allow: false, reason: 'hotlisted', cardNumber: '123456', hotlistRevision: 2 });

    // The event reached the stream with its idempotency id.
    const jsm = await jetstreamManager(nc);
    const m = await jsm.streams.getMessage('EVENTS', { last_by_subj: 'ev.oslo-1.g1' });
    expect(m!.header.get('Nats-Msg-Id')).toBe('g1:1');
    // hotlistAgeMs 0: under --now the follower reads the gate's fixed clock too (on two clocks the
    // age was the distance between --now and this machine's time).
    expect(m!.json()).toMatchObject({ gateId: 'g1', site: 'oslo-1', seq: 1, hotlistRevision: 2, hotlistAgeMs: 0, decision: { allow: false, reason: 'hotlisted' } });
    // The gate's last report comes after its outbox drained: status names the event it just sent
    // (a report made only when the list was ready said seq 0, before the tap).
    const st1 = await runCli(dir, ['hotlist', 'status', '--nats', server.url]).exit;
    expect(st1.out).toMatch(/\n {2}oslo-1\.g1 {2}revision 2 \(current\) {2}reported \d+ s ago {2}last event seq 1\n/);

    writeFileSync(join(dir, 'v2.json'), JSON.stringify([{ cardNumber: '999999', status: 'lost', minIssue: 3, expiry: '2030-01-01' }]));
    const p2 = await runCli(dir, ['hotlist', 'publish', 'v2.json', '--nats', server.url, '--json']).exit;
    expect(JSON.parse(p2.out)).toMatchObject({ added: 0, changed: 1, removed: 1, revision: 4, entries: 1 });

    const g2 = await gate();
    expect(g2.code).toBe(0);
    expect(JSON.parse(g2.out.trim().split('\n').pop()!)).toMatchObject({ allow: true, hotlistRevision: 4 });

    const st = await runCli(dir, ['hotlist', 'status', '--nats', server.url]).exit;
    expect(st.code).toBe(0);
    expect(st.out).toMatch(/^bucket hotlist: revision 4, 1 entries, last change .* ago\)\n/);
    expect(st.out).toMatch(/\n {2}oslo-1\.g1 {2}revision 4 \(current\)/);
    const sj = JSON.parse((await runCli(dir, ['hotlist', 'status', '--nats', server.url, '--json']).exit).out);
    expect(sj).toMatchObject({ revision: 4, entries: 1, gates: [{ site: 'oslo-1', gateId: 'g1', revision: 4, behind: 0 }] });
  }, 60_000);

  test('errors: a bad line is exit 3 naming it, no server is exit 4, a bad URL exit 2', async () => {
    writeFileSync(join(dir, 'bad.csv'), 'cardNumber,status\n123456,misplaced\n');
    const bad = await runCli(dir, ['hotlist', 'publish', 'bad.csv', '--nats', server.url]).exit;
    expect(bad.code).toBe(3);
    expect(bad.err).toMatch(/bad\.csv:2: status "misplaced"/);
    const none = await runCli(dir, ['hotlist', 'status', '--nats', 'nats://127.0.0.1:1']).exit;
    expect(none.code).toBe(4);
    expect(none.err).toMatch(/no NATS server answered at 127\.0\.0\.1:1/);
    const url = await runCli(dir, ['hotlist', 'status', '--nats', 'http://x']).exit;
    expect(url.code).toBe(2);
    const noId = await runCli(dir, ['gate', '--reader', 'virtual', '--keys', 'keys.json', '--hotlist-feed', `${server.url}/hotlist`]).exit;
    expect(noId.code).toBe(2);
    expect(noId.err).toMatch(/--gate-id is required with --hotlist-feed, --events or --outbox/);
  });
});

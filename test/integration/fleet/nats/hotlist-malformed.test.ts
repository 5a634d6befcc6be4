/**
 * Issue 17 part 6: "a malformed delta ... a clear error, counted, never a crash of the gate". Values
 * no publisher of ours writes are put straight into the bucket: not JSON, a wrong status, a key that
 * is not a card number. The gate's feed counts each (NatsFleetError FEED_DELTA_MALFORMED naming key
 * and revision), skips it and applies the good deltas around it; the next publication repairs the
 * bucket (`repaired`).
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { jetstream } from '@nats-io/jetstream';
import { Kvm } from '@nats-io/kv';
import type { NatsConnection } from '@nats-io/transport-node';
import { natsServerMissing, startNatsServer, type NatsServerHandle } from '../../../helpers/natsServer.js';
import { connectTo, simGate, testEntry, until, type SimGate } from '../../../helpers/natsFleet.js';
import { publishEntries } from '../../../../src/fleet/nats/publish.js';
import { encodeEntryValue } from '../../../../src/fleet/nats/entryCodec.js';
import type { NatsFleetError } from '../../../../src/fleet/nats/errors.js';
import type { FeedEntry } from '../../../../src/fleet/contracts.js';

const pad = (e: FeedEntry): FeedEntry => ({ ...e, cardNumber: e.cardNumber.padStart(12, '0') });

describe.skipIf(natsServerMissing())('malformed values in the hot-list bucket', () => {
  let server: NatsServerHandle;
  let pub: NatsConnection;
  let gate: SimGate;
  const errors: NatsFleetError[] = [];

  beforeAll(async () => {
    server = await startNatsServer();
    pub = await connectTo(server.url, 'publisher');
  });
  afterAll(async () => {
    await gate?.close();
    await pub?.close();
    await server?.stop();
  });

  test('counted with key and revision, skipped; good deltas around them applied; repaired by the next publication', async () => {
    const list = new Map([0, 1, 2].map((i) => pad(testEntry(i))).map((e) => [e.cardNumber, e]));
    await publishEntries(list, { nc: pub });
    gate = await simGate(server.url, 'gate', { onMalformed: (e) => errors.push(e) });
    await gate.follower.ready(10_000);

    const kv = await new Kvm(jetstream(pub)).open('hotlist');
    const card0 = pad(testEntry(0)).cardNumber;
    const bad1 = await kv.put(card0, '{not json');
    const good = pad({ ...testEntry(7), minIssue: 4 });
    const goodRev = await kv.put(good.cardNumber, encodeEntryValue(good));
    const bad2 = await kv.put(pad(testEntry(8)).cardNumber, JSON.stringify({ v: 1, status: 'misplaced', expiry: '2099-12-31' }));
    const bad3 = await kv.put('not-a-card', encodeEntryValue(good));
    const after = await kv.put(pad(testEntry(9)).cardNumber, encodeEntryValue(pad(testEntry(9))));

    await until('the gate past the bad values', () => gate.follower.revision === after);
    expect(gate.follower.state).toBe('following');
    expect(gate.feed.malformed).toBe(3);
    expect(errors.map((e) => [e.code, e.key, e.revision])).toEqual([
      ['FEED_DELTA_MALFORMED', card0, bad1],
      ['FEED_DELTA_MALFORMED', pad(testEntry(8)).cardNumber, bad2],
      ['FEED_DELTA_MALFORMED', 'not-a-card', bad3],
    ]);
    expect(errors[1].message).toMatch(/status "misplaced"/);
    expect(errors[1].kind).toBe('data');
    // Good deltas on both sides applied; the card whose new value is bad keeps the value it had.
    expect(gate.follower.hotlist.minIssueOf(Number(good.cardNumber))).toBe(4);
    expect(goodRev).toBeLessThan(after);
    expect(gate.follower.hotlist.minIssueOf(Number(card0))).toBe(testEntry(0).minIssue ?? 256);

    // The publisher reads the bad values as not there: card 0 is put again, card 8 and the bad key deleted.
    list.set(good.cardNumber, good);
    list.set(pad(testEntry(9)).cardNumber, pad(testEntry(9)));
    const r = await publishEntries(list, { nc: pub });
    expect(r).toMatchObject({ repaired: 3, added: 1, changed: 0, removed: 0 });
    expect(JSON.parse((await kv.get(card0))!.string())).toMatchObject({ status: testEntry(0).status });
    expect((await kv.get('not-a-card'))!.operation).toBe('DEL');
    // The publisher deletes the bad keys last; the deletion of 'not-a-card' is no delta for a gate.
    await until('the gate at the repaired revision', () => gate.follower.revision === r.revision - 1);
    expect(gate.feed.malformed).toBe(3);
  });
});

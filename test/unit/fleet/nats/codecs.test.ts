/**
 * The NATS side's pure parts: the snapshot object (round trip for any list, refused when it is not
 * one), a bucket value (refused with key and revision), the publisher's reading of a hot-list file
 * (checked against the gate's own reader, src/hotlist, as the independent oracle: every card the
 * gate's table lists, with the minIssue it answers, and nothing else), and --nats URLs.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { decodeSnapshot, encodeSnapshot } from '../../../../src/fleet/nats/snapshotCodec.js';
import { decodeEntryValue, encodeEntryValue, cardKey } from '../../../../src/fleet/nats/entryCodec.js';
import { readHotlistEntries, NO_EXPIRY } from '../../../../src/fleet/nats/hotlistFile.js';
import { parseNatsUrl } from '../../../../src/fleet/nats/connect.js';
import { parseHotlist } from '../../../../src/hotlist/load.js';
import { HOTLIST_STATUSES } from '../../../../src/codec/hotlistEntry.js';
import type { FeedEntry } from '../../../../src/fleet/contracts.js';

const entryArb = fc.record({
  cardNumber: fc.integer({ min: 1, max: 999_999_999_999 }).map((n) => String(n).padStart(12, '0')),
  status: fc.constantFrom(...HOTLIST_STATUSES),
  minIssue: fc.option(fc.integer({ min: 0, max: 255 }), { nil: undefined }),
  expiry: fc.date({ min: new Date('2000-01-01'), max: new Date('2099-12-31'), noInvalidDate: true }).map((d) => d.toISOString().slice(0, 10)),
}).map((e) => {
  const x: FeedEntry = { cardNumber: e.cardNumber, status: e.status, expiry: e.expiry };
  if (e.minIssue !== undefined) x.minIssue = e.minIssue;
  return x;
});

describe('snapshot object', () => {
  it('round-trips any list', () => {
    fc.assert(fc.property(fc.array(entryArb, { maxLength: 200 }), (list) => {
      expect(decodeSnapshot(encodeSnapshot(list), 's')).toEqual(list);
    }));
  });
  it('refuses what is not a snapshot, naming the line', () => {
    expect(() => decodeSnapshot(Uint8Array.of(1, 2, 3), 's')).toThrow(expect.objectContaining({ code: 'BAD_SNAPSHOT', message: expect.stringMatching(/not gzip/) }));
    expect(() => decodeSnapshot(gzipSync('cardNumber,status\n1,lost\n'), 's')).toThrow(/first line/);
    expect(() => decodeSnapshot(gzipSync('cardNumber,status,minIssue,expiry\n000000000001,lost,,2030-01-01\n000000000002,lost\n'), 's')).toThrow(/line 3: expected 4 fields/);
    expect(() => decodeSnapshot(gzipSync('cardNumber,status,minIssue,expiry\n000000000001,lost,,2030-01-01,x\n'), 's')).toThrow(/line 2: expected 4 fields/);
  });
});

describe('bucket value', () => {
  it('round-trips any entry', () => {
    fc.assert(fc.property(entryArb, fc.integer({ min: 1, max: 1e9 }), (e, rev) => {
      expect(decodeEntryValue(e.cardNumber, new TextEncoder().encode(encodeEntryValue(e)), rev)).toEqual(e);
    }));
  });
  it.each([
    ['000000000001', '{x', /revision 7: the value is not JSON/],
    ['000000000001', '{"v":2,"status":"lost","expiry":"2030-01-01"}', /format version 2/],
    ['000000000001', '{"v":1,"status":"gone","expiry":"2030-01-01"}', /status "gone"/],
    ['000000000001', '{"v":1,"status":"lost","expiry":"2030-02-30"}', /expiry/],
    ['000000000001', '{"v":1,"status":"lost","minIssue":256,"expiry":"2030-01-01"}', /minIssue 256/],
    ['1', '{"v":1,"status":"lost","expiry":"2030-01-01"}', /not a 12-digit card number/],
  ])('key %s value %s: FEED_DELTA_MALFORMED', (key, value, msg) => {
    let err: unknown;
    try {
      decodeEntryValue(key, new TextEncoder().encode(value), 7);
    } catch (e) {
      err = e;
    }
    expect(err).toMatchObject({ code: 'FEED_DELTA_MALFORMED', key, revision: 7, kind: 'data' });
    expect((err as Error).message).toMatch(msg);
  });
  it('keys are 12 digits', () => expect(cardKey('123456')).toBe('000000123456'));
});

describe('the publisher reads a hot-list file as the gate does', () => {
  const dir = mkdtempSync(join(tmpdir(), 'hmsk-hotfile-'));
  const write = (name: string, text: string) => {
    writeFileSync(join(dir, name), text);
    return join(dir, name);
  };
  it.each([
    ['plain.csv', '123456,stolen\n000000654321,lost,3\n# a comment\n\n777,blocked,\n'],
    ['header.csv', 'minIssue,status,cardNumber\n4,destroyed,42\n,lost,43\n'],
    ['semi.csv', '"cardNumber";"status";"minIssue"\n"42";"lost";"7"\n'],
    ['dupes.csv', '42,lost,3\n42,stolen,9\n43,lost\n43,lost,200\n'],
    ['list.json', '[{"cardNumber":"42","status":"lost","minIssue":1},{"cardNumber":43,"status":"stolen"}]'],
  ])('%s: the cards and minIssues of the gate reader, no expiry -> %s', async (name, text) => {
    const path = write(name, text);
    const mine = await readHotlistEntries(path);
    const gate = parseHotlist(new TextEncoder().encode(text), name);
    expect(mine.size).toBe(gate.size);
    for (const e of mine.values()) {
      expect(gate.minIssueOf(Number(e.cardNumber))).toBe(e.minIssue ?? 256);
      expect(e.expiry).toBe(NO_EXPIRY);
    }
  });
  it('takes an expiry column', async () => {
    const m = await readHotlistEntries(write('exp.csv', 'cardNumber,status,expiry\n42,lost,2028-06-30\n'));
    expect([...m.values()]).toEqual([{ cardNumber: '000000000042', status: 'lost', expiry: '2028-06-30' }]);
  });
  it.each([
    ['bad-status.csv', '42,lost\n43,gone\n', /bad-status\.csv:2: status "gone"/],
    ['bad-col.csv', 'cardNumber,status,colour\n', /bad-col\.csv:1: the header must name/],
    ['bad-exp.csv', 'cardNumber,status,expiry\n42,lost,2028-13-01\n', /bad-exp\.csv:2: expiry/],
    ['empty.csv', '', /empty \(0 bytes\)/],
    ['bad.json', '[{"cardNumber":"42","status":"lost","colour":1}]', /entry 1: unknown key "colour"/],
  ])('%s: HOTLIST_FORMAT naming the line', async (name, text, msg) => {
    await expect(readHotlistEntries(write(name, text))).rejects.toMatchObject({ code: 'HOTLIST_FORMAT', message: expect.stringMatching(msg) });
  });
});

describe('--nats URL', () => {
  it('reads servers and bucket', () => {
    expect(parseNatsUrl('nats://127.0.0.1:4222/hotlist', '--hotlist-feed')).toEqual({ servers: ['127.0.0.1:4222'], path: 'hotlist' });
    expect(parseNatsUrl('nats://a:1,b:2', '--nats')).toEqual({ servers: ['a:1', 'b:2'], path: undefined });
  });
  it.each(['http://a:1', 'nats://a', 'nats://a:1/b/c', 'nats://:1'])('%s is BAD_NATS_URL (usage)', (u) => {
    expect(() => parseNatsUrl(u, '--nats')).toThrow(expect.objectContaining({ code: 'BAD_NATS_URL', kind: 'usage' }));
  });
  it.each(['nats://ola:hemmelig-pw@a:4222', 'nats://a:1,ola:hemmelig-pw@b:2', 'nats://ola:hemmelig-pw@a:4222/b/c'])('%s is refused without its password in the message', (u) => {
    let message = '';
    try {
      parseNatsUrl(u, '--nats');
    } catch (e) {
      message = (e as Error).message;
    }
    expect(message).toMatch(/BAD_NATS_URL|not HOST:PORT|expected nats:/);
    expect(message).not.toContain('hemmelig-pw');
  });
});

/**
 * `hmskort gate --holder-read` end to end (issue 18 part 1), the built CLI on the virtual reader
 * with the spec's signed example card (test/helpers/cardExamples.ts, from
 * /work/shared/spec/examples.json). The expected holder is the example's encoder *input* (given
 * and family name, birth date, employer's name), never our decoder's output: the event must carry
 * what the issuer wrote on the card.
 */
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BUILT, killRunning, runCli } from '../../helpers/batchCli.js';
import { cardExamples } from '../../helpers/cardExamples.js';
import { toHex as hex } from '../../helpers/hex.js';
import { publicKeyOf } from '../../../src/card/signature.js';

const signed = cardExamples().find((e) => e.id === 'card-signed-4-byte-uid')!;
const NOW = '2027-01-01T12:00:00Z';
// GateHolder.name: given name and family name, one space between (src/gate/holderRead.ts).
const EXPECTED = { name: `${signed.holder.givenName} ${signed.holder.familyName}`, birthDate: signed.holder.birthDate, orgName: signed.holder.orgName };

function outboxEvents(dir: string): Array<{ seq: number; decision: { cardNumber?: string }; holder?: unknown }> {
  return readdirSync(dir)
    .filter((n) => n.endsWith('.jsonl'))
    .flatMap((n) => readFileSync(join(dir, n), 'utf8').split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l)));
}

const jsonLines = (out: string) => out.split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l) as Record<string, unknown>);

describe.skipIf(!BUILT)('hmskort gate --holder-read (built CLI)', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'hmsk-gate-holder-'));
    const publicKeys = { [String(signed.input.keyId)]: hex(publicKeyOf(signed.input.signingKey!)) };
    writeFileSync(join(dir, 'keys.json'), JSON.stringify({ readMaster: hex(signed.readMaster), publicKeys }));
    writeFileSync(join(dir, 'nopub.json'), JSON.stringify({ readMaster: hex(signed.readMaster) }));
    writeFileSync(join(dir, 'card.json'), JSON.stringify({ blocks: signed.blocks }));
  });
  afterEach(() => killRunning());
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const gate = (keys: string, box: string, ...extra: string[]) =>
    runCli(dir, ['gate', '--reader', 'virtual', '--image-in', 'card.json', '--keys', keys, '--now', NOW, '--json', '--outbox', box, '--gate-id', 'g1', '--site', 's1', ...extra]).exit;

  test('the outbox event carries the spec example holder; --json reports the read and holderStats', async () => {
    const r = await gate('keys.json', 'box1', '--holder-read');
    expect(r.code, r.err).toBe(0);
    const events = outboxEvents(join(dir, 'box1'));
    expect(events).toHaveLength(1);
    expect(events[0].decision.cardNumber).toBe(signed.holder.cardNumber);
    expect(events[0].holder).toEqual(EXPECTED);
    const lines = jsonLines(r.out);
    const read = lines.find((l) => 'holderRead' in l)!.holderRead as { attached: boolean; ms: number; operations: number; cardNumber: string };
    expect(read).toMatchObject({ attached: true, cardNumber: signed.holder.cardNumber });
    expect(read.ms).toBeGreaterThan(0);
    // The extra commands: sectors 0-5 read after the decision (more than the decision's 2).
    expect(read.operations).toBeGreaterThan(2);
    expect(lines.at(-1)).toEqual({ holderStats: { reads: 1, known: 0, verified: 1, cardErrors: 0, invalid: 0 } });
    // The decision line comes first: the read never delays it.
    expect(lines.findIndex((l) => 'allow' in l)).toBeLessThan(lines.findIndex((l) => 'holderRead' in l));
  });

  test('without --holder-read: no holder in the event, no holder lines', async () => {
    const r = await gate('keys.json', 'box2');
    expect(r.code, r.err).toBe(0);
    const events = outboxEvents(join(dir, 'box2'));
    expect(events).toHaveLength(1);
    expect(events[0]).not.toHaveProperty('holder');
    expect(r.out).not.toMatch(/holderRead|holderStats/);
  });

  test("a signed card without its issuer key in the keys file gives no holder (UNKNOWN_KEY)", async () => {
    const r = await gate('nopub.json', 'box3', '--holder-read');
    expect(r.code, r.err).toBe(0);
    expect(outboxEvents(join(dir, 'box3'))[0]).not.toHaveProperty('holder');
    const read = jsonLines(r.out).find((l) => 'holderRead' in l)!.holderRead;
    expect(read).toMatchObject({ attached: false, error: 'UNKNOWN_KEY' });
  });

  test('--holder-read without --outbox or --events is a usage error (exit 2)', async () => {
    const r = await runCli(dir, ['gate', '--reader', 'virtual', '--image-in', 'card.json', '--keys', 'keys.json', '--now', NOW, '--holder-read']).exit;
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/--holder-read needs --outbox or --events/);
  });
});

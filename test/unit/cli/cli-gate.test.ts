/**
 * `hmskort gate` in-process on the virtual reader. Expected decisions come from the spec: every
 * `gate` example of examples.json and every 16-byte vector of test-vectors/gate.json (gate block,
 * instant, hot list, policy, expected decision) is put on a virtual card (test/helpers/gateCards.ts builds sector 1 by hand from section 3) and decided
 * through the command with the example's hot list and policy as files; and the signed `card`
 * example (card number 123456, org 974760673, construction, expiry 2028-06-30, issue 0).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { tmpdir } from 'node:os';
import { main } from '../../../src/cli/main.js';
import { fakeContext } from '../../helpers/cli.js';
import { cardExamples } from '../../helpers/cardExamples.js';
import { hmskCard, READ_MASTER, uidOf } from '../../helpers/gateCards.js';
import { toHex as hex } from '../../helpers/hex.js';

const signedEx = cardExamples().find((e) => e.id === 'card-signed-4-byte-uid')!;
let dir: string;

interface GateExample {
  id: string;
  kind: string;
  input: { gateBlock: string; now: string; hotlist: unknown[]; policy: unknown };
  expect: { allow: boolean; reason: string; error?: string };
}
const gateVectors = (file: string) => (JSON.parse(readFileSync(resolve(import.meta.dirname, file), 'utf8')) as { vectors: GateExample[] }).vectors.filter((v) => v.kind === 'gate');
// The spec's examples from test-vectors/spec-examples.json, the byte-for-byte copy of
// shared/spec/examples.json (test/unit/project/vectors.test.ts checks the two are equal when shared/ is beside the
// checkout): this file must run in a checkout without ../shared (issue 14).
const gateExamples = gateVectors('../../../test-vectors/spec-examples.json');
// test-vectors/gate.json (independent generator, test-vectors/gate-vectors.py): those with a 16-byte block.
const moreGateVectors = gateVectors('../../../test-vectors/gate.json').filter((v) => /^[0-9a-fA-F]{32}$/.test(v.input.gateBlock));

async function run(...argv: string[]) {
  const ctx = fakeContext({ cwd: dir });
  const status = await main(argv, ctx);
  return { status, out: ctx.out(), err: ctx.err() };
}

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'hmskort-gate-cli-'));
  writeFileSync(join(dir, 'gate-keys.json'), JSON.stringify({ readMaster: hex(READ_MASTER) }));
  writeFileSync(join(dir, 'signed-keys.json'), JSON.stringify({ readMaster: hex(signedEx.readMaster) }));
  writeFileSync(join(dir, 'signed.json'), JSON.stringify({ blocks: signedEx.blocks }));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('hmskort gate --reader virtual', () => {
  it('has the spec gate examples and the gate vectors', () => {
    expect(gateExamples.length).toBeGreaterThanOrEqual(3);
    expect(moreGateVectors.length).toBeGreaterThan(50);
  });

  it.each([...gateExamples, ...moreGateVectors].map((v) => [v.id, v] as const))('vector %s: the decision the spec expects, exit 0 only when allowed', async (id, v) => {
    const card = hmskCard(uidOf(7), v.input.gateBlock);
    writeFileSync(join(dir, `${id}.card.json`), JSON.stringify({ blocks: card.exportBlocks() }));
    writeFileSync(join(dir, `${id}.hot.json`), JSON.stringify(v.input.hotlist));
    writeFileSync(join(dir, `${id}.policy.json`), JSON.stringify(v.input.policy));
    const r = await run('gate', '--reader', 'virtual', '--image-in', `${id}.card.json`, '--keys', 'gate-keys.json', '--hotlist', `${id}.hot.json`, '--policy', `${id}.policy.json`, '--now', v.input.now, '--once', '--json');
    expect(r.err).toBe('');
    const lines = r.out.trim().split('\n');
    expect(lines).toHaveLength(1);
    const d = JSON.parse(lines[0]) as { allow: boolean; reason: string; error?: string };
    expect({ allow: d.allow, reason: d.reason, ...(d.error === undefined ? {} : { error: d.error }) }).toEqual(v.expect);
    expect(r.status).toBe(v.expect.allow ? 0 : 1);
  });

  it('prints the human line with the card fields', async () => {
    const r = await run('gate', '--reader', 'virtual', '--image-in', 'signed.json', '--keys', 'signed-keys.json', '--now', '2027-01-01T12:00:00Z');
    expect(r.status).toBe(0);
    expect(r.out).toMatch(/^ALLOW ok card 123456 org 974760673 construction expiry 2028-06-30 issue 0 uid [0-9a-f]{8} \(\d+ µs\)\n$/);
  });

  it('denies a hot-listed card (CSV hot list) and an expired one', async () => {
    writeFileSync(join(dir, 'hot.csv'), 'cardNumber,status\n999,lost\n0000123456,stolen\n');
    const hot = await run('gate', '--reader', 'virtual', '--image-in', 'signed.json', '--keys', 'signed-keys.json', '--hotlist', 'hot.csv', '--now', '2027-01-01T12:00:00Z');
    expect(hot.status).toBe(1);
    expect(hot.out).toMatch(/^DENY hotlisted card 123456 /);
    // Section 7 rule 6: the Oslo date after the expiry date. 2028-06-30T22:30Z is 00:30 on 1 July in Oslo (CEST).
    const late = await run('gate', '--reader', 'virtual', '--image-in', 'signed.json', '--keys', 'signed-keys.json', '--now', '2028-06-30T22:30:00Z');
    expect(late.status).toBe(1);
    expect(late.out).toMatch(/^DENY expired /);
    const lastDay = await run('gate', '--reader', 'virtual', '--image-in', 'signed.json', '--keys', 'signed-keys.json', '--now', '2028-06-30T21:30:00Z');
    expect(lastDay.out).toMatch(/^ALLOW ok /);
  });

  it('a blank card is INVALID AUTH_FAILED (transport keys, not ours), exit 1', async () => {
    const r = await run('gate', '--reader', 'virtual', '--uid', '04a1b2c3', '--keys', 'gate-keys.json');
    expect(r.status).toBe(1);
    expect(r.out).toMatch(/^INVALID AUTH_FAILED uid 04a1b2c3 \(\d+ µs\)\n$/);
  });

  it('--log appends the decision as a JSON line', async () => {
    const r = await run('gate', '--reader', 'virtual', '--image-in', 'signed.json', '--keys', 'signed-keys.json', '--now', '2027-01-01T12:00:00Z', '--log', 'decisions.jsonl');
    expect(r.status).toBe(0);
    const logged = readFileSync(join(dir, 'decisions.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    expect(logged).toHaveLength(1);
    expect(logged[0]).toMatchObject({ allow: true, reason: 'ok', cardNumber: '123456', orgNumber: '974760673', at: '2027-01-01T12:00:00.000Z' });
  });

  it('a malformed hot list: exit 3, the message names the file and the line', async () => {
    writeFileSync(join(dir, 'bad.csv'), 'cardNumber,status\n123,lost\n12x4,stolen\n');
    const r = await run('gate', '--reader', 'virtual', '--image-in', 'signed.json', '--keys', 'signed-keys.json', '--hotlist', 'bad.csv');
    expect(r.status).toBe(3);
    expect(r.err).toMatch(/bad\.csv:3:/);
    expect(r.out).toBe('');
  });

  it('a policy naming an org with a bad check digit: exit 3', async () => {
    writeFileSync(join(dir, 'bad-policy.json'), '{\n  "allowedOrgs": ["974760674"]\n}\n');
    const r = await run('gate', '--reader', 'virtual', '--image-in', 'signed.json', '--keys', 'signed-keys.json', '--policy', 'bad-policy.json');
    expect(r.status).toBe(3);
    expect(r.err).toMatch(/bad-policy\.json/);
  });

  it('command-line mistakes: exit 2', async () => {
    expect((await run('gate', '--keys', 'gate-keys.json')).status).toBe(2);
    expect((await run('gate', '--reader', 'virtual', '--keys', 'gate-keys.json', '--now', 'yesterday')).status).toBe(2);
    // No offset would mean the machine's local time: refused, as in gate vectors (section 8).
    expect((await run('gate', '--reader', 'virtual', '--keys', 'gate-keys.json', '--now', '2027-01-01T12:00:00')).status).toBe(2);
    expect((await run('gate', '--reader', 'pcsc', '--uid', '04a1b2c3', '--keys', 'gate-keys.json')).status).toBe(2);
    expect((await run('gate', '--reader', 'virtual')).status).toBe(2);
  });
});

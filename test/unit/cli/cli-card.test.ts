/**
 * `hmskort card ...` run in-process (main() with a fake context) on the virtual reader, with the
 * spec's `card` examples as the expected memory. Checks exit statuses of src/cli/command.ts and
 * that no secret key reaches stdout or stderr.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { main } from '../../../src/cli/main.js';
import { fakeContext } from '../../helpers/cli.js';
import { cardExamples } from '../../helpers/cardExamples.js';
import { toHex as hex } from '../../helpers/hex.js';

const examples = cardExamples();
const signedEx = examples.find((e) => e.id === 'card-signed-4-byte-uid')!;
const unsignedEx = examples.find((e) => e.id === 'card-unsigned-7-byte-uid')!;
let dir: string;

async function run(...argv: string[]) {
  const ctx = fakeContext({ cwd: dir });
  const status = await main(argv, ctx);
  return { status, out: ctx.out(), err: ctx.err() };
}

/** Secrets of the signed example that must never be printed: masters, seed, derived keys. */
function secrets(): string[] {
  const trailerKeys = [3, 7, 11, 15, 19, 23].flatMap((t) => [signedEx.blocks[t].slice(20, 32), t === 3 ? '' : signedEx.blocks[t].slice(0, 12)]).filter(Boolean);
  return [hex(signedEx.readMaster), hex(signedEx.writeMaster), hex(signedEx.input.signingKey!), ...trailerKeys];
}

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'hmskort-card-'));
  writeFileSync(join(dir, 'holder.json'), JSON.stringify(signedEx.holder));
  writeFileSync(join(dir, 'holder7.json'), JSON.stringify(unsignedEx.holder));
  writeFileSync(join(dir, 'keys.json'), JSON.stringify({ readMaster: hex(signedEx.readMaster), writeMaster: hex(signedEx.writeMaster), signingKey: hex(signedEx.input.signingKey!), keyId: 1 }));
  writeFileSync(join(dir, 'keys7.json'), JSON.stringify({ readMaster: hex(unsignedEx.readMaster), writeMaster: hex(unsignedEx.writeMaster) }));
  writeFileSync(join(dir, 'gate.json'), JSON.stringify({ readMaster: hex(signedEx.readMaster) }));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('hmskort card encode', () => {
  it('encodes the signed example on a blank virtual card; the image equals the spec example', async () => {
    const r = await run('card', 'encode', 'holder.json', '--keys', 'keys.json', '--reader', 'virtual', '--image-out', 'signed.json', '--json');
    expect(r.status).toBe(0);
    const report = JSON.parse(r.out) as { ok: boolean; operations: number; steps: unknown[]; found: string };
    expect(report.ok).toBe(true);
    expect(report.found).toBe('blank');
    expect(report.steps).toHaveLength(7);
    expect((JSON.parse(readFileSync(join(dir, 'signed.json'), 'utf8')) as { blocks: string[] }).blocks).toEqual(signedEx.blocks);
    for (const s of secrets()) expect(r.out + r.err).not.toContain(s);
  });

  it('encodes the unsigned 7-byte-UID example with --uid', async () => {
    const r = await run('card', 'encode', 'holder7.json', '--keys', 'keys7.json', '--reader', 'virtual', '--uid', unsignedEx.uid, '--image-out', 'unsigned.json');
    expect(r.status).toBe(0);
    expect(r.out).toMatch(/encoded card 04112233445566 \(was blank, unsigned\)/);
    expect((JSON.parse(readFileSync(join(dir, 'unsigned.json'), 'utf8')) as { blocks: string[] }).blocks).toEqual(unsignedEx.blocks);
  });

  it('refuses a card with another issuer\'s keys: exit 1, says what it found', async () => {
    const blocks = [...signedEx.blocks];
    blocks[7] = '112233445566787788001122334455aa';
    writeFileSync(join(dir, 'foreign.json'), JSON.stringify({ blocks }));
    const r = await run('card', 'encode', 'holder.json', '--keys', 'keys.json', '--reader', 'virtual', '--image-in', 'foreign.json');
    expect(r.status).toBe(1);
    expect(r.err).toMatch(/FOREIGN_CARD.*sector 1: neither the derived key B nor the transport key/);
  });

  it('a gate keys file (no write master) cannot encode: exit 3 naming the field', async () => {
    const r = await run('card', 'encode', 'holder.json', '--keys', 'gate.json', '--reader', 'virtual');
    expect(r.status).toBe(3);
    expect(r.err).toMatch(/writeMaster/);
  });
});

describe('hmskort card read / verify / void', () => {
  it('read: full read verifies the signed card', async () => {
    const r = await run('card', 'read', '--reader', 'virtual', '--image-in', 'signed.json', '--keys', 'keys.json', '--json');
    expect(r.status).toBe(0);
    const j = JSON.parse(r.out) as { valid: boolean; signature: string; holder: { familyName: string } };
    expect(j.valid).toBe(true);
    expect(j.signature).toBe('valid');
    expect(j.holder.familyName).toBe('Østby-Hågensen');
  });

  it('read --gate with a gate keys file gives the gate fields', async () => {
    const r = await run('card', 'read', '--gate', '--reader', 'virtual', '--image-in', 'signed.json', '--keys', 'gate.json', '--json');
    expect(r.status).toBe(0);
    expect(JSON.parse(r.out)).toMatchObject({ holder: { category: 'construction', cardNumber: '123456', orgNumber: '974760673', expiry: '2028-06-30', issue: 0 }, gateBlock: signedEx.blocks[4] });
  });

  it('read, void or dump of a blank card: the card refused our keys, exit 1 as the help says (issue 19 item 22)', async () => {
    for (const args of [['read', '--gate'], ['read'], ['void'], ['dump', '--format', 'mct']]) {
      const r = await run('card', ...args, '--reader', 'virtual', '--keys', 'keys.json');
      expect(r.status, args.join(' ')).toBe(1);
      expect(r.out, args.join(' ')).toMatch(/^card 04a1b2c3: REFUSED: AUTH_FAILED: .* \(a blank card, or one not encoded with these keys\)\n$/);
      expect(r.err).toBe('');
    }
    const j = await run('card', 'read', '--gate', '--reader', 'virtual', '--keys', 'gate.json', '--json');
    expect(j.status).toBe(1);
    expect(JSON.parse(j.out)).toMatchObject({ uid: '04a1b2c3', refused: true, error: { code: 'AUTH_FAILED' } });
  });

  it('verify: the image verifies with the keys file, and is UNKNOWN_KEY without it', async () => {
    const ok = await run('card', 'verify', 'signed.json', '--keys', 'keys.json', '--json');
    expect(ok.status).toBe(0);
    expect(JSON.parse(ok.out)).toMatchObject({ valid: true, signature: 'valid', keyId: 1 });
    const unknown = await run('card', 'verify', 'signed.json');
    expect(unknown.status).toBe(1);
    expect(unknown.out).toMatch(/UNKNOWN_KEY/);
  });

  it('void: rewrites block 4; the gate then reads category void', async () => {
    const v = await run('card', 'void', '--reader', 'virtual', '--image-in', 'signed.json', '--image-out', 'void.json', '--keys', 'keys.json');
    expect(v.status).toBe(0);
    const before = signedEx.blocks;
    const after = (JSON.parse(readFileSync(join(dir, 'void.json'), 'utf8')) as { blocks: string[] }).blocks;
    expect(after.filter((b, i) => b !== before[i]).length).toBe(1);
    expect(after[4].slice(0, 4)).toBe('481f');
    const g = await run('card', 'read', '--gate', '--reader', 'virtual', '--image-in', 'void.json', '--keys', 'gate.json', '--json');
    expect(JSON.parse(g.out).holder.category).toBe('void');
  });
});

describe('hmskort card dump', () => {
  it('a card read through the reader, keys put back from the keys file, dumps to exactly the spec example', async () => {
    const r = await run('card', 'dump', '--format', 'proxmark', '--reader', 'virtual', '--image-in', 'signed.json', '--keys', 'keys.json', '--out', 'pm.json');
    expect(r.status).toBe(0);
    const pm = JSON.parse(readFileSync(join(dir, 'pm.json'), 'utf8')) as { blocks: Record<string, string> };
    // Proxmark3 JSON: "blocks": {"0": "HEX", ...} upper case.
    expect(Object.values(pm.blocks).map((b) => b.toLowerCase())).toEqual(signedEx.blocks);
    const v = await run('card', 'verify', 'pm.json', '--keys', 'keys.json', '--json');
    expect(v.status).toBe(0);
    expect(JSON.parse(v.out)).toMatchObject({ valid: true, signature: 'valid' });
  });

  it('mct to stdout and mfd to a file round-trip through verify', async () => {
    const mct = await run('card', 'dump', '--format', 'mct', '--image-in', 'unsigned.json');
    expect(mct.status).toBe(0);
    expect(mct.out).toMatch(/^\+Sector: 0/);
    expect(mct.out.toLowerCase()).toContain(unsignedEx.blocks[4]);
    writeFileSync(join(dir, 'unsigned.mct'), mct.out);
    expect((await run('card', 'verify', 'unsigned.mct')).status).toBe(0);
    expect((await run('card', 'dump', '--format', 'mfd', '--image-in', 'unsigned.mct', '--out', 'unsigned.mfd')).status).toBe(0);
    const mfd = readFileSync(join(dir, 'unsigned.mfd'));
    expect(mfd.length).toBe(1024);
    expect(mfd.subarray(64, 80).toString('hex')).toBe(unsignedEx.blocks[4]);
    const v = await run('card', 'verify', 'unsigned.mfd', '--json');
    expect(JSON.parse(v.out)).toMatchObject({ valid: true, signature: 'absent', holder: { cardNumber: '4711' } });
  });

  it('mfd needs --out; an unknown format is a usage error', async () => {
    expect((await run('card', 'dump', '--format', 'mfd', '--image-in', 'signed.json')).status).toBe(2);
    expect((await run('card', 'dump', '--format', 'eml', '--image-in', 'signed.json')).status).toBe(2);
  });
});

describe('hmskort card: command line errors', () => {
  it('exit 2 for an unknown reader, a missing --reader or sub-command', async () => {
    for (const argv of [
      ['card', 'read', '--reader', 'nfc-thing', '--keys', 'keys.json'],
      ['card'],
      ['card', 'burn'],
      ['card', 'encode', 'holder.json', '--keys', 'keys.json'],
    ]) expect((await run(...argv)).status, argv.join(' ')).toBe(2);
  });
});

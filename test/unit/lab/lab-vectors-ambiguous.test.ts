/**
 * Issue 19 item 11: `lab verify` on the project's own test-vectors/mifare.json reported "0 passed,
 * 2 failed": a signed and an unsigned card both name UID 04a1b2c3 (and 04112233445566), and every
 * card presented was compared with both, silently. A vector set expecting different cards for one
 * UID is now refused, naming the UID and the vectors, unless the vectors to check are named; the
 * vectors that apply to each UID are listed before the first card.
 */
import { describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { LabVectorError, labVectorsByUid } from '../../../src/lab/verify.js';
import { parseVectorFile, type Vector } from '../../../src/vectors/runner.js';
import { runMain } from '../../helpers/cli.js';
import { thrown } from '../../helpers/thrown.js';

const mifarePath = resolve(import.meta.dirname, '../../../test-vectors/mifare.json');
const mifare = parseVectorFile(JSON.parse(readFileSync(mifarePath, 'utf8')), 'mifare.json');
const byId = (id: string) => mifare.find((v) => v.id === id)!;

const labError = (f: () => unknown) => thrown(f, LabVectorError);

async function lab(...args: string[]) {
  const dir = mkdtempSync(join(tmpdir(), 'hmsk-lab-amb-'));
  // The keys of mifare.json's card vectors (input.readMaster / writeMaster).
  writeFileSync(join(dir, 'keys.json'), JSON.stringify({ readMaster: '000102030405060708090a0b0c0d0e0f', writeMaster: '101112131415161718191a1b1c1d1e1f' }));
  return runMain(dir, ['lab', 'verify', '--vectors', mifarePath, '--reader', 'virtual', '--keys', 'keys.json', ...args]);
}

describe('labVectorsByUid: one UID, one expected card', () => {
  it('refuses mifare.json as it stands, naming the UID and the two cards', () => {
    const e = labError(() => labVectorsByUid(mifare));
    expect(e.code).toBe('AMBIGUOUS_VECTORS');
    expect(e.uid).toBe('04a1b2c3');
    expect(e.message).toBe(
      'AMBIGUOUS_VECTORS: 2 different cards are expected for UID 04a1b2c3 (card-signed-key-id-2 + verify-card-signed-key-id-2; card-unsigned-4-byte-uid + verify-card-unsigned-4-byte-uid); one card can match only one: name the vectors to check',
    );
  });

  it('a card vector and its verify-card twin are one card, even where trailer keys differ', () => {
    const card = byId('card-signed-key-id-2');
    const twin = structuredClone(byId('verify-card-signed-key-id-2')) as Vector;
    const blocks = twin.input.blocks as string[];
    blocks[7] = '000000000000' + blocks[7].slice(12, 20) + '000000000000'; // keys are never read back
    expect([...labVectorsByUid([card, twin]).get('04a1b2c3')!].map((v) => v.id)).toEqual(['card-signed-key-id-2', 'verify-card-signed-key-id-2']);
    // ... but not where a data byte differs.
    blocks[5] = (blocks[5][0] === '0' ? '1' : '0') + blocks[5].slice(1);
    expect(labError(() => labVectorsByUid([card, twin])).code).toBe('AMBIGUOUS_VECTORS');
  });

  it('`only` picks the vectors; unknown ids and non-lab vectors are refused by name', () => {
    const m = labVectorsByUid(mifare, { only: ['card-unsigned-4-byte-uid', 'verify-card-unsigned-7-byte-uid'] });
    expect([...m].map(([uid, l]) => [uid, l.map((v) => v.id)])).toEqual([
      ['04a1b2c3', ['card-unsigned-4-byte-uid']],
      ['04112233445566', ['verify-card-unsigned-7-byte-uid']],
    ]);
    expect(labError(() => labVectorsByUid(mifare, { only: ['nope'] })).code).toBe('UNKNOWN_VECTOR');
    expect(labError(() => labVectorsByUid(mifare, { only: ['kdf-04a1b2c3-s0-B'] })).code).toBe('NOT_A_LAB_VECTOR');
    expect(labError(() => labVectorsByUid(mifare, { only: ['verify-card-record-crc'] })).code).toBe('NOT_A_LAB_VECTOR');
  });
});

describe('hmskort lab verify --vectors test-vectors/mifare.json', () => {
  it('refuses the ambiguous set before any card: exit 2, says to name the vector', async () => {
    const r = await lab();
    expect(r.status).toBe(2);
    expect(r.out).toBe('');
    expect(r.err).toContain('AMBIGUOUS_VECTORS: 2 different cards are expected for UID 04a1b2c3');
    expect(r.err).toContain('with --vector ID');
  });

  it('with the vectors named: lists what applies to each card, and the cards pass', async () => {
    const r = await lab('--vector', 'card-signed-key-id-2', '--vector', 'verify-card-signed-key-id-2', '--vector', 'card-signed-truncated-7-byte-uid', '--vector', 'verify-card-signed-truncated-7-byte-uid');
    expect(r.err).toBe('');
    expect(r.out.split('\n').slice(0, 2)).toEqual(['card 04a1b2c3: card-signed-key-id-2, verify-card-signed-key-id-2', 'card 04112233445566: card-signed-truncated-7-byte-uid, verify-card-signed-truncated-7-byte-uid']);
    expect(r.out).toContain('PASS card 04a1b2c3 vs card-signed-key-id-2, verify-card-signed-key-id-2');
    expect(r.out.trim().split('\n').at(-1)).toBe('2 passed, 0 failed');
    expect(r.status).toBe(0);
  });

  it('the unsigned cards pass too when they are the ones named', async () => {
    const r = await lab('--vector', 'card-unsigned-4-byte-uid', '--vector', 'verify-card-unsigned-4-byte-uid', '--vector', 'verify-card-unsigned-7-byte-uid');
    expect(r.out.trim().split('\n').at(-1)).toBe('2 passed, 0 failed');
    expect(r.status).toBe(0);
  });
});

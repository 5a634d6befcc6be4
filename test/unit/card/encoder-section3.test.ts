/**
 * The encoder against spec section 3: the spec's `card` examples encoded on a blank virtual card
 * end byte for byte equal to the example's 64 blocks (trailers and keys taken from the card's
 * memory); the write order of "Encoding order", checked on the recorded commands; refusal of cards
 * that are neither blank nor ours; a failed step reported and completed by a second run.
 */
import { describe, expect, it } from 'vitest';
import { VirtualMifareClassic1K } from '../../../src/testing/virtualCard.js';
import { encodeCard, EncodeError, assertTrailerSafe, ENCODE_STEPS, type EncodeProgress } from '../../../src/card/encoder.js';
import { cardExamples } from '../../helpers/cardExamples.js';

const examples = cardExamples();
const signedEx = examples.find((e) => e.id === 'card-signed-4-byte-uid')!;
const unsignedEx = examples.find((e) => e.id === 'card-unsigned-7-byte-uid')!;
const FF6 = new Uint8Array(6).fill(0xff);

describe('spec card examples on a blank virtual card', () => {
  for (const ex of examples) {
    it(`${ex.id}: memory equals the example's 64 blocks`, async () => {
      const card = new VirtualMifareClassic1K(ex.uid);
      const report = await encodeCard(card, ex.input);
      expect(card.exportBlocks()).toEqual(ex.blocks);
      expect(report.found).toBe('blank');
      expect(report.operations).toBe(card.counters.operations);
      expect(report.steps.map((s) => s.name)).toEqual(ENCODE_STEPS);
      expect(report.steps.reduce((n, s) => n + s.operations, 0)).toBe(report.operations);
    });

    it(`${ex.id}: a second run on the finished card changes nothing and finds it ours`, async () => {
      const card = new VirtualMifareClassic1K(ex.uid);
      await encodeCard(card, ex.input);
      const report = await encodeCard(card, ex.input);
      expect(report.found).toBe('ours');
      expect(card.exportBlocks()).toEqual(ex.blocks);
    });
  }
});

describe('write order (section 3, "Encoding order")', () => {
  // By hand from section 3: record blocks except 4 (5,6, 8,9,10, 12,13,14), signature blocks
  // (16,17,18, 20,21,22), block 4; trailers from the highest HMSK sector down (23,19,15,11,7 for
  // a signed card, 15,11,7 otherwise); MAD blocks 1, 2; sector 0's trailer, block 3.
  const cases = [
    { ex: signedEx, writes: [5, 6, 8, 9, 10, 12, 13, 14, 16, 17, 18, 20, 21, 22, 4, 23, 19, 15, 11, 7, 1, 2, 3], data: [5, 6, 8, 9, 10, 12, 13, 14, 16, 17, 18, 20, 21, 22, 4] },
    { ex: unsignedEx, writes: [5, 6, 8, 9, 10, 12, 13, 14, 4, 15, 11, 7, 1, 2, 3], data: [5, 6, 8, 9, 10, 12, 13, 14, 4] },
  ];
  for (const { ex, writes, data } of cases) {
    it(`${ex.id}: writes ${writes.join(',')}; reads back every data block between the commit and the first trailer`, async () => {
      const card = new VirtualMifareClassic1K(ex.uid, { log: true });
      await encodeCard(card, ex.input);
      const log = card.log;
      expect(log.filter((o) => o.op === 'write').map((o) => o.block)).toEqual(writes);
      expect(log.every((o) => o.block < 24)).toBe(true); // sectors 6-15 never touched
      const commit = log.findIndex((o) => o.op === 'write' && o.block === 4);
      const firstTrailer = log.findIndex((o) => o.op === 'write' && o.block % 4 === 3);
      const readsBetween = log.slice(commit + 1, firstTrailer).filter((o) => o.op === 'read').map((o) => o.block);
      expect([...readsBetween].sort((a, b) => a - b)).toEqual([...data].sort((a, b) => a - b));
      // After sector 0's trailer: every HMSK sector authenticated with key A, its blocks read back.
      const last = log.findIndex((o) => o.op === 'write' && o.block === 3);
      const tail = log.slice(last + 1);
      const sectors = ex === signedEx ? [0, 1, 2, 3, 4, 5] : [0, 1, 2, 3];
      expect(tail.filter((o) => o.op === 'auth').map((o) => [o.block >> 2, o.keyType])).toEqual(sectors.map((s) => [s, 'A']));
      expect(tail.every((o) => !o.error)).toBe(true);
      expect(new Set(tail.filter((o) => o.op === 'read').map((o) => o.block >> 2))).toEqual(new Set(sectors));
    });
  }

  it('an unsigned card leaves sectors 4-15 blank', async () => {
    const card = new VirtualMifareClassic1K(unsignedEx.uid);
    await encodeCard(card, unsignedEx.input);
    const blank = new VirtualMifareClassic1K(unsignedEx.uid).exportBlocks();
    expect(card.exportBlocks().slice(16)).toEqual(blank.slice(16));
  });

  it('reports progress through the seven steps in order', async () => {
    const seen: EncodeProgress[] = [];
    await encodeCard(new VirtualMifareClassic1K(unsignedEx.uid), unsignedEx.input, { onProgress: (p) => seen.push(p) });
    expect(seen.map((p) => p.step)).toEqual(['find-keys', 'write-record', 'verify-record', 'write-trailers', 'write-mad', 'write-sector-0-trailer', 'verify-keys']);
    expect(seen.every((p, i) => p.index === i && p.total === 7)).toBe(true);
  });
});

describe('refusing cards that are neither blank nor ours', () => {
  async function refused(card: VirtualMifareClassic1K, pattern: RegExp) {
    const before = card.exportBlocks();
    const e = await encodeCard(card, unsignedEx.input).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(EncodeError);
    expect((e as EncodeError).code).toBe('FOREIGN_CARD');
    expect((e as EncodeError).message).toMatch(pattern);
    expect(card.counters.writes).toBe(0);
    expect(card.exportBlocks()).toEqual(before);
  }

  it('a sector with other keys', async () => {
    const card = new VirtualMifareClassic1K(unsignedEx.uid);
    const b = card.exportBlocks();
    b[11] = '112233445566' + 'ff0780' + '69' + '665544332211'; // sector 2: someone else's keys
    card.importBlocks(b);
    await refused(card, /sector 2: neither the derived key B nor the transport key/);
  });

  it('an HMSK card made with another write master', async () => {
    const card = new VirtualMifareClassic1K(unsignedEx.uid);
    await encodeCard(card, { ...unsignedEx.input, writeMaster: new Uint8Array(16).fill(7) });
    card.counters.writes = 0;
    await refused(card, /sector 0: neither .*sector 1: neither/);
  });

  it('transport keys with the NFC Forum MAD (info 0x01, AIDs 0xE103) in sector 0', async () => {
    const card = new VirtualMifareClassic1K(unsignedEx.uid);
    const b = card.exportBlocks();
    // Spec section 2: "The NFC Forum MAD (info byte 0x01, fifteen AIDs 0xE103) has CRC 0x14";
    // AIDs low byte first: 03 E1.
    const mad = '14' + '01' + '03e1'.repeat(15);
    b[1] = mad.slice(0, 32);
    b[2] = mad.slice(32, 64);
    card.importBlocks(b);
    await refused(card, /MAD listing AIDs e103/);
  });

  it('transport keys with foreign data in block 4', async () => {
    const card = new VirtualMifareClassic1K(unsignedEx.uid);
    const b = card.exportBlocks();
    b[4] = 'deadbeef'.repeat(4);
    card.importBlocks(b);
    await refused(card, /block 4 .*foreign data/);
  });
});

describe('failures part-way', () => {
  it('a failed write is reported with its step, and a second run completes the card', async () => {
    const card = new VirtualMifareClassic1K(signedEx.uid, { log: true });
    card.failOperation(20, 'IO'); // somewhere in write-record (find-keys takes 15 on a blank signed card)
    const e = (await encodeCard(card, signedEx.input).catch((x: unknown) => x)) as EncodeError;
    expect(e).toBeInstanceOf(EncodeError);
    expect(e.code).toBe('STEP_FAILED');
    expect(e.step).toBe('write-record');
    await encodeCard(card, signedEx.input);
    expect(card.exportBlocks()).toEqual(signedEx.blocks);
  });

  it('a corrupted read-back is VERIFY_FAILED naming the block', async () => {
    // Find, on a first card, the operation that reads back the first block after the commit.
    const probe = new VirtualMifareClassic1K(unsignedEx.uid, { log: true });
    await encodeCard(probe, unsignedEx.input);
    const commit = probe.log.findIndex((o) => o.op === 'write' && o.block === 4);
    const firstReadBack = probe.log.findIndex((o, i) => i > commit && o.op === 'read');
    expect(probe.log[firstReadBack].block).toBe(5); // section 3 order: block 5 is the first record block written
    const card = new VirtualMifareClassic1K(unsignedEx.uid);
    card.corruptRead(firstReadBack + 1, 0, 0xff);
    const e = (await encodeCard(card, unsignedEx.input).catch((x: unknown) => x)) as EncodeError;
    expect(e.code).toBe('VERIFY_FAILED');
    expect(e.step).toBe('verify-record');
    expect(e.block).toBe(5);
  });

  it('never writes a trailer whose access bits fail the inverted-copy check', () => {
    const good = Uint8Array.from([...FF6, 0x78, 0x77, 0x88, 0x00, ...FF6]);
    expect(() => assertTrailerSafe(good, 7)).not.toThrow();
    for (const bad of [[0x78, 0x77, 0x89], [0xff, 0x07, 0x81], [0x00, 0x00, 0x00]]) {
      expect(() => assertTrailerSafe(Uint8Array.from([...FF6, ...bad, 0x00, ...FF6]), 7)).toThrow(/lock the sector/);
    }
  });
});

describe('re-encoding a signed card without a signature (revision 2026-12-03)', () => {
  const { signingKey: _s, keyId: _k, ...unsignedInput } = signedEx.input;

  it('ends equal to a fresh unsigned card', async () => {
    const fresh = new VirtualMifareClassic1K(signedEx.uid);
    await encodeCard(fresh, unsignedInput);
    const card = VirtualMifareClassic1K.fromBlocks(signedEx.blocks);
    const report = await encodeCard(card, unsignedInput);
    expect(report.cleared).toEqual([4, 5]);
    expect(card.exportBlocks()).toEqual(fresh.exportBlocks());
    // Sectors 4-5 are blank again: zeros and the transport trailer of section 3.
    const blank = new VirtualMifareClassic1K(signedEx.uid).exportBlocks();
    expect(card.exportBlocks().slice(16, 24)).toEqual(blank.slice(16, 24));
  });

  it('writes zeros to 16-18, 20-22 and the transport trailer to 23 then 19, after the record blocks and before block 4', async () => {
    // By hand from section 3: record blocks except 4; (no signature blocks); the clear; block 4;
    // trailers 3..1 (15, 11, 7); MAD 1, 2; sector 0's trailer.
    const card = VirtualMifareClassic1K.fromBlocks(signedEx.blocks, { log: true });
    await encodeCard(card, unsignedInput);
    const writes = card.log.filter((o) => o.op === 'write' && !o.error).map((o) => o.block);
    expect(writes).toEqual([5, 6, 8, 9, 10, 12, 13, 14, 16, 17, 18, 20, 21, 22, 23, 19, 4, 15, 11, 7, 1, 2, 3]);
  });

  it('an unsigned card re-encoded unsigned does not touch sectors 4-5 (its MAD says they are free)', async () => {
    const card = VirtualMifareClassic1K.fromBlocks(unsignedEx.blocks, { log: true });
    await encodeCard(card, unsignedEx.input);
    expect(card.log.some((o) => o.block >= 16)).toBe(false);
  });

  it('sectors 4-5 of an unsigned encode that belong to someone else are left alone, not refused', async () => {
    const card = new VirtualMifareClassic1K(unsignedEx.uid);
    const b = card.exportBlocks();
    b[16] = '42'.repeat(16);
    b[19] = '112233445566' + 'ff0780' + '69' + '665544332211';
    card.importBlocks(b);
    const report = await encodeCard(card, unsignedEx.input);
    expect(report.cleared).toEqual([]);
    expect(card.exportBlocks().slice(16, 20)).toEqual(b.slice(16, 20));
  });
});

/**
 * The virtual MIFARE Classic 1K against the NXP MF1S50yyX/V1 datasheet (rev. 3.2), section 8.7:
 * Table 7 (sector trailer) and Table 8 (data blocks), row by row, observed through the card's
 * block interface only. The expected rights are copied from the datasheet's tables below, not from
 * src/card/accessBits.ts; the access-bit bytes are built here from spec section 3's formula.
 */
import { describe, expect, it } from 'vitest';
import { VirtualMifareClassic1K } from '../../../src/testing/virtualCard.js';
import { CardError, type KeyType } from '../../../src/transport/card.js';

const KA = Uint8Array.from([0xa1, 0xa2, 0xa3, 0xa4, 0xa5, 0xa6]);
const KB = Uint8Array.from([0xb1, 0xb2, 0xb3, 0xb4, 0xb5, 0xb6]);
const FF6 = new Uint8Array(6).fill(0xff);
const key = (t: KeyType) => (t === 'A' ? KA : KB);

/** Spec section 3: byte6 = ~C2<<4 | ~C1, byte7 = C1<<4 | ~C3, byte8 = C3<<4 | C2 (Cn bit i = block i). */
function accessBytes(conds: Array<[number, number, number]>): number[] {
  let c1 = 0, c2 = 0, c3 = 0;
  conds.forEach(([a, b, c], i) => {
    c1 |= a << i;
    c2 |= b << i;
    c3 |= c << i;
  });
  return [((~c2 & 15) << 4) | (~c1 & 15), (c1 << 4) | (~c3 & 15), (c3 << 4) | c2];
}

const bits = (row: string): [number, number, number] => [Number(row[0]), Number(row[1]), Number(row[2])];

function trailer(keyA: Uint8Array, conds: Array<[number, number, number]>, gpb: number, keyB: Uint8Array): Uint8Array {
  return Uint8Array.from([...keyA, ...accessBytes(conds), gpb, ...keyB]);
}

/** A card whose sector 1 has block 4 under `dataRow` and its trailer under `trailerRow`. */
function cardWith(dataRow: string, trailerRow: string): VirtualMifareClassic1K {
  const card = new VirtualMifareClassic1K('04a1b2c3');
  const blocks = card.exportBlocks();
  blocks[4] = '11'.repeat(16);
  blocks[7] = Buffer.from(trailer(KA, [bits(dataRow), [0, 0, 0], [0, 0, 0], bits(trailerRow)], 0x42, KB)).toString('hex');
  card.importBlocks(blocks);
  return card;
}

async function attempt(f: () => Promise<unknown>): Promise<string> {
  try {
    await f();
    return 'ok';
  } catch (e) {
    return (e as CardError).code;
  }
}

// Table 8, "Access conditions for data blocks" (read, write columns), in the datasheet's words.
const TABLE_8: Array<[string, string, string]> = [
  ['000', 'key A|B', 'key A|B'],
  ['010', 'key A|B', 'never'],
  ['100', 'key A|B', 'key B'],
  ['110', 'key A|B', 'key B'],
  ['001', 'key A|B', 'never'],
  ['011', 'key B', 'key B'],
  ['101', 'key B', 'never'],
  ['111', 'never', 'never'],
];
const permits = (cell: string, t: KeyType) => cell === 'key A|B' || cell === `key ${t}`;

describe('MF1S50 Table 8: data block access conditions', () => {
  for (const [row, read, write] of TABLE_8) {
    for (const t of ['A', 'B'] as const) {
      it(`C1C2C3=${row}, key ${t}: read ${read}, write ${write}`, async () => {
        // Trailer 011 keeps key B unreadable, so key B can serve for authentication (Table 7 note).
        const card = cardWith(row, '011');
        await card.authenticate(4, t, key(t));
        const r = await attempt(() => card.readBlock(4));
        expect(r).toBe(permits(read, t) ? 'ok' : 'ACCESS_DENIED');
        await card.reactivate(); // a refusal leaves the chip silent
        await card.authenticate(4, t, key(t));
        const w = await attempt(() => card.writeBlock(4, new Uint8Array(16).fill(0x22)));
        expect(w).toBe(permits(write, t) ? 'ok' : 'ACCESS_DENIED');
        expect(card.peek(4)[0]).toBe(permits(write, t) ? 0x22 : 0x11);
      });
    }
  }

  it('note [1]: where key B is readable it cannot serve for authentication: every access after it is refused', async () => {
    for (const trailerRow of ['000', '001', '010']) {
      const card = cardWith('000', trailerRow);
      await card.authenticate(4, 'B', KB); // the authentication itself completes
      expect(await attempt(() => card.readBlock(4))).toBe('ACCESS_DENIED');
      await card.reactivate();
      await card.authenticate(4, 'B', KB);
      expect(await attempt(() => card.writeBlock(5, new Uint8Array(16)))).toBe('ACCESS_DENIED');
      await card.reactivate();
      await card.authenticate(4, 'A', KA);
      expect(await attempt(() => card.readBlock(4))).toBe('ok');
    }
  });
});

// Table 7, "Access conditions for the sector trailer":
// row, key A read/write, access bits read/write, key B read/write.
const TABLE_7: Array<[string, string, string, string, string, string, string]> = [
  ['000', 'never', 'key A', 'key A', 'never', 'key A', 'key A'],
  ['010', 'never', 'never', 'key A', 'never', 'key A', 'never'],
  ['100', 'never', 'key B', 'key A|B', 'never', 'never', 'key B'],
  ['110', 'never', 'never', 'key A|B', 'never', 'never', 'never'],
  ['001', 'never', 'key A', 'key A', 'key A', 'key A', 'key A'],
  ['011', 'never', 'key B', 'key A|B', 'key B', 'never', 'key B'],
  ['101', 'never', 'never', 'key A|B', 'key B', 'never', 'never'],
  ['111', 'never', 'never', 'key A|B', 'never', 'never', 'never'],
];

describe('MF1S50 Table 7: sector trailer access conditions', () => {
  for (const [row, , aWrite, bitsRead, bitsWrite, bRead, bWrite] of TABLE_7) {
    const bReadable = bRead !== 'never';
    for (const t of ['A', 'B'] as const) {
      it(`C1C2C3=${row}, key ${t}`, async () => {
        const card = cardWith('000', row);
        const stored = card.peek(7);
        await card.authenticate(7, t, key(t));
        const read = await card.readBlock(7).catch((e: CardError) => e.code);
        if (t === 'B' && bReadable) {
          expect(read).toBe('ACCESS_DENIED'); // note [1]
          return;
        }
        const got = read as Uint8Array;
        expect([...got.subarray(0, 6)]).toEqual([0, 0, 0, 0, 0, 0]); // key A: never readable
        expect([...got.subarray(6, 10)]).toEqual(permits(bitsRead, t) ? [...stored.subarray(6, 10)] : [0, 0, 0, 0]);
        expect([...got.subarray(10, 16)]).toEqual(permits(bRead, t) ? [...KB] : [0, 0, 0, 0, 0, 0]);

        // Write new keys and the same access bits with another GPB; each part changes only if allowed.
        const newA = new Uint8Array(6).fill(0x5a);
        const newB = new Uint8Array(6).fill(0x5b);
        const next = Uint8Array.from([...newA, ...stored.subarray(6, 9), 0x77, ...newB]);
        await card.authenticate(7, t, key(t));
        const anyWritable = [aWrite, bitsWrite, bWrite].some((c) => permits(c, t));
        expect(await attempt(() => card.writeBlock(7, next))).toBe(anyWritable ? 'ok' : 'ACCESS_DENIED');
        const after = card.peek(7);
        expect([...after.subarray(0, 6)]).toEqual(permits(aWrite, t) ? [...newA] : [...KA]);
        expect(after[9]).toBe(permits(bitsWrite, t) ? 0x77 : 0x42);
        expect([...after.subarray(10, 16)]).toEqual(permits(bWrite, t) ? [...newB] : [...KB]);
      });
    }
  }
});

describe('MF1S50 memory behaviour', () => {
  it('a blank card has spec section 3 block 0 and transport trailers (spec card examples, blocks 0 and 7)', () => {
    expect(new VirtualMifareClassic1K('04a1b2c3').exportBlocks()[0]).toBe('04a1b2c3d40804006263646566676869');
    const seven = new VirtualMifareClassic1K('04112233445566').exportBlocks();
    expect(seven[0]).toBe('04112233445566084400626364656667');
    expect(seven[7]).toBe('ffffffffffffff078069ffffffffffff');
    expect(seven[4]).toBe('00'.repeat(16));
  });

  it('the transport key B is readable (trailer 001), so a blank card only serves key A', async () => {
    const card = new VirtualMifareClassic1K();
    await card.authenticate(4, 'B', FF6);
    expect(await attempt(() => card.readBlock(4))).toBe('ACCESS_DENIED');
    await card.reactivate();
    await card.authenticate(4, 'A', FF6);
    expect([...(await card.readBlock(7))]).toEqual([0, 0, 0, 0, 0, 0, 0xff, 0x07, 0x80, 0x69, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff]);
  });

  it('lenient mode: a failed authentication only drops the authenticated state', async () => {
    const card = new VirtualMifareClassic1K('04a1b2c3', { afterFailure: 'lenient' });
    await card.authenticate(4, 'A', FF6);
    expect(await attempt(() => card.authenticate(4, 'A', KA))).toBe('AUTH_FAILED');
    expect(await attempt(() => card.readBlock(4))).toBe('NOT_AUTHENTICATED');
    await card.authenticate(4, 'A', FF6); // no re-activation needed
    expect(card.silent).toBe(false);
  });

  it('authentication opens one sector only', async () => {
    const card = new VirtualMifareClassic1K();
    await card.authenticate(4, 'A', FF6);
    expect(await attempt(() => card.readBlock(8))).toBe('NOT_AUTHENTICATED');
  });

  it('block 0 is read-only even where the access conditions allow writing', async () => {
    const card = new VirtualMifareClassic1K();
    await card.authenticate(0, 'A', FF6);
    expect(await attempt(() => card.writeBlock(0, new Uint8Array(16)))).toBe('ACCESS_DENIED');
    await card.reactivate();
    await card.authenticate(1, 'A', FF6);
    await card.writeBlock(1, new Uint8Array(16).fill(1));
    expect(card.peek(0)[0]).toBe(0x04);
  });

  it('a trailer written with access bits failing the inverted-copy check blocks the sector for ever', async () => {
    const card = new VirtualMifareClassic1K();
    await card.authenticate(4, 'A', FF6);
    // FF 07 80 is valid; FF 07 81 breaks C3's inverted copy.
    await card.writeBlock(7, Uint8Array.from([...FF6, 0xff, 0x07, 0x81, 0x69, ...FF6]));
    expect(card.isSectorBlocked(1)).toBe(true);
    for (const t of ['A', 'B'] as const) {
      expect(await attempt(() => card.authenticate(4, t, FF6))).toBe('AUTH_FAILED');
      await card.reactivate();
    }
    card.remove();
    card.reinsert();
    expect(await attempt(() => card.authenticate(4, 'A', FF6))).toBe('AUTH_FAILED');
    await card.reactivate();
    await card.authenticate(8, 'A', FF6); // other sectors are unaffected
  });
});

describe('fault injection and counters', () => {
  it('pullAfter(N): N operations complete, then CARD_REMOVED until reinserted', async () => {
    const card = new VirtualMifareClassic1K();
    card.pullAfter(2);
    await card.authenticate(4, 'A', FF6);
    await card.writeBlock(4, new Uint8Array(16).fill(9));
    expect(card.present).toBe(false);
    expect(await attempt(() => card.readBlock(4))).toBe('CARD_REMOVED');
    expect(card.counters).toEqual({ operations: 2, auths: 1, reads: 0, writes: 1, refused: 0, silent: 0, reactivations: 0 });
    card.reinsert();
    expect(await attempt(() => card.readBlock(4))).toBe('NOT_AUTHENTICATED');
  });

  it('failOperation(n) fails exactly that operation without effect', async () => {
    const card = new VirtualMifareClassic1K();
    card.failOperation(2, 'IO');
    await card.authenticate(4, 'A', FF6);
    expect(await attempt(() => card.writeBlock(4, new Uint8Array(16).fill(9)))).toBe('IO');
    expect(card.peek(4)[0]).toBe(0);
    await card.reactivate();
    await card.authenticate(4, 'A', FF6);
    await card.writeBlock(4, new Uint8Array(16).fill(9));
    expect(card.peek(4)[0]).toBe(9);
  });

  it('corruptRead flips a byte of the returned data, not of the memory', async () => {
    const card = new VirtualMifareClassic1K();
    card.corruptRead(2, 3, 0x80);
    await card.authenticate(4, 'A', FF6);
    expect((await card.readBlock(4))[3]).toBe(0x80);
    expect((await card.readBlock(4))[3]).toBe(0);
  });

  it('memory exports and imports as 64 hex blocks', () => {
    const a = new VirtualMifareClassic1K('04112233445566');
    const blocks = a.exportBlocks();
    blocks[5] = 'ab'.repeat(16);
    const b = VirtualMifareClassic1K.fromBlocks(blocks);
    expect(Buffer.from(b.uid).toString('hex')).toBe('04112233445566');
    expect(b.exportBlocks()).toEqual(blocks);
  });
});

describe('virtual reader', () => {
  it('emits card and removed, also when the card is pulled by fault injection', async () => {
    const { VirtualCardReader } = await import('../../../src/testing/virtualReader.js');
    const reader = new VirtualCardReader();
    const events: string[] = [];
    reader.on('card', (c) => events.push(`card ${Buffer.from(c.uid).toString('hex')}`));
    reader.on('removed', (uid) => events.push(`removed ${Buffer.from(uid).toString('hex')}`));
    const waiting = reader.waitForCard();
    const card = new VirtualMifareClassic1K('04a1b2c3');
    reader.present(card);
    expect(await waiting).toBe(card);
    card.pullAfter(1);
    await card.authenticate(4, 'A', FF6);
    expect(reader.card).toBeUndefined();
    reader.present(card);
    reader.remove();
    expect(events).toEqual(['card 04a1b2c3', 'removed 04a1b2c3', 'card 04a1b2c3', 'removed 04a1b2c3']);
    await expect(reader.waitForCard({ timeoutMs: 5 })).rejects.toMatchObject({ code: 'TIMEOUT' });
    await reader.close();
  });
});

describe('silent after a failure (default afterFailure: stay-silent)', () => {
  const refusals: Array<[string, (c: VirtualMifareClassic1K) => Promise<unknown>]> = [
    ['a failed authentication', (c) => c.authenticate(4, 'A', KA)],
    ['a read without authentication', (c) => c.readBlock(4)],
    ['a read of another sector', async (c) => (await c.authenticate(4, 'A', FF6), c.readBlock(8))],
    ['a write the access conditions forbid (block 0)', async (c) => (await c.authenticate(0, 'A', FF6), c.writeBlock(0, new Uint8Array(16)))],
    ['an access after key B where key B is readable', async (c) => (await c.authenticate(4, 'B', FF6), c.readBlock(4))],
  ];
  for (const [what, fail] of refusals) {
    it(`after ${what} every command fails with CARD_SILENT, without effect, until re-activated`, async () => {
      const card = new VirtualMifareClassic1K();
      await expect(fail(card)).rejects.toBeInstanceOf(CardError);
      expect(card.silent).toBe(true);
      const before = card.exportBlocks();
      const refused = card.counters.refused;
      expect(await attempt(() => card.authenticate(4, 'A', FF6))).toBe('CARD_SILENT');
      expect(await attempt(() => card.readBlock(4))).toBe('CARD_SILENT');
      expect(await attempt(() => card.writeBlock(5, new Uint8Array(16).fill(7)))).toBe('CARD_SILENT');
      expect(card.exportBlocks()).toEqual(before);
      expect(card.counters.silent).toBe(3);
      expect(card.counters.refused).toBe(refused + 3);
      await card.reactivate();
      expect(card.silent).toBe(false);
      await card.authenticate(4, 'A', FF6);
      await card.writeBlock(5, new Uint8Array(16).fill(7));
      expect(card.peek(5)[0]).toBe(7);
    });
  }

  it('a re-insert (power reset) also ends the silence; a removed card cannot be re-activated', async () => {
    const card = new VirtualMifareClassic1K();
    expect(await attempt(() => card.authenticate(4, 'A', KA))).toBe('AUTH_FAILED');
    card.remove();
    expect(await attempt(() => card.reactivate())).toBe('CARD_REMOVED');
    card.reinsert();
    await card.authenticate(4, 'A', FF6);
    expect(card.counters.reactivations).toBe(1);
  });

  it('the silent CardError says so (CardError.silent), never "wrong key"', async () => {
    const card = new VirtualMifareClassic1K();
    await card.authenticate(4, 'A', KA).catch(() => undefined);
    const e = (await card.authenticate(4, 'A', FF6).catch((x: unknown) => x)) as CardError;
    expect(e.silent).toBe(true);
    expect(e.authFailed).toBe(false);
  });

  it('an unknown afterFailure mode is refused', () => {
    expect(() => new VirtualMifareClassic1K('04a1b2c3', { afterFailure: 'sometimes' as never })).toThrow(/INVALID_ARGUMENT: VirtualMifareClassic1K: opts.afterFailure/);
  });
});

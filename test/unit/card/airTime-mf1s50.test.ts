/**
 * src/card/airTime.ts against the documents it cites: the frame lengths printed in the NXP MF1S50yyX/V1
 * datasheet (rev. 3.0, Fig 15-17: 368, 359, 708 and 1548 us), a hand calculation of one READ, and
 * the command counts of the real holder read and gate decision on the virtual card (so the figure in
 * docs/gate.md follows the code if the read ever changes).
 */
import { describe, expect, it } from 'vitest';
import { AUTH_AIR_TIME, ETU_US, READ_AIR_TIME, commandsAirTime, pcdFrameUs, piccFrameUs } from '../../../src/card/airTime.js';
import { readHolderRecord } from '../../../src/gate/holderRead.js';
import { Gate } from '../../../src/gate/gate.js';
import { VirtualMifareClassic1K } from '../../../src/testing/virtualCard.js';
import { publicKeyOf } from '../../../src/card/signature.js';
import type { MifareClassicCard } from '../../../src/transport/card.js';
import { cardExamples } from '../../helpers/cardExamples.js';

/** Counts the card commands passing through. */
function counting(card: MifareClassicCard): { card: MifareClassicCard; auths: number; reads: number } {
  const c = { auths: 0, reads: 0, card: undefined as unknown as MifareClassicCard };
  c.card = new Proxy(card, {
    get(t, k, r) {
      const v = Reflect.get(t, k, r) as unknown;
      if (k === 'authenticate') return (...a: Parameters<MifareClassicCard['authenticate']>) => (c.auths++, t.authenticate(...a));
      if (k === 'readBlock') return (b: number) => (c.reads++, t.readBlock(b));
      return typeof v === 'function' ? (v as (...x: unknown[]) => unknown).bind(t) : v;
    },
  });
  return c;
}

describe('MIFARE Classic air time at 106 kbit/s (MF1S50yyX/V1 section 9.2, 12)', () => {
  it('one bit is 128/fc = 9.44 us (ISO/IEC 14443-2, fc = 13.56 MHz)', () => {
    expect(ETU_US).toBeCloseTo(9.4395, 4);
  });

  it('frame lengths match the datasheet figures, rounded to 1 us', () => {
    expect(Math.round(pcdFrameUs(4))).toBe(368); // Fig 15/17: Auth or Read + Addr + CRC
    expect(Math.round(piccFrameUs(4))).toBe(359); // Fig 15/16: Token RB, Token BA
    expect(Math.round(pcdFrameUs(8))).toBe(708); // Fig 16: Token AB
    expect(Math.round(piccFrameUs(18))).toBe(1548); // Fig 17: 16 data bytes + CRC_A
  });

  it('one READ by hand: (39 + 164) etu of frames + 1172/fc + 87 us = 2089.65 us', () => {
    // PCD: 1 + 4*9 + 2 = 39 bits; PICC: 1 + 18*9 + 1 = 164 bits; 203 * 128/fc = 25 984/13.56 us;
    // FDT n = 9, last bit 1: (9*128 + 20)/fc = 1172/13.56 us; then 87 us before the next command.
    expect(READ_AIR_TIME.minUs).toBeCloseTo((25_984 + 1172) / 13.56 + 87, 6);
    expect(READ_AIR_TIME.minUs).toBeCloseTo(2089.65, 2);
    expect(READ_AIR_TIME.minLastBit0Us - READ_AIR_TIME.minUs).toBeCloseTo(64 / 13.56, 6);
    expect(READ_AIR_TIME.maxUs).toBeCloseTo(25_984 / 13.56 + 87 + 5000, 6); // Table 23: 5 ms time-out
  });

  it('one authentication: two exchanges, 4+4 then 8+4 bytes', () => {
    // (39 + 38) + (75 + 38) = 190 etu, two FDTs of 1172/fc, two of 87 us.
    expect(AUTH_AIR_TIME.minUs).toBeCloseTo((190 * 128 + 2 * 1172) / 13.56 + 2 * 87, 6);
    expect(AUTH_AIR_TIME.maxUs).toBeCloseTo((190 * 128) / 13.56 + 2 * 87 + 2 * 1000, 6);
  });

  it("a reader frame ending in a 0 bit: each card answer waits (1236 - 1172)/fc = 4.72 us longer (ISO/IEC 14443-3 FDT, MF1S50 Fig 11)", () => {
    // 1236/fc after a last bit 0, 1172/fc after a 1: 64/fc more per exchange.
    expect(READ_AIR_TIME.minLastBit0Us - READ_AIR_TIME.minUs).toBeCloseTo(64 / 13.56, 6);
    expect(AUTH_AIR_TIME.minLastBit0Us - AUTH_AIR_TIME.minUs).toBeCloseTo((2 * 64) / 13.56, 6);
    // The holder read: 6 authentications (12 exchanges) and 24 reads.
    const t = commandsAirTime(6, 24);
    expect(t.minLastBit0Us - t.minUs).toBeCloseTo((36 * 64) / 13.56, 6);
  });

  it('the holder read is 6 authentications and 24 reads; the decision 1 and 1; the extra is about 63 ms', async () => {
    const ex = cardExamples().find((e) => e.id === 'card-signed-4-byte-uid')!;
    const holder = counting(VirtualMifareClassic1K.fromBlocks(ex.blocks));
    const r = await readHolderRecord(holder.card, ex.readMaster, ex.holder.cardNumber, { [String(ex.input.keyId)]: publicKeyOf(ex.input.signingKey!) });
    expect(r.holder?.name).toBe(`${ex.holder.givenName} ${ex.holder.familyName}`);
    expect([holder.auths, holder.reads, r.operations]).toEqual([6, 24, 30]);

    const gateCard = counting(VirtualMifareClassic1K.fromBlocks(ex.blocks));
    const d = await new Gate({ readMaster: ex.readMaster, clock: () => Date.parse('2026-06-15T10:00:00Z') }).tap(gateCard.card);
    expect(d.allow).toBe(true);
    expect([gateCard.auths, gateCard.reads]).toEqual([1, 1]);

    const extra = commandsAirTime(holder.auths, holder.reads);
    const decision = commandsAirTime(gateCard.auths, gateCard.reads);
    expect(extra.minUs / 1000).toBeCloseTo(62.99, 1);
    expect(decision.minUs / 1000).toBeCloseTo(4.23, 1);
    expect(extra.minUs / decision.minUs).toBeGreaterThan(14);
  });
});

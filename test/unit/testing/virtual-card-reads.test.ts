/**
 * What issue 14 item 4 changed in the virtual MF1S50 must not change what a caller sees: a read's
 * bytes are the caller's to keep (MifareClassicCard.readBlock; cardDump keeps 64 of them), though
 * they are now cut from a slab (src/testing/blockSlab.ts); authenticate is no longer an async
 * function, yet a refusal is still a rejected promise, never a synchronous throw.
 * Expected values: the bytes written before each read (a counter), not the card's own output.
 */
import { describe, expect, it } from 'vitest';
import { VirtualMifareClassic1K } from '../../../src/testing/virtualCard.js';
import { CardError } from '../../../src/transport/card.js';

const TRANSPORT_KEY = new Uint8Array(6).fill(0xff); // a blank card's key A (spec section 3)

describe('virtual card reads and authentication after the allocation work', () => {
  it('every read keeps its own bytes: 600 reads (more than two slabs) interleaved with writes', async () => {
    const card = new VirtualMifareClassic1K();
    await card.authenticate(4, 'A', TRANSPORT_KEY);
    const kept: Uint8Array[] = [];
    for (let i = 0; i < 600; i++) {
      await card.writeBlock(5, new Uint8Array(16).fill(i & 0xff));
      const block = await card.readBlock(5);
      block[15] ^= 0; // a caller may also write into what it got
      kept.push(block);
    }
    kept.forEach((b, i) => expect([...b]).toEqual(new Array(16).fill(i & 0xff)));
    // Writing into a kept block changes neither the card nor another kept block.
    kept[0].fill(0xaa);
    expect([...kept[1]]).toEqual(new Array(16).fill(1));
    expect([...(await card.readBlock(5))]).toEqual(new Array(16).fill(599 & 0xff));
  });

  it('a refused authentication rejects (no synchronous throw), then the chip is silent', async () => {
    const card = new VirtualMifareClassic1K();
    let p: Promise<void> | undefined;
    expect(() => (p = card.authenticate(4, 'A', new Uint8Array(6)))).not.toThrow();
    await expect(p).rejects.toMatchObject({ code: 'AUTH_FAILED' });
    await expect(card.authenticate(4, 'A', TRANSPORT_KEY)).rejects.toBeInstanceOf(CardError);
    await card.reactivate();
    await expect(card.authenticate(4, 'A', TRANSPORT_KEY)).resolves.toBeUndefined();
    expect(() => card.authenticate(99, 'A', TRANSPORT_KEY).catch(() => {})).not.toThrow();
  });
});

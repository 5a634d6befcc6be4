/**
 * A removed card leaves no connection to vpcd behind. vpcd takes any connection for the card and
 * waits for its answer to get-ATR without a time-out (vsmartcard vpcd.c: recvall with
 * MSG_WAITALL), holding pcscd's reader lock meanwhile: a connection left open without a card
 * stalls every PC/SC client of the reader. Against the stand-in vpcd (test/helpers/fakeVpcd.ts).
 */
import type { Socket } from 'node:net';
import { describe, expect, it } from 'vitest';
import { VpcdSlot, vpcdCardFromVirtual } from '../../../../src/drivers/vpcd/client.js';
import { VirtualMifareClassic1K } from '../../../../src/testing/virtualCard.js';
import { closeFake, fakeVpcd } from '../../../helpers/fakeVpcd.js';

/** Resolves true when vpcd's side of `s` sees the card's side close, false after `ms`. */
function closedWithin(s: Socket, ms: number): Promise<boolean> {
  return new Promise((resolve) => {
    const t = setTimeout(() => resolve(false), ms);
    s.once('close', () => (clearTimeout(t), resolve(true)));
    s.resume();
  });
}

describe('VpcdSlot.remove', () => {
  it('closes a connection that was still being made when the card was removed', async () => {
    const vpcd = await fakeVpcd();
    const slot = new VpcdSlot({ port: vpcd.port });
    try {
      // remove() before the connection is made: it finds no socket to close.
      const presenting = slot.present(vpcdCardFromVirtual(new VirtualMifareClassic1K('04a1b2c3')));
      await slot.remove();
      await presenting;
      expect(await closedWithin(await vpcd.client, 2000)).toBe(true);
      expect(slot.connected).toBe(false);
    } finally {
      await slot.remove();
      await closeFake(vpcd);
    }
  });
});

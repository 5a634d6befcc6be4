/**
 * VpcdSlot (src/drivers/vpcd/client.ts) on a real TCP socket, against a stand-in for vpcd that
 * speaks vpcd's wire protocol (vsmartcard vpcd.c: 2-byte length + payload; control bytes 00 off,
 * 01 on, 02 reset, 04 get-ATR). Checked: power messages re-activate the silent chip and clear the
 * volatile keys; the slot says 'accepted' only when vpcd speaks and 'busy' when it never does
 * (vpcd.c `vicc_present` accepts one client and asks it for the ATR at once: a second client sits
 * in the listen backlog, connected but never spoken to).
 */
import { afterEach, expect, it } from 'vitest';
import { VpcdSlot, vpcdCardFromVirtual } from '../../../../src/drivers/vpcd/client.js';
import { VirtualMifareClassic1K } from '../../../../src/testing/virtualCard.js';
import { asker, closeFake, fakeVpcd } from '../../../helpers/fakeVpcd.js';

/** Run last-in first-out: the slot is removed before the stand-in closes. */
const cleanup: Array<() => Promise<void>> = [];
afterEach(async () => {
  while (cleanup.length) await cleanup.pop()!();
});

it('vpcd power off/on/reset re-activate the silent chip and clear the volatile keys (OMNIKEY words)', async () => {
  const vpcd = await fakeVpcd();
  const slot = new VpcdSlot({ host: '127.0.0.1', port: vpcd.port, profile: 'omnikey' });
  cleanup.push(() => closeFake(vpcd), () => slot.remove());
  const accepted = new Promise<void>((r) => slot.once('accepted', () => r()));
  await slot.present(vpcdCardFromVirtual(new VirtualMifareClassic1K('04a1b2c3')));
  const v = asker(await vpcd.client);
  expect(await v.ask('04')).toBe('3b8f8001804f0ca000000306030001000000006a'); // get-ATR
  await accepted;
  for (const ctrl of ['02', '00', '01']) {
    expect(await v.ask('ff82000006a0a1a2a3a4a5')).toBe('9000');
    expect(await v.ask('ff860000050100046000')).toBe('6982'); // wrong key
    expect(await v.ask('ff82000006ffffffffffff')).toBe('9000');
    expect(await v.ask('ff860000050100046000')).toBe('6400'); // silent chip: time-out
    v.tell(ctrl); // reset / off (then on below) : control bytes get no answer (vpcd.c)
    if (ctrl === '00') v.tell('01');
    expect(await v.ask('ff860000050100046000'), `after control ${ctrl}: volatile key gone`).toBe('6984');
    expect(await v.ask('ff82000006ffffffffffff')).toBe('9000');
    expect(await v.ask('ff860000050100046000'), `after control ${ctrl}: the chip answers`).toBe('9000');
  }
});

it("says 'busy', not presented, when vpcd never speaks (its one slot is taken)", async () => {
  const vpcd = await fakeVpcd();
  const slot = new VpcdSlot({ host: '127.0.0.1', port: vpcd.port, acceptTimeoutMs: 300 });
  cleanup.push(() => closeFake(vpcd), () => slot.remove());
  const events: string[] = [];
  slot.on('connected', () => events.push('connected'));
  slot.on('accepted', () => events.push('accepted'));
  const busy = new Promise<number>((r) => slot.once('busy', (ms: number) => (events.push('busy'), r(ms))));
  await slot.present(vpcdCardFromVirtual(new VirtualMifareClassic1K('04a1b2c3')));
  expect(await busy).toBe(300);
  expect(slot.isAccepted).toBe(false);
  // vpcd frees the slot and asks for the ATR: now the card is in.
  const v = asker(await vpcd.client);
  expect((await v.ask('04')).slice(0, 4)).toBe('3b8f');
  expect(events).toEqual(['connected', 'busy', 'accepted']);
  expect(slot.isAccepted).toBe(true);
});

/**
 * The emulated reader firmware, family by family (src/drivers/vpcd/profiles.ts). Every expected
 * status word is written out here from the manual named beside it, not read from the tables:
 *   ACS      ACR122U API v2.04 5.1-5.4, ACR1252U RM 5.2.4: 90 00 or 63 00, nothing else.
 *   Identiv  SCL3711 RM 6.2.3.4 (Load Keys 69 83/85/87/88/89), SCL010/01X RM 6.2.4.4 (Authenticate
 *            63 00, 69 82, 69 84, 69 86), SCM3712 RM 8.2.2.4 (Write 69 82, 64 00).
 *   OMNIKEY  OMNIKEY Contactless Developer Guide 5321-903 B.4 + PC/SC Part 3 v2.02 3.2.2.1:
 *            FF 82 20 nn non-volatile, 64 00 time-out, 65 81, 69 82/84/86/88/89, 6A 82.
 * A MIFARE Classic is silent after a failed authentication or refused command until re-activated
 * (NXP AN1304); the firmware then answers the family's "no answer from the card" word.
 */
import { describe, expect, it } from 'vitest';
import { answerApdu, clearVolatileKeys, newReaderKeys } from '../../../../src/drivers/vpcd/apdu.js';
import { firmwareProfile, type EmulatedFamily } from '../../../../src/drivers/vpcd/profiles.js';
import { VpcdSlot, vpcdCardFromVirtual } from '../../../../src/drivers/vpcd/client.js';
import { VirtualMifareClassic1K } from '../../../../src/testing/virtualCard.js';
import { fromHex as hex, toHex } from '../../../helpers/hex.js';


const FF = 'ffffffffffff';
const WRONG = 'a0a1a2a3a4a5';

function reader(family: EmulatedFamily, opts: { reselectsAfterFailure?: boolean } = {}) {
  const virtual = new VirtualMifareClassic1K('04a1b2c3');
  const card = vpcdCardFromVirtual(virtual);
  const keys = newReaderKeys();
  const profile = firmwareProfile(family, opts);
  const run = async (apdu: string) => toHex(await answerApdu(card, keys, hex(apdu), profile));
  const powerCycle = () => {
    card.powerReset();
    clearVolatileKeys(keys);
  };
  return { virtual, run, powerCycle };
}

/** Each family's rows: [APDU, expected response, source]. Run in order on one fresh card. */
const ROWS: Record<EmulatedFamily, Array<[string, string, string]>> = {
  acs: [
    [`ff82000006${FF}`, '9000', 'ACR122U 5.1: volatile key number 00'],
    [`ff82000106${WRONG}`, '9000', 'ACR122U 5.1: volatile key number 01'],
    [`ff82000206${FF}`, '6300', 'ACR122U 5.1: key number 00-01 only'],
    [`ff82200006${FF}`, '6300', 'ACR122U 5.1: key structure other than 00 is reserved'],
    [`ff82006006${FF}`, '6300', 'ACR122U 5.1: 60 is no key number'],
    ['ff860000050100046000', '9000', 'ACR122U 5.2: General Authenticate, key A, number 00'],
    ['ff8800046000', '9000', 'ACR122U 5.2: the obsolete FF 88 form'],
    ['ffb0000410', '00000000000000000000000000000000' + '9000', 'ACR122U 5.3: Read Binary'],
    ['ffb0000810', '6300', 'ACR122U 5.3: 63 00 for any failure (sector 2 not authenticated)'],
  ],
  identiv: [
    [`ff82000006${FF}`, '6988', 'SCL3711 6.2.3.4: P2 00 is no key type: key number not valid'],
    [`ff82200006${FF}`, '6987', 'SCL3711 6.2.3.4: non-volatile memory not available'],
    [`ff820060050102030405`, '6989', 'SCL3711 6.2.3.4: key length not correct'],
    ['ff860000050100046001', '6984', 'SCL01X 6.2.4.4: no key loaded for key A: referenced key not usable'],
    [`ff82006006${FF}`, '9000', 'SCL3711 6.2.3.2 / uTrust 3720 F 6.2.3: P2 60 = key A'],
    ['ff860000050100046201', '6986', 'SCL01X 6.2.4.4: key type 62 not known'],
    ['ff860000050100046001', '9000', 'uTrust 3720 F 6.2.4: key A, B4 01'],
    ['ff8800046000', '6a81', 'SCL01X 6.2.4: FF 88 is not documented: function not supported'],
    ['ffb0000410', '00000000000000000000000000000000' + '9000', 'Read Binary'],
    ['ffb0000810', '6982', 'SCM3712 8.2.2.4: security status not satisfied'],
  ],
  omnikey: [
    [`ff82200506${FF}`, '9000', 'OMNIKEY 8.1-8.2 / PC/SC 3.2.2.1.4: non-volatile key 05'],
    [`ff82202006${FF}`, '6988', 'non-volatile key numbers 00-1F: key number not valid'],
    [`ff82006006${FF}`, '6988', 'volatile numbers 00-01 only'],
    [`ff822005050102030405`, '6989', 'PC/SC 3.2.2.1.4: key length not correct'],
    ['ff860000050100046007', '6984', 'PC/SC 3.2.2.1.6: no key 07: reference key not usable'],
    ['ff860000050100046005', '9000', 'authenticate with non-volatile key 05'],
    ['ffb0000410', '00000000000000000000000000000000' + '9000', 'Read Binary'],
    ['ffb0004010', '6a82', 'PC/SC 3.2.2.1.8: block 64 does not exist'],
  ],
};

describe.each(['acs', 'identiv', 'omnikey'] as const)('%s firmware', (family) => {
  it('answers each documented command with the documented word', async () => {
    const r = reader(family);
    for (const [apdu, want, source] of ROWS[family]) expect(await r.run(apdu), `${apdu}: ${source}`).toBe(want);
  });
});

/** [family, load-key APDU for the transport key, load-key APDU for a wrong key, key number]. */
const LOAD: Record<EmulatedFamily, { right: string; wrong: string; num: string }> = {
  acs: { right: `ff82000006${FF}`, wrong: `ff82000006${WRONG}`, num: '00' },
  identiv: { right: `ff82006006${FF}`, wrong: `ff82006006${WRONG}`, num: '01' },
  omnikey: { right: `ff82000006${FF}`, wrong: `ff82000006${WRONG}`, num: '00' },
};
/** [wrong key, silent auth, silent read]: ACR122U 5.2/5.3; SCL01X 6.2.4.4 + SCM3712 8.2.2.4; PC/SC + OMNIKEY 64 00. */
const SILENT: Record<EmulatedFamily, [string, string, string]> = {
  acs: ['6300', '6300', '6300'],
  identiv: ['6982', '6300', '6400'],
  omnikey: ['6982', '6400', '6400'],
};

describe.each(['acs', 'identiv', 'omnikey'] as const)('%s firmware with a chip silent after a failure', (family) => {
  const auth = (num: string) => `ff8600000501000460${num}`;

  it('answers the family word for a wrong key, then its "no answer" word until a power cycle', async () => {
    const r = reader(family);
    const { right, wrong, num } = LOAD[family];
    expect(await r.run(wrong)).toBe('9000');
    expect(await r.run(auth(num))).toBe(SILENT[family][0]);
    expect(await r.run(right)).toBe('9000');
    expect(await r.run(auth(num)), 'right key on the silent chip').toBe(SILENT[family][1]);
    expect(await r.run('ffb0000410'), 'read on the silent chip').toBe(SILENT[family][2]);
    r.powerCycle();
    // The power cycle cleared the volatile key memory: load again, then it works.
    expect(await r.run(auth(num))).not.toBe('9000');
    r.powerCycle();
    expect(await r.run(right)).toBe('9000');
    expect(await r.run(auth(num))).toBe('9000');
  });

  it('a profile that reselects by itself recovers without a power cycle (the lenient option)', async () => {
    const r = reader(family, { reselectsAfterFailure: true });
    const { right, wrong, num } = LOAD[family];
    await r.run(wrong);
    expect(await r.run(auth(num))).toBe(SILENT[family][0]);
    await r.run(right);
    expect(await r.run(auth(num))).toBe('9000');
  });
});

it('OMNIKEY keeps a non-volatile key over a power cycle; volatile keys are gone on every family', async () => {
  const o = reader('omnikey');
  await o.run(`ff82200106${FF}`);
  await o.run(`ff82000006${FF}`);
  o.powerCycle();
  expect(await o.run('ff860000050100046001')).toBe('9000');
  o.powerCycle();
  expect(await o.run('ff860000050100046000')).toBe('6984');
  const a = reader('acs');
  await a.run(`ff82000006${FF}`);
  a.powerCycle();
  expect(await a.run('ff860000050100046000')).toBe('6300');
});

it('an unknown family is a typed error with a code, from the table lookup and from VpcdSlot', () => {
  for (const bad of ['generic', 'ACS', 'toString', '__proto__', undefined as unknown as string]) {
    expect(() => firmwareProfile(bad), String(bad)).toThrow(expect.objectContaining({ code: 'UNKNOWN_READER_PROFILE' }));
  }
  expect(() => new VpcdSlot({ profile: 'pn533' as never })).toThrow(expect.objectContaining({ name: 'ReaderProfileError' }));
});

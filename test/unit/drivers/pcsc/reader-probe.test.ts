/**
 * `reader probe` (src/drivers/pcsc/probe.ts) against every emulated reader family in memory
 * (src/testing/emulatedReader.ts): it must name each one, report what the manuals say the family
 * answers, and never write to the card (no Update Binary FF D6, nothing but FF CA / FF 82 / FF 86).
 */
import { describe, expect, it } from 'vitest';
import { parseProfileFile } from '../../../../src/drivers/pcsc/profiles/file.js';
import { familyFromName, formatProbe, probeReader, profileFile, uidKind } from '../../../../src/drivers/pcsc/probe.js';
import { EmulatedReader } from '../../../../src/testing/emulatedReader.js';
import { VirtualMifareClassic1K } from '../../../../src/testing/virtualCard.js';
import { fromHex as hex } from '../../../helpers/hex.js';


/** Expected from the manuals (see test/unit/drivers/vpcd/vpcd-firmware-profiles.test.ts for the sections). */
const EXPECT = {
  // Load Keys forms: volatile 00, volatile 01, volatile 20, key type 60.
  acs: { forms: [true, true, false, false], wrong: '6300', silent: '6300' },
  identiv: { forms: [false, false, false, true], wrong: '6982', silent: '6300' },
  omnikey: { forms: [true, true, false, false], wrong: '6982', silent: '6400' },
} as const;

describe.each(['acs', 'identiv', 'omnikey'] as const)('probe of the emulated %s reader', (family) => {
  it('names the family from its behaviour alone (vpcd reader name) and never writes', async () => {
    const card = new VirtualMifareClassic1K('04a1b2c3', { log: true });
    const target = new EmulatedReader(family, card);
    const before = card.exportBlocks();
    const r = await probeReader(target);
    expect(r.family).toBe(family);
    expect(r.familyByName).toBe('generic');
    expect(r.familyByBehaviour).toBe(family);
    expect(r.loadKeys.map((l) => l.accepted)).toEqual(EXPECT[family].forms);
    expect(r.wrongKeySw).toBe(EXPECT[family].wrong);
    expect(r.rightKeyAfterWrongSw).toBe(EXPECT[family].silent);
    expect(r.worksWithoutReset).toBe(false);
    expect(r.resetRecovers).toBe(true);
    expect(r.keysSurviveReset).toBe(false); // the emulated reset clears volatile keys
    expect(r.uid).toBe('04a1b2c3');
    expect(r.uidKind).toBe('single-4');
    // Never a write: not in the APDUs sent, not on the card, memory unchanged.
    expect(target.sent.length).toBeGreaterThan(5);
    for (const apdu of target.sent) expect([0xca, 0x82, 0x86], Buffer.from(apdu).toString('hex')).toContain(apdu[1]);
    expect(target.sent.some((a) => a[1] === 0xd6)).toBe(false);
    expect(card.counters.writes).toBe(0);
    expect(card.exportBlocks()).toEqual(before);
  });

  it('sees a reader that reselects by itself, and still names it', async () => {
    const target = new EmulatedReader(family, new VirtualMifareClassic1K('04a1b2c3'), { reselectsAfterFailure: true });
    const r = await probeReader(target);
    expect(r.worksWithoutReset).toBe(true);
    expect(r.reselectsByItself).toBe(true);
    expect(r.family).toBe(family);
  });

  it('writes the shared profile file format', async () => {
    const r = await probeReader(new EmulatedReader(family, new VirtualMifareClassic1K('04a1b2c3'), { readerName: 'Some Reader 00 00' }));
    const file = JSON.parse(JSON.stringify(profileFile(r)));
    expect(file).toMatchObject({ format: 'hmskort-reader-profile', version: 1, family, reader: 'Some Reader 00 00', atr: '3b8f8001804f0ca000000306030001000000006a' });
    expect(file.observed.wrongKeySw).toBe(EXPECT[family].wrong);
    // The PC/SC driver (written separately) reads what the probe writes.
    expect(parseProfileFile(JSON.stringify(file), 'probe.json')).toMatchObject({ family, reader: 'Some Reader 00 00' });
    expect(formatProbe(r)).toContain(`profile:           ${family}`);
  });
});

it('refuses a card the transport key does not open, with a code and the SW', async () => {
  const card = new VirtualMifareClassic1K('04a1b2c3');
  const blocks = card.exportBlocks();
  blocks[7] = 'a0a1a2a3a4a5ff078069b0b1b2b3b4b5'; // sector 1 keyed: not a blank
  const target = new EmulatedReader('acs', VirtualMifareClassic1K.fromBlocks(blocks));
  await expect(probeReader(target)).rejects.toMatchObject({ code: 'AUTH_FAILED', sw: 0x6300 });
  expect(target.sent.some((a) => a[1] === 0xd6)).toBe(false);
});

it('sees a random-ID card: UID kind, and a new UID after the reset', async () => {
  const card = new VirtualMifareClassic1K('08000000', { uidKind: 'random-id' });
  const r = await probeReader(new EmulatedReader('acs', card));
  expect(r.uidKind).toBe('random-id');
  expect(r.uid).toMatch(/^08/);
  expect(r.uidAfterReset).toMatch(/^08/);
  expect(r.uidAfterReset).not.toBe(r.uid);
  expect(formatProbe(r)).toMatch(/refused for HMS cards/);
});

it('UID kinds after NXP AN10927 section 2', () => {
  expect(uidKind(hex('04a1b2c3'))).toBe('single-4');
  expect(uidKind(hex('08123456'))).toBe('random-id');
  expect(uidKind(hex('1f123456'))).toBe('nuid');
  expect(uidKind(hex('04112233445566'))).toBe('double-7');
  expect(uidKind(hex('04112233445566778899'))).toBe('triple-10');
  expect(() => uidKind(hex('0411'))).toThrow(/2 bytes/);
});

it('family from PC/SC reader names as pcsc-lite lists them', () => {
  expect(familyFromName('ACS ACR122U PICC Interface 00 00')).toBe('acs');
  expect(familyFromName('ACS ACR1252 1S CL Reader [ACR1252 1S CL Reader PICC] 00 00')).toBe('acs');
  expect(familyFromName('SCM Microsystems Inc. SCL011 Contactless Reader [Vendor Interface] 00 00')).toBe('identiv');
  expect(familyFromName('Identiv uTrust 3700 F CL Reader [uTrust 3700 F CL Reader] 00 00')).toBe('identiv');
  expect(familyFromName('HID Global OMNIKEY 5022 Smart Card Reader [OMNIKEY 5022 Smart Card Reader] 00 00')).toBe('omnikey');
  expect(familyFromName('Virtual PCD 00 00')).toBe('generic');
});

describe('hmskort reader probe (in-process)', async () => {
  const { main } = await import('../../../../src/cli/main.js');
  const { fakeContext } = await import('../../../helpers/cli.js');
  const { mkdtempSync, readFileSync } = await import('node:fs');
  const { tmpdir } = await import('node:os');
  const { join } = await import('node:path');

  it.each(['acs', 'identiv', 'omnikey'] as const)('--reader emulated:%s prints the report and the profile it would use', async (family) => {
    const ctx = fakeContext();
    expect(await main(['reader', 'probe', '--reader', `emulated:${family}`], ctx)).toBe(0);
    expect(ctx.out()).toContain(`profile:           ${family} (by behaviour: ${family}, by name: generic)`);
    expect(ctx.out()).toMatch(/UID: +04a1b2c3 \(single-4\)/);
  });

  it('--json prints the profile file, --out writes it', async () => {
    const out = join(mkdtempSync(join(tmpdir(), 'hmskort-probe-')), 'reader.json');
    const ctx = fakeContext();
    expect(await main(['reader', 'probe', '--reader', 'emulated:identiv', '--json', '--out', out], ctx)).toBe(0);
    expect(JSON.parse(ctx.out())).toMatchObject({ format: 'hmskort-reader-profile', version: 1, family: 'identiv' });
    expect(readFileSync(out, 'utf8')).toBe(ctx.out());
  });

  it('usage errors exit 2 with the reason', async () => {
    for (const args of [['reader'], ['reader', 'probe', '--reader', 'emulated:foo'], ['reader', 'probe', '--timeout=-5'], ['reader', 'probe', '--reader', 'serial:x']]) {
      const ctx = fakeContext();
      expect(await main(args, ctx), args.join(' ')).toBe(2);
      expect(ctx.err()).toMatch(/usage:/);
    }
  });
});

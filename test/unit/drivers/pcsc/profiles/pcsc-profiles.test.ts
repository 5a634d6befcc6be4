/**
 * Reader profiles (src/drivers/pcsc/profiles/): the reader name picks the family, each family's
 * Load Keys form and status words give the right CardError, and the profile file of
 * `hmskort reader probe --json` is validated. Expected values come from the reader manuals cited
 * in the tables (ACR122U API v2.04 section 5; SCL3711 Reference Manual 6.2.3; HID OMNIKEY
 * 5022/5422 developer guide; PC/SC Part 3 v2.02 3.2.2.1), written out here by hand, not read back
 * from the tables or from the emulator.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PcscMifareCard, type CardLink } from '../../../../../src/drivers/pcsc/card.js';
import { ACS, GENERIC, IDENTIV, OMNIKEY, ProfileFileError, chooseProfile, codeFor, parseProfileFile, profileForReaderName, readProfileOption, swRow, type ProfileOp, type ReaderProfile } from '../../../../../src/drivers/pcsc/profiles/index.js';
import { MIFARE_CLASSIC_1K_ATR } from '../../../../../src/drivers/vpcd/client.js';
import type { CardError } from '../../../../../src/transport/card.js';
import { fromHex as bytes, toHex as hex } from '../../../../helpers/hex.js';

const KEY = bytes('ffffffffffff');
const KEY2 = bytes('a0a1a2a3a4a5');

describe('the reader name picks the family', () => {
  // Names as pcscd (libccid's Info.plist / the vendor drivers) reports them.
  it.each([
    ['ACS ACR122U PICC Interface 00 00', 'acs'],
    ['ACS ACR1252 1S CL Reader PICC 00 00', 'acs'],
    ['ACS ACR1281 1S Dual Reader PICC 00 01', 'acs'],
    ['SCM Microsystems Inc. SCL011 Contactless Reader [SCL01x Contactless Reader] 00 00', 'identiv'],
    ['SCM Microsystems Inc. SCL3711 reader & NFC device 0', 'identiv'],
    ['Identiv uTrust 3700 F CL Reader [uTrust 3700 F CL Reader] 00 00', 'identiv'],
    ['Identive SCM SDI011G Contactless Reader [SDI011 Contactless Reader] 00 00', 'identiv'],
    ['HID Global OMNIKEY 5022 Smart Card Reader [OMNIKEY 5022 Smart Card Reader] 00 00', 'omnikey'],
    ['HID Global OMNIKEY 5422CL Smartcard Reader [OMNIKEY 5422CL Smartcard Reader] 01 00', 'omnikey'],
    ['HID OMNIKEY 5427 CK [OMNIKEY 5427 CK] 00 00', 'omnikey'],
    ['Virtual PCD 00 00', 'generic'],
    ['Gemalto Prox-DU', 'generic'],
  ])('%s -> %s', (name, family) => {
    expect(profileForReaderName(name).family).toBe(family);
  });

  it('the option overrides the name', () => {
    expect(chooseProfile({ kind: 'family', family: 'omnikey' }, 'ACS ACR122U PICC Interface 00 00').profile).toBe(OMNIKEY);
    expect(chooseProfile({ kind: 'auto' }, 'Virtual PCD 00 00')).toMatchObject({ profile: GENERIC, source: expect.stringMatching(/no family/) });
  });
});

const code = (p: ReaderProfile, op: ProfileOp, sw: number, ctx = { silent: false, authenticated: false }) => {
  const row = swRow(p, op, sw);
  return row ? codeFor(row.meaning, op, ctx) : 'UNKNOWN';
};

describe('status words per family (from the manuals)', () => {
  const authed = { silent: false, authenticated: true };
  it('ACS: 63 00 on every failure, told apart by the operation and what the driver knows (ACR122U API 5.1-5.4)', () => {
    expect(code(ACS, 'authenticate', 0x6300)).toBe('AUTH_FAILED');
    expect(code(ACS, 'read', 0x6300, authed)).toBe('ACCESS_DENIED');
    expect(code(ACS, 'read', 0x6300)).toBe('NOT_AUTHENTICATED');
    expect(code(ACS, 'write', 0x6300, authed)).toBe('ACCESS_DENIED');
    expect(code(ACS, 'load-key', 0x6300)).toBe('KEY_TYPE_UNSUPPORTED');
  });
  it('Identiv: wrong key 69 82, key number 69 88, key length 69 89 (SCL3711 RM 6.2.3.4)', () => {
    expect(code(IDENTIV, 'authenticate', 0x6982)).toBe('AUTH_FAILED');
    expect(code(IDENTIV, 'load-key', 0x6988)).toBe('KEY_TYPE_UNSUPPORTED');
    expect(code(IDENTIV, 'load-key', 0x6989)).toBe('KEY_TYPE_UNSUPPORTED');
    expect(code(IDENTIV, 'load-key', 0x6987)).toBe('KEY_TYPE_UNSUPPORTED');
    expect(code(IDENTIV, 'read', 0x6982, authed)).toBe('ACCESS_DENIED');
  });
  it('OMNIKEY: 64 00 is a time-out, 69 82 a wrong key, 69 86 an unknown key type or a refused command, 65 81 memory, 6A 82 no block', () => {
    expect(code(OMNIKEY, 'authenticate', 0x6400)).toBe('TIMEOUT');
    expect(code(OMNIKEY, 'authenticate', 0x6982)).toBe('AUTH_FAILED');
    expect(code(OMNIKEY, 'authenticate', 0x6986)).toBe('KEY_TYPE_UNSUPPORTED');
    expect(code(OMNIKEY, 'authenticate', 0x6984)).toBe('KEY_TYPE_UNSUPPORTED');
    expect(code(OMNIKEY, 'write', 0x6986, authed)).toBe('ACCESS_DENIED');
    expect(code(OMNIKEY, 'write', 0x6581, authed)).toBe('ACCESS_DENIED'); // the write was not stored: the chip refused it
    expect(code(OMNIKEY, 'read', 0x6581, authed)).toBe('IO');
    expect(code(OMNIKEY, 'read', 0x6a82)).toBe('BAD_BLOCK');
    expect(code(OMNIKEY, 'load-key', 0x6988)).toBe('KEY_TYPE_UNSUPPORTED');
  });
  it('generic PC/SC Part 3 (3.2.2.1.4-9)', () => {
    expect(code(GENERIC, 'authenticate', 0x6300)).toBe('AUTH_FAILED');
    expect(code(GENERIC, 'authenticate', 0x6982)).toBe('AUTH_FAILED');
    expect(code(GENERIC, 'authenticate', 0x6986)).toBe('KEY_TYPE_UNSUPPORTED');
    expect(code(GENERIC, 'read', 0x6981, authed)).toBe('ACCESS_DENIED');
    expect(code(GENERIC, 'read', 0x6a81)).toBe('NOT_SUPPORTED');
    expect(code(GENERIC, 'load-key', 0x6986)).toBe('KEY_TYPE_UNSUPPORTED');
    expect(code(GENERIC, 'read', 0x6f00)).toBe('UNKNOWN');
  });
  it('once the card went silent, no failure reads as a wrong key, on any family', () => {
    const silent = { silent: true, authenticated: false };
    for (const p of [ACS, IDENTIV, OMNIKEY, GENERIC]) {
      for (const sw of [0x6300, 0x6400, 0x6982, 0x6983]) {
        const c = code(p, 'authenticate', sw, silent);
        if (c !== 'UNKNOWN') expect(c, `${p.family} ${sw.toString(16)}`).toBe('CARD_SILENT');
      }
    }
  });
});

/** A card on a scripted reader: `answer` gives the SW for each APDU; records what was sent. */
async function scripted(profile: ReaderProfile, answer: (apdu: string) => string) {
  const sent: string[] = [];
  const link: CardLink = {
    readerName: 'Test Reader 00 00',
    profile,
    send: async (_op, apdu) => {
      const h = hex(apdu);
      sent.push(h);
      return bytes(h === 'ffca000000' ? '04a1b2c39000' : answer(h));
    },
    reset: async () => {
      sent.push('reset');
    },
  };
  const card = await PcscMifareCard.detect(link, MIFARE_CLASSIC_1K_ATR);
  sent.length = 0;
  return { card, sent };
}

describe('Load Keys and General Authenticate in each dialect', () => {
  it('ACS: volatile slots 00 and 01, named by slot (ACR122U API 5.1, 5.2)', async () => {
    const { card, sent } = await scripted(ACS, () => '9000');
    await card.authenticate(4, 'A', KEY);
    await card.authenticate(8, 'B', KEY2);
    expect(sent).toEqual(['ff82000006ffffffffffff', 'ff860000050100046000', 'ff82000106a0a1a2a3a4a5', 'ff860000050100086101']);
  });
  it('Identiv: the key number is the key type, 60 or 61 (SCL3711 RM 6.2.3)', async () => {
    const { card, sent } = await scripted(IDENTIV, () => '9000');
    await card.authenticate(4, 'A', KEY);
    await card.authenticate(8, 'B', KEY2);
    await card.authenticate(12, 'A', KEY);
    expect(sent).toEqual(['ff82006006ffffffffffff', 'ff860000050100046060', 'ff82006106a0a1a2a3a4a5', 'ff860000050100086161', 'ff8600000501000c6060']);
  });
  it('OMNIKEY: non-volatile P1 20 first; refused (69 86), the volatile session key 20', async () => {
    const { card, sent } = await scripted(OMNIKEY, (a) => (a.startsWith('ff8220') ? '6986' : '9000'));
    await card.authenticate(4, 'A', KEY);
    await card.authenticate(8, 'A', KEY);
    expect(sent).toEqual(['ff82200006ffffffffffff', 'ff82002006ffffffffffff', 'ff860000050100046020', 'ff860000050100086020']);
  });
  it('generic: a reader that refuses key number 00 with 69 88 gets the key-type form (SCL3711 RM 6.2.3)', async () => {
    const { card, sent } = await scripted(GENERIC, (a) => (a.startsWith('ff820000') ? '6988' : '9000'));
    await card.authenticate(4, 'A', KEY);
    expect(sent).toEqual(['ff82000006ffffffffffff', 'ff82006006ffffffffffff', 'ff860000050100046060']);
  });
  it('a status word no table knows names the reader, the profile and the word', async () => {
    const { card } = await scripted(ACS, (a) => (a.startsWith('ff86') ? '6f00' : '9000'));
    const e = (await card.authenticate(4, 'A', KEY).catch((x: unknown) => x)) as CardError;
    expect(e).toMatchObject({ code: 'IO', sw: 0x6f00, message: expect.stringMatching(/Test Reader 00 00 \(profile acs\) answered 6F00/) });
  });
});

describe('the profile file (reader probe --json)', () => {
  const good = { format: 'hmskort-reader-profile', version: 1, family: 'identiv', reader: 'Identiv uTrust 3700 F CL Reader 00 00', atr: '3B8F8001804F0CA0000003060300010000000068', observed: { wrongKeySw: '6982' } };
  it('parses a valid file', () => {
    expect(parseProfileFile(JSON.stringify(good), 'p.json')).toMatchObject({ family: 'identiv', atr: good.atr.toLowerCase() });
  });
  it.each([
    ['{', 'PROFILE_JSON', undefined],
    [JSON.stringify([]), 'PROFILE_FIELD', '(top level)'],
    [JSON.stringify({ ...good, format: 'x' }), 'PROFILE_FIELD', 'format'],
    [JSON.stringify({ ...good, version: 2 }), 'PROFILE_VERSION', 'version'],
    [JSON.stringify({ ...good, family: 'nxp' }), 'PROFILE_FIELD', 'family'],
    [JSON.stringify({ ...good, reader: '' }), 'PROFILE_FIELD', 'reader'],
    [JSON.stringify({ ...good, atr: 'zz' }), 'PROFILE_FIELD', 'atr'],
    [JSON.stringify({ ...good, observed: null }), 'PROFILE_FIELD', 'observed'],
    [JSON.stringify({ ...good, extra: 1 }), 'PROFILE_FIELD', 'extra'],
  ])('%s -> %s %s', (text, c, field) => {
    const e = (() => {
      try {
        parseProfileFile(text, 'p.json');
      } catch (x) {
        return x as ProfileFileError;
      }
    })();
    expect(e).toBeInstanceOf(ProfileFileError);
    expect(e).toMatchObject({ code: c, file: 'p.json', field, message: expect.stringContaining('p.json') });
  });
  it('--profile takes a family id or a file; anything else is a typed error naming it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'hmskort-profile-'));
    const f = join(dir, 'reader.json');
    writeFileSync(f, JSON.stringify(good));
    expect(await readProfileOption('omnikey')).toEqual({ kind: 'family', family: 'omnikey' });
    expect(await readProfileOption(undefined)).toEqual({ kind: 'auto' });
    const choice = await readProfileOption(f);
    expect(chooseProfile(choice, good.reader)).toMatchObject({ profile: IDENTIV, source: `profile file ${f}` });
    await expect(readProfileOption(join(dir, 'nope.json'))).rejects.toMatchObject({ code: 'PROFILE_READ', file: join(dir, 'nope.json') });
  });
});

/**
 * The keys file (issue 3): validation with errors that name the field, and secrets that never
 * show up in JSON, string or inspect output, nor in error messages.
 */
import { describe, expect, it } from 'vitest';
import { inspect } from 'node:util';
import { KeyRing, KeysFileError, parseKeysFile } from '../../../src/card/keys.js';
import { toHex } from '../../helpers/hex.js';

const READ = '000102030405060708090a0b0c0d0e0f';
const WRITE = '101112131415161718191a1b1c1d1e1f';
// RFC 8032 section 7.1 TEST 1 seed and public key.
const SEED = '9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60';
const PUB = 'd75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a';
const hex = (b: Uint8Array | undefined) => (b ? toHex(b) : undefined);

function errorOf(json: unknown): KeysFileError {
  try {
    parseKeysFile(json);
  } catch (e) {
    if (e instanceof KeysFileError) return e;
    throw e;
  }
  throw new Error('no error');
}

describe('parse', () => {
  it('an issuing station file: masters, signing key, own public key added (RFC 8032 TEST 1)', () => {
    const k = parseKeysFile(JSON.stringify({ readMaster: READ, writeMaster: WRITE.toUpperCase(), signingKey: SEED, keyId: 1 }));
    expect(hex(k.readMaster)).toBe(READ);
    expect(hex(k.writeMaster)).toBe(WRITE);
    expect(hex(k.signingKey)).toBe(SEED);
    expect(k.keyId).toBe(1);
    expect(hex(k.publicKeys.get(1))).toBe(PUB);
  });
  it('a gate file: read master and public keys only', () => {
    const k = parseKeysFile({ readMaster: READ, publicKeys: { '1': PUB, '7': PUB } });
    expect(k.writeMaster).toBeUndefined();
    expect([...k.publicKeys.keys()]).toEqual([1, 7]);
    expect(() => k.requireWriteMaster()).toThrow(/no write master/);
    expect(Object.keys(k.publicKeysRecord())).toEqual(['1', '7']);
  });
  it('forGate keeps the read master and public keys, drops the rest', () => {
    const g = parseKeysFile({ readMaster: READ, writeMaster: WRITE, signingKey: SEED, keyId: 3 }).forGate();
    expect(g.writeMaster).toBeUndefined();
    expect(g.signingKey).toBeUndefined();
    expect(hex(g.publicKeys.get(3))).toBe(PUB);
  });
  it('returns copies: changing them does not change the ring', () => {
    const k = parseKeysFile({ readMaster: READ });
    k.readMaster.fill(0);
    expect(hex(k.readMaster)).toBe(READ);
  });
});

describe('validation errors name the field', () => {
  it.each([
    [{}, 'readMaster', /required/],
    [{ readMaster: READ.slice(2) }, 'readMaster', /15 bytes|30 digits/],
    [{ readMaster: 'zz' + READ.slice(2) }, 'readMaster', /non-hex/],
    [{ readMaster: 42 }, 'readMaster', /number/],
    [{ readMaster: READ, writeMaster: READ }, 'writeMaster', /must differ/],
    [{ readMaster: READ, signingKey: SEED }, 'keyId', /together/],
    [{ readMaster: READ, keyId: 1 }, 'signingKey', /together/],
    [{ readMaster: READ, signingKey: SEED, keyId: 0 }, 'keyId', /1-255/],
    [{ readMaster: READ, signingKey: SEED, keyId: 256 }, 'keyId', /1-255/],
    [{ readMaster: READ, signingKey: SEED.slice(0, 62), keyId: 1 }, 'signingKey', /32 bytes/],
    [{ readMaster: READ, publicKeys: { x: PUB } }, 'publicKeys.x', /1-255/],
    [{ readMaster: READ, publicKeys: { '1': PUB.slice(1) } }, 'publicKeys.1', /hex/],
    [{ readMaster: READ, publicKeys: [PUB] }, 'publicKeys', /object/],
    [{ readMaster: READ, signingKey: SEED, keyId: 1, publicKeys: { '1': READ + READ } }, 'publicKeys.1', /not the public key/],
    [{ readMaster: READ, writemaster: WRITE }, 'writemaster', /unknown field/],
  ])('%j -> %s', (json, field, message) => {
    const e = errorOf(json);
    expect(e.field).toBe(field);
    expect(e.message).toMatch(message);
  });
  it('not JSON / not an object', () => {
    expect(errorOf('{"readMaster":').message).toMatch(/not JSON/);
    expect(errorOf('[1]').message).toMatch(/object/);
  });
  it('error messages never contain the secret text', () => {
    for (const bad of [{ readMaster: READ + '0' }, { readMaster: READ, writeMaster: WRITE + 'g' }, { readMaster: READ, signingKey: SEED + '00', keyId: 1 }]) {
      const e = errorOf(bad);
      for (const secret of [READ, WRITE, SEED]) expect(e.message).not.toContain(secret);
    }
  });
});

describe('secrets are never printed', () => {
  const k = parseKeysFile({ readMaster: READ, writeMaster: WRITE, signingKey: SEED, keyId: 1 });
  const outputs = () => [JSON.stringify(k), String(k), `${k}`, inspect(k), inspect({ nested: k }, { depth: 5 }), JSON.stringify({ ...k })];
  it('JSON, String, inspect and spread show <redacted>, never the hex', () => {
    for (const out of outputs()) {
      for (const secret of [READ, WRITE, SEED, READ.toUpperCase()]) expect(out).not.toContain(secret);
    }
    expect(JSON.parse(JSON.stringify(k))).toEqual({ readMaster: '<redacted>', writeMaster: '<redacted>', signingKey: '<redacted>', keyId: 1, publicKeys: { '1': PUB } });
    expect(inspect(k)).toContain('<redacted>');
  });
  it('a KeyRing built by hand behaves the same', () => {
    const r = new KeyRing({ readMaster: Buffer.from(READ, 'hex') });
    expect(inspect(r)).not.toContain(READ);
    expect(JSON.stringify(r)).not.toContain(READ);
  });
});

describe('key material stays inside the ring', () => {
  it('every getter returns a copy: changing it changes nothing in the ring', () => {
    const k = parseKeysFile({ readMaster: READ, writeMaster: WRITE, signingKey: SEED, keyId: 2 });
    for (const get of [() => k.readMaster, () => k.writeMaster!, () => k.signingKey!, () => k.requireWriteMaster()]) {
      get().fill(0xee);
      expect(toHex(get())).not.toMatch(/^(ee)+$/);
    }
    expect([hex(k.readMaster), hex(k.writeMaster), hex(k.signingKey)]).toEqual([READ, WRITE, SEED]);
  });
  it('a gate ring has no write master: requireWriteMaster says so (field writeMaster)', () => {
    const g = parseKeysFile({ readMaster: READ, writeMaster: WRITE }).forGate();
    expect(g.writeMaster).toBeUndefined();
    expect(() => g.requireWriteMaster()).toThrow(expect.objectContaining({ field: 'writeMaster' }));
  });
});

describe('key ids and public keys', () => {
  it('a key id is 1-255, as a number or a string of decimal digits', () => {
    for (const [id, want] of [[255, 255], ['255', 255], ['7', 7], [1, 1]] as const) expect(parseKeysFile({ readMaster: READ, signingKey: SEED, keyId: id }).keyId).toBe(want);
    for (const id of ['x7', '7x', ' 7', '', '256', 0, 256, 1.5, null]) expect(errorOf({ readMaster: READ, signingKey: SEED, keyId: id }).field, String(id)).toBe('keyId');
  });
  it('publicKeys must be an object of id -> key', () => {
    for (const p of [null, 'x', 7, [PUB]]) expect(errorOf({ readMaster: READ, publicKeys: p }).field, JSON.stringify(p)).toBe('publicKeys');
  });
  it('a hex field that is null says null', () => {
    expect(errorOf({ readMaster: null }).message).toContain('got null');
  });
});

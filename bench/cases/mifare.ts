/**
 * The pure MIFARE Classic pieces (spec sections 3 and 5), no card involved: key diversification
 * (one AES-128-CMAC through node:crypto), building the finished 64-block image (13 KDFs, and one
 * Ed25519 signature when signed), verifying a full image (MAD, record, Ed25519 verify), and the
 * access-bits and MAD decoders. Every check compares with the spec's examples.
 */
import type { BenchCase } from '../harness.js';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { deriveKey } from '../../src/card/kdf.js';
import { buildCardImage, type CardImageInput } from '../../src/card/image.js';
import { verifyCardImage } from '../../src/card/verify.js';
import { decodeAccessBits } from '../../src/card/accessBits.js';
import { parseMad } from '../../src/card/mad.js';
import { fromHex, toHex } from '../../src/codec/hex.js';

const spec = JSON.parse(readFileSync(resolve(import.meta.dirname, '../../test-vectors/spec-examples.json'), 'utf8')).vectors as {
  id: string;
  input: Record<string, any>;
  expect: Record<string, any>;
}[];
const ex = (id: string) => spec.find((v) => v.id === id)!;

function imageInput(id: string): CardImageInput {
  const i = ex(id).input;
  return {
    holder: i.holder,
    uid: fromHex(i.uid),
    readMaster: fromHex(i.readMaster),
    writeMaster: fromHex(i.writeMaster),
    signingKey: i.signingKey ? fromHex(i.signingKey) : undefined,
    keyId: i.keyId,
  };
}

const master = fromHex('000102030405060708090a0b0c0d0e0f');
const uid = fromHex('04a1b2c3');
const signedBlocks = (ex('verify-card-signed').input.blocks as string[]).map((h) => fromHex(h));
const keys = { '1': fromHex(ex('verify-card-signed').input.publicKeys['1']) };
const sameBlocks = (id: string) => (blocks: Uint8Array[]) => blocks.map(toHex).join() === (ex(id).expect.blocks as string[]).join();

export const cases: BenchCase[] = [
  { name: 'mifare/kdf', fn: () => deriveKey(master, uid, 1, 'A'), check: (k: Uint8Array) => toHex(k) === '982777a10697' },
  { name: 'mifare/card-image-unsigned', setup: () => imageInput('card-unsigned-7-byte-uid'), fn: (i) => buildCardImage(i), check: sameBlocks('card-unsigned-7-byte-uid') },
  { name: 'mifare/card-image-signed', setup: () => imageInput('card-signed-4-byte-uid'), fn: (i) => buildCardImage(i), check: sameBlocks('card-signed-4-byte-uid') },
  {
    name: 'mifare/verify-card-signed',
    fn: () => verifyCardImage(signedBlocks, uid, keys),
    check: (r: ReturnType<typeof verifyCardImage>) => r.signature === 'valid' && r.holder.familyName === 'Østby-Hågensen',
  },
  { name: 'mifare/access-bits-decode', setup: () => fromHex('787788'), fn: (b) => decodeAccessBits(b), check: (c) => JSON.stringify(c) === '[[1,0,0],[1,0,0],[1,0,0],[0,1,1]]' },
  { name: 'mifare/mad-parse', fn: () => parseMad(signedBlocks[1], signedBlocks[2]), check: (m) => m.aids[3] === 0x4b49 },
];

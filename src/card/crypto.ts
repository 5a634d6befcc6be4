/**
 * The one file of src/card that touches a platform crypto API (node:crypto), kept thin so the rest
 * of the card logic stays pure (STYLE.md: noble-hashes keeps platform access in one file).
 * AES-128 single-block encryption (for the CMAC of RFC 4493) and Ed25519 (RFC 8032) from a
 * 32-byte seed.
 */
import { createCipheriv, createPrivateKey, createPublicKey, sign, verify, type KeyObject } from 'node:crypto';

/** AES-128 encryption of one 16-byte block (ECB on a single block, no padding). */
export function aes128EncryptBlock(key: Uint8Array, block: Uint8Array): Uint8Array {
  const c = createCipheriv('aes-128-ecb', key, null);
  c.setAutoPadding(false);
  const out = Buffer.concat([c.update(block), c.final()]);
  return new Uint8Array(out.buffer, out.byteOffset, 16);
}

// DER prefixes that wrap a raw Ed25519 key (RFC 8410): PKCS#8 private key, SPKI public key.
const PKCS8_ED25519 = Buffer.from('302e020100300506032b657004220420', 'hex');
const SPKI_ED25519 = Buffer.from('302a300506032b6570032100', 'hex');

function privateKey(seed: Uint8Array): KeyObject {
  if (seed.length !== 32) throw new RangeError(`an Ed25519 seed is 32 bytes, got ${seed.length}`);
  return createPrivateKey({ key: Buffer.concat([PKCS8_ED25519, seed]), format: 'der', type: 'pkcs8' });
}

/** The 32-byte Ed25519 public key of a 32-byte seed (RFC 8032 section 5.1.5). */
export function ed25519PublicKey(seed: Uint8Array): Uint8Array {
  const der = createPublicKey(privateKey(seed)).export({ format: 'der', type: 'spki' });
  return new Uint8Array(der.subarray(der.length - 32));
}

/** The 64-byte Ed25519 signature of a message (RFC 8032 section 5.1.6; deterministic). */
export function ed25519Sign(seed: Uint8Array, message: Uint8Array): Uint8Array {
  return new Uint8Array(sign(null, message, privateKey(seed)));
}

/** Verifies an Ed25519 signature; false for a malformed key or signature. */
export function ed25519Verify(publicKey: Uint8Array, message: Uint8Array, signature: Uint8Array): boolean {
  if (publicKey.length !== 32 || signature.length !== 64) return false;
  try {
    const key = createPublicKey({ key: Buffer.concat([SPKI_ED25519, publicKey]), format: 'der', type: 'spki' });
    return verify(null, message, key, signature);
  } catch {
    return false;
  }
}

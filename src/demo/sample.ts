/**
 * The demo's sample holder and keys: those of the spec example `card-signed-4-byte-uid`
 * (hmsk-card-format-v1 examples.json), so the demo's card can be compared with the published
 * 64 blocks. DEMO KEYS ONLY: they are public; never encode real cards with them.
 */
import type { HolderInput } from '../codec/types.js';

export const SAMPLE_HOLDER: HolderInput = {
  category: 'construction',
  cardNumber: '123456',
  orgNumber: '974760673',
  orgName: 'Brønnøysund Bygg AS',
  givenName: 'Kari Ærlig',
  familyName: 'Østby-Hågensen',
  birthDate: '1985-04-17',
  gender: 'F',
  expiry: '2028-06-30',
  issue: 0,
};

export const SAMPLE_UID = '04a1b2c3';

export const DEMO_KEYS = {
  readMaster: '000102030405060708090a0b0c0d0e0f',
  writeMaster: '101112131415161718191a1b1c1d1e1f',
  // RFC 8032 section 7.1 TEST 1 seed: public, for the demo only.
  signingKey: '9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60',
  keyId: 1,
};

/** The spec example this demo reproduces (id in examples.json). */
export const SAMPLE_VECTOR_ID = 'card-signed-4-byte-uid';

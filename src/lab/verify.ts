/**
 * Test-lab verification: each card presented is read in full (spec section 5) and compared with
 * the vector that names its UID — a `card` vector (the 64 blocks the finished card must hold) or a
 * `verify-card` vector (the holder and signature status it must verify to).
 *
 * What a reader can see is compared: data blocks of the HMSK sectors byte for byte; trailers by
 * their access bits and GPB (keys never read back: key A proves itself by authenticating, key B by
 * an authentication too when the keys file has the write master).
 */
import { fromHex, toHex } from '../codec/hex.js';
import { fullRead, type FullRead } from '../card/readers.js';
import { deriveKey } from '../card/kdf.js';
import { hmskSectors, trailerBlock } from '../card/layout.js';
import { publicKeyOf, type PublicKeys } from '../card/signature.js';
import { isCardError, type MifareClassicCard } from '../transport/card.js';
import { jsonEqual, type Vector } from '../vectors/runner.js';
import { argumentError, needObject, needArray, needCard, needOptions } from '../codec/guard.js';
import type { ErrorKind } from '../codec/errors.js';

export interface LabKeys {
  readMaster: Uint8Array;
  writeMaster?: Uint8Array;
  publicKeys?: PublicKeys;
}

export interface LabCheck {
  name: string;
  pass: boolean;
  detail?: string;
}

export interface LabResult {
  uid: string;
  /** The vectors compared with (every card / verify-card vector naming this UID). */
  vectorIds: string[];
  pass: boolean;
  checks: LabCheck[];
  ms: number;
}

export type LabVectorErrorCode =
  | 'AMBIGUOUS_VECTORS' // one UID, several different expected cards: no card can match them all
  | 'UNKNOWN_VECTOR' // a vector named by id is not in the file
  | 'NOT_A_LAB_VECTOR'; // a vector named by id is not a card / verify-card vector with a uid

/** A vector set the lab cannot use as it stands; `uid` names the card it is about, where one. */
export class LabVectorError extends Error {
  override readonly name = 'LabVectorError';
  readonly code: LabVectorErrorCode;
  readonly uid?: string;
  /**
   * Usage: the vector file is valid, but the vectors asked for (all, or those named) cannot be
   * checked as a set; the caller must name which to check (the CLI: --vector ID, exit 2).
   */
  get kind(): ErrorKind {
    return 'usage';
  }
  constructor(code: LabVectorErrorCode, message: string, uid?: string) {
    super(`${code}: ${message}`);
    this.code = code;
    this.uid = uid;
  }
}

export interface LabVectorOptions {
  /** Use only these vectors (by id), e.g. to pick one of several that name the same UID. */
  only?: readonly string[];
}

const isLabVector = (v: Vector) =>
  (v.kind === 'card' || v.kind === 'verify-card') && typeof v.input.uid === 'string' && !('error' in v.expect && Object.keys(v.expect).length === 1);

/**
 * What a vector says the card holds, as the lab can see it: the blocks of a `card` vector's
 * `expect` or of a `verify-card` vector's `input`, without the key bytes of the trailers (a reader
 * never reads keys back), so a `card` vector and the `verify-card` vector of the same card agree.
 * A vector without blocks is known by its expectation.
 */
function expectedCard(v: Vector): string {
  const blocks = v.kind === 'card' ? v.expect.blocks : v.input.blocks;
  if (!Array.isArray(blocks)) return `expect ${JSON.stringify(v.expect)}`;
  return blocks.map((b, i) => (typeof b !== 'string' ? '?' : i % 4 === 3 ? b.slice(12, 20) : b).toLowerCase()).join(' ');
}

/**
 * Vectors a lab can check a physical card against: kinds `card` and `verify-card`, by UID.
 *
 * One physical card can match only one expected card. When vectors naming the same UID expect
 * different cards (test-vectors/mifare.json has a signed and an unsigned card for 04a1b2c3), every
 * card presented would fail one of them: that set is refused (LabVectorError AMBIGUOUS_VECTORS,
 * naming the UID and the groups) unless `only` names the vectors to use. Vectors that expect the
 * same card (a `card` vector and its `verify-card` twin) are checked together.
 */
export function labVectorsByUid(vectors: readonly Vector[], opts: LabVectorOptions = {}): Map<string, Vector[]> {
  needArray('labVectorsByUid', 'vectors', vectors);
  needOptions('labVectorsByUid', 'opts', opts);
  let pool = vectors.filter(isLabVector);
  if (opts.only) {
    pool = opts.only.map((id) => {
      const v = vectors.find((x) => x.id === id);
      if (!v) throw new LabVectorError('UNKNOWN_VECTOR', `no vector "${id}" in the vector file`);
      if (!isLabVector(v)) throw new LabVectorError('NOT_A_LAB_VECTOR', `vector "${id}" (kind ${v.kind}) is not a card or verify-card vector with a uid and an expected card`);
      return v;
    });
  }
  const out = new Map<string, Vector[]>();
  for (const v of pool) {
    const uid = (v.input.uid as string).toLowerCase();
    const list = out.get(uid) ?? [];
    if (!list.includes(v)) list.push(v);
    out.set(uid, list);
  }
  for (const [uid, list] of out) {
    const groups = new Map<string, string[]>();
    for (const v of list) groups.set(expectedCard(v), [...(groups.get(expectedCard(v)) ?? []), v.id]);
    if (groups.size > 1) {
      const names = [...groups.values()].map((g) => g.join(' + ')).join('; ');
      throw new LabVectorError('AMBIGUOUS_VECTORS', `${groups.size} different cards are expected for UID ${uid} (${names}); one card can match only one: name the vectors to check`, uid);
    }
  }
  return out;
}

/** Reads `card` in full once and compares it with every vector naming its UID. Card errors become a failed check. */
export async function verifyLabCard(card: MifareClassicCard, vectors: ReadonlyMap<string, readonly Vector[]>, keys: LabKeys): Promise<LabResult> {
  needCard('verifyLabCard', card);
  if (!((vectors as unknown) instanceof Map)) throw argumentError('verifyLabCard', 'vectors', 'a Map from labVectorsByUid', vectors);
  needObject('verifyLabCard', 'keys', keys);
  const t0 = performance.now();
  const uid = toHex(card.uid);
  const mine = vectors.get(uid) ?? [];
  const checks: LabCheck[] = [];
  const check = (name: string, pass: boolean, detail?: string) => checks.push({ name, pass, ...(detail ? { detail } : {}) });
  const done = (): LabResult => ({ uid, vectorIds: mine.map((v) => v.id), pass: checks.length > 0 && checks.every((c) => c.pass), checks, ms: performance.now() - t0 });
  if (mine.length === 0) {
    check('vector', false, `no card or verify-card vector names UID ${uid}`);
    return done();
  }
  let read: FullRead;
  try {
    const publicKeys = Object.assign({}, ...mine.map(publicKeysOf), toRecord(keys.publicKeys)) as Record<string, Uint8Array>;
    read = await fullRead(card, { readMaster: keys.readMaster, publicKeys });
  } catch (e) {
    check('read', false, isCardError(e) ? e.message : String((e as Error).message));
    return done();
  }
  check('read', true, `${read.operations} card commands`);
  check('section 5 verification', !read.error, read.error ? read.error.message : `signature ${read.signature}`);
  for (const v of mine) await compare(card, read, v, keys, (name, pass, detail) => check(`${v.id}: ${name}`, pass, detail));
  return done();
}

type Check = (name: string, pass: boolean, detail?: string) => void;

async function compare(card: MifareClassicCard, read: FullRead, vector: Vector, keys: LabKeys, check: Check): Promise<void> {
  if (vector.kind === 'verify-card') {
    const want = vector.expect as { holder?: Record<string, unknown>; signature?: string };
    if (want.holder) check('holder', jsonEqual(read.holder, want.holder), read.holder ? undefined : 'card did not verify');
    if (want.signature) check('signature', read.signature === want.signature, `card: ${read.signature ?? 'not verified'}, expected ${want.signature}`);
    return;
  }
  // kind `card`: the 64 expected blocks.
  const expected = (vector.expect as { blocks: string[] }).blocks.map((b) => fromHex(b));
  const signed = typeof vector.input.signingKey === 'string';
  const diffs: string[] = [];
  for (const s of [0, ...hmskSectors(signed)]) {
    const t = trailerBlock(s);
    for (let b = Math.max(t - 3, 1); b < t; b++) if (toHex(read.blocks[b]) !== toHex(expected[b])) diffs.push(`block ${b}`);
    if (toHex(read.blocks[t].subarray(6, 10)) !== toHex(expected[t].subarray(6, 10))) diffs.push(`block ${t} access bits/GPB`);
  }
  check('blocks', diffs.length === 0, diffs.length ? `differs: ${diffs.join(', ')}` : 'data blocks, access bits and GPBs of the HMSK sectors');
  check('block 0', toHex(read.blocks[0]) === toHex(expected[0]), 'manufacturer block');
  if (keys.writeMaster) {
    const bad: number[] = [];
    for (const s of hmskSectors(signed)) {
      try {
        await card.authenticate(trailerBlock(s), 'B', deriveKey(keys.writeMaster, card.uid, s, 'B'));
      } catch (e) {
        bad.push(s);
        // The chip is silent after a failed authentication (MF1S50: src/testing/virtualCard.ts).
        if (!(isCardError(e) && e.removed)) await card.reactivate();
      }
    }
    check('key B', bad.length === 0, bad.length ? `derived key B refused in sector(s) ${bad.join(', ')}` : 'derived key B opens every HMSK sector');
  }
}

/** Public keys a vector implies: its `publicKeys` (verify-card), or its signing seed's (card). */
function publicKeysOf(v: Vector): Record<string, Uint8Array> {
  const pk = v.input.publicKeys as Record<string, string> | undefined;
  if (pk) return Object.fromEntries(Object.entries(pk).map(([k, hex]) => [k, fromHex(hex)]));
  if (typeof v.input.signingKey === 'string' && v.input.keyId !== undefined) return { [String(v.input.keyId)]: publicKeyOf(fromHex(v.input.signingKey)) };
  return {};
}

function toRecord(pk: PublicKeys | undefined): Record<string, Uint8Array> {
  if (!pk) return {};
  return pk instanceof Map ? Object.fromEntries([...pk].map(([k, v]) => [String(k), v])) : { ...(pk as Record<string, Uint8Array>) };
}


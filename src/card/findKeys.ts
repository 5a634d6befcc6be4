/**
 * Step 1 of the encoder (spec section 3, "Before writing, it finds each sector's current key among:
 * the derived key B, the transport key"), spending as few failed authentications as the spec's
 * write order allows. A failed authentication silences the chip until it is re-activated (MF1S50;
 * see src/testing/virtualCard.ts), so every wrong guess costs a re-activation.
 *
 * The guess for each sector follows from what an encoder can have left on the card:
 * - Sector 0 first, with the transport key: a blank card (the normal case on a production line)
 *   then costs no failed authentication at all. Sector 0's trailer is written last, so if our key
 *   B opens it instead, the card was finished by an earlier run (one re-activation).
 * - Then the MAD (blocks 1-2, read under sector 0's key): it is written after every other trailer,
 *   so a valid MAD listing 0x4B48 for sectors 1-3 means those sectors hold our keys, and 0x4B49 for
 *   sectors 4-5 means they do too; no MAD: the previous sector's key is the guess (trailers are
 *   written from the highest sector down, so the keys change at most once going up).
 * - Each guess is confirmed by authenticating before any write; only on a failure is the other
 *   key tried (after the session re-activated the card). Neither: FOREIGN_CARD, nothing written.
 * - An unsigned encode also looks at sectors 4-5 (the 2026-12-03 revision: a signed card
 *   re-encoded without a signature gets them back to zeros and transport keys). It skips them
 *   when a valid HMSK MAD says they are free, and clears only the ones our key B opens; a sector
 *   4-5 that opens with the transport key or with neither key is not ours and is left alone.
 */
import { toHex } from '../codec/hex.js';
import { FORMAT_TAG } from '../codec/recordLayout.js';
import { GATE_BLOCK, MAD_BLOCKS, SIGNATURE_SECTORS, TRANSPORT_KEY, hmskSectors, trailerBlock } from './layout.js';
import { HMSK_AID, HMSK_SIGNATURE_AID, parseMad, type Mad } from './mad.js';
import type { CardSession, SectorKey } from './session.js';
import { recoverTornTrailer } from './tornTrailer.js';
import { transportTrailer } from './trailer.js';
import { isCardError } from '../transport/card.js';

export const TRANSPORT: SectorKey = { keyType: 'A', key: TRANSPORT_KEY };

export interface FoundKeys {
  /** The key each HMSK sector is written with now (and each sector 4-5 to clear). */
  writeKey: Map<number, SectorKey>;
  /** Signature sectors an unsigned encode must clear (our key B opens them). */
  clear: number[];
  found: 'blank' | 'ours' | 'partial';
}

/**
 * Thrown for a card that is neither blank nor ours (FOREIGN_CARD; `block` where foreign data was
 * seen), or for a card of ours one sector of which no key opens any more (SECTOR_LOCKED).
 */
export class ForeignCard extends Error {
  constructor(
    message: string,
    readonly block?: number,
    readonly code: 'FOREIGN_CARD' | 'SECTOR_LOCKED' = 'FOREIGN_CARD',
  ) {
    super(message);
  }
}

/** Why a sector of a card we were encoding opens with no key (MF1S50 datasheet 8.7.1). */
const lockedWhy = (s: number) =>
  `sector ${s} opens with neither the derived key B nor the transport key although the card is ours: its trailer write was most likely torn (the card left the field mid-write), leaving mixed keys or access bits that fail their inverted-copy check, which locks the sector for ever (MF1S50 datasheet 8.7.1); the card cannot be completed: discard it`;

/**
 * Finds the keys of the HMSK sectors of `session`'s card; `keyB(s)` is our derived key B, `mad`
 * the MAD blocks 1-2 this encode writes (a MAD write torn part-way holds only their bytes and zeros).
 */
export async function findKeys(
  session: CardSession,
  signed: boolean,
  keyB: (s: number) => SectorKey,
  madTarget: readonly [Uint8Array, Uint8Array],
  newKeyA: (s: number) => Uint8Array,
): Promise<FoundKeys> {
  const sectors = hmskSectors(signed);
  const writeKey = new Map<number, SectorKey>();
  const problems: string[] = [];
  /** Confirms `guess` on sector s, else tries the other key; undefined when neither opens it. */
  const probe = async (s: number, guess: 'T' | 'B'): Promise<'T' | 'B' | undefined> => {
    for (const k of guess === 'T' ? (['T', 'B'] as const) : (['B', 'T'] as const)) {
      if (await session.tryAuthenticate(trailerBlock(s), k === 'T' ? TRANSPORT : keyB(s))) return k;
    }
    return undefined;
  };
  const keyOf = (k: 'T' | 'B', s: number) => (k === 'T' ? TRANSPORT : keyB(s));

  /** Neither key: a trailer write of ours torn part-way may still leave a key we know (tornTrailer.ts). */
  const rescue = async (s: number): Promise<boolean> => {
    const k = await recoverTornTrailer(session, s, newKeyA(s));
    if (k) writeKey.set(s, k);
    else problems.push(`sector ${s}: neither the derived key B nor the transport key authenticates`);
    return k !== undefined;
  };

  let guess: 'T' | 'B' = 'T';
  const s0 = await probe(0, 'T');
  let mad: Mad | undefined;
  if (s0 === undefined) await rescue(0);
  else {
    writeKey.set(0, keyOf(s0, 0));
    guess = s0;
    mad = await readMad(session, keyOf(s0, 0), s0 === 'T', madTarget);
  }
  const listed = (s: number) => mad !== undefined && mad.aids[s - 1] === (s <= 3 ? HMSK_AID : HMSK_SIGNATURE_AID);
  for (const s of sectors.filter((x) => x !== 0)) {
    const got = await probe(s, mad ? (listed(s) ? 'B' : 'T') : guess);
    if (got === undefined) await rescue(s);
    else {
      writeKey.set(s, keyOf(got, s));
      guess = got;
    }
  }
  if (problems.length) {
    const failed = sectors.filter((s) => !writeKey.has(s));
    // One dead sector k is our own torn trailer write only if the card is where the write order
    // puts it when k's trailer is written: every sector above k ours, every sector below still
    // transport-keyed, and (unless k is sector 1 itself) our record committed in block 4.
    const k = failed[0];
    const inOrder = failed.length === 1 && sectors.every((s) => s === k || (s > k) === (writeKey.get(s) !== TRANSPORT));
    if (inOrder && (k === 1 || (await readGateBlock(session, writeKey.get(1)!))[0] === FORMAT_TAG)) throw new ForeignCard(lockedWhy(k), trailerBlock(k), 'SECTOR_LOCKED');
    throw new ForeignCard(`not a blank card and not ours (another issuer, or other master keys): ${problems.join('; ')}`);
  }

  const clear: number[] = [];
  if (!signed && !(mad && SIGNATURE_SECTORS.every((s) => mad.aids[s - 1] === 0))) {
    for (const s of SIGNATURE_SECTORS) {
      const t = trailerBlock(s);
      // Transport first unless our MAD lists the sector: a blank card spends no failed authentication.
      if (!listed(s) && (await session.tryAuthenticate(t, TRANSPORT))) continue;
      // Key B serves only where it is not readable (Table 8 note [1]): a clear torn after the
      // access bits leaves transport conditions with our key B, which authenticates but serves nothing.
      if ((await session.tryAuthenticate(t, keyB(s))) && (await readable(session, t))) {
        writeKey.set(s, keyB(s));
        clear.push(s);
        continue;
      }
      if (!listed(s)) continue; // not ours: another application's sector, left alone
      if (!(await session.tryAuthenticate(t, TRANSPORT))) throw new ForeignCard(lockedWhy(s), t, 'SECTOR_LOCKED');
      // Key A FF..FF: cleared already, or a clear torn inside its trailer (our MAD still lists the sector).
      const trailer = await session.read(t);
      if (!trailer.subarray(6, 16).every((b, i) => b === transportTrailer()[6 + i])) {
        writeKey.set(s, TRANSPORT);
        clear.push(s);
      }
    }
  }

  const ours = sectors.filter((s) => writeKey.get(s) !== TRANSPORT).length;
  const found = ours === 0 ? 'blank' : ours === sectors.length ? 'ours' : 'partial';
  // A transport-keyed sector 1 must hold nothing but ours: no foreign block 4.
  if (writeKey.get(1) === TRANSPORT) {
    const b4 = await readGateBlock(session, TRANSPORT);
    if (!isZero(b4) && b4[0] !== FORMAT_TAG) throw new ForeignCard(`block 4 has transport keys but holds foreign data (first byte 0x${toHex(b4.subarray(0, 1))}, not the HMSK tag 0x48)`, GATE_BLOCK);
  }
  return { writeKey, clear, found };
}

/** True when the authenticated key may read block `t` (false on ACCESS_DENIED: the chip is then silent). */
async function readable(session: CardSession, t: number): Promise<boolean> {
  try {
    await session.read(t);
    return true;
  } catch (e) {
    if (isCardError(e) && e.code === 'ACCESS_DENIED') return false;
    throw e;
  }
}

async function readGateBlock(session: CardSession, key: SectorKey): Promise<Uint8Array> {
  await session.ensure(GATE_BLOCK, key);
  return session.read(GATE_BLOCK);
}

/**
 * Reads the MAD under sector 0's key. Returns it when it is valid and ours (0x4B48 for sectors
 * 1-3); a transport-keyed sector 0 holding anything else is another application's card.
 */
async function readMad(session: CardSession, key: SectorKey, transport: boolean, target: readonly [Uint8Array, Uint8Array]): Promise<Mad | undefined> {
  await session.ensure(MAD_BLOCKS[0], key);
  const [m1, m2] = [await session.read(MAD_BLOCKS[0]), await session.read(MAD_BLOCKS[1])];
  // Zeros (blank), or our own MAD write torn part-way (every byte zero or ours): no MAD yet.
  const tornOurs = (got: Uint8Array, want: Uint8Array) => got.every((b, i) => b === 0 || b === want[i]);
  if (tornOurs(m1, target[0]) && tornOurs(m2, target[1]) && !(equal(m1, target[0]) && equal(m2, target[1]))) return undefined;
  let mad: Mad | undefined;
  try {
    mad = parseMad(m1, m2);
  } catch {
    mad = undefined;
  }
  const oursMad = mad !== undefined && mad.aids.slice(0, 3).every((a) => a === HMSK_AID);
  if (oursMad) return mad;
  if (transport) {
    const what = mad ? `a MAD listing AIDs ${mad.aids.map((a) => a.toString(16).padStart(4, '0')).join(' ')}` : 'no valid MAD (bad CRC)';
    throw new ForeignCard(`sector 0 has transport keys but holds ${what}: another application's card`, MAD_BLOCKS[0]);
  }
  return undefined;
}

function equal(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

export function isZero(b: Uint8Array): boolean {
  return b.every((x) => x === 0);
}

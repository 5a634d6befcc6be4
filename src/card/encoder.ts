/**
 * The tear-safe encoder of spec section 3 ("Encoding order"), over the block interface of
 * src/transport/card.ts. It writes exactly the image of image.ts (blocks 1-23; block 0 and sectors
 * 6-15 are never touched), in this order:
 *
 *   1. find each HMSK sector's current key (findKeys.ts): the transport key A FF..FF first (on a
 *      blank card key B is readable, so the chip refuses it: MF1S50 Table 8 note [1]), else the
 *      derived key B, guessing from the write order so that a blank card costs no failed
 *      authentication and a re-encode one re-activation; refuse a card that is neither blank nor
 *      ours, saying what was found, and a random-ID card (the keys derive from the UID)
 *   2. record blocks except block 4, then the signature blocks, then (an unsigned re-encode of a
 *      signed card, revision 2026-12-03) zeros to the data blocks of sectors 4-5 and the transport
 *      trailer to sectors 5 and 4, then block 4 (the commit)
 *   3. read every written block back and compare
 *   4. the trailers of the HMSK sectors from the highest down (5..1 signed, 3..1 otherwise)
 *   5. MAD blocks 1 and 2, then 6. the trailer of sector 0
 *   7. authenticate every HMSK sector with its new key A and read it back
 *
 * A card pulled at any point is never read as a valid card with other data: until sector 1's
 * trailer is written a gate's derived key A does not open it, and from then on block 4 is the new
 * gate block. Every step is idempotent, so running the encoder again completes a torn card.
 */
import { bytesEqual, toHex } from '../codec/hex.js';
import { isCardError, type MifareClassicCard } from '../transport/card.js';
import { accessBitsValid } from './accessBits.js';
import { findKeys, ForeignCard, TRANSPORT } from './findKeys.js';
import { deriveKey } from './kdf.js';
import { buildCardImage, type CardImageInput } from './image.js';
import { GATE_BLOCK, MAD_BLOCKS, RECORD_BLOCKS, SIGNATURE_BLOCKS, hmskSectors, sectorOf, trailerBlock } from './layout.js';
import { transportTrailer } from './trailer.js';
import { CardSession, type SectorKey } from './session.js';

/** First byte of a random ID (NXP AN10927, single size UID): such a card reports a new UID at every activation. */
const RANDOM_ID_UID0 = 0x08;

export type EncodeInput = Omit<CardImageInput, 'uid' | 'block0'>;

export type EncodeStepName = 'find-keys' | 'write-record' | 'verify-record' | 'write-trailers' | 'write-mad' | 'write-sector-0-trailer' | 'verify-keys';
export const ENCODE_STEPS: readonly EncodeStepName[] = ['find-keys', 'write-record', 'verify-record', 'write-trailers', 'write-mad', 'write-sector-0-trailer', 'verify-keys'];

export interface EncodeStepReport {
  name: EncodeStepName;
  operations: number;
  ms: number;
}

export interface EncodeReport {
  uid: string;
  signed: boolean;
  /** What the card was before: 'blank', 'ours' (re-encoded), or 'partial' (a torn earlier run). */
  found: 'blank' | 'ours' | 'partial';
  steps: EncodeStepReport[];
  /** Card commands sent: authentications + reads + writes. */
  operations: number;
  auths: number;
  reads: number;
  writes: number;
  /** Authentications that failed (each silences the chip: the next command needs a re-activation). */
  failedAuths: number;
  /** Re-activations (field reset + reselect) the encoder asked for after a failure. */
  reactivations: number;
  /** Signature sectors (4, 5) put back to blank by an unsigned re-encode of a signed card. */
  cleared: number[];
  ms: number;
}

export interface EncodeProgress {
  step: EncodeStepName;
  /** 0-based index of the step in ENCODE_STEPS, and their count. */
  index: number;
  total: number;
}

export interface EncodeCardOptions {
  onProgress?: (p: EncodeProgress) => void;
  /** Milliseconds clock, for the report (default performance.now). */
  clock?: () => number;
}

/**
 * FOREIGN_CARD: neither blank nor ours, nothing written. RANDOM_ID / UID_CHANGED: the card reports
 * a random ID (first byte 0x08, NXP AN10927) or another UID after a re-activation; the keys derive
 * from the UID, so such a card can never be read by a gate. SECTOR_LOCKED: a sector's access bits
 * fail the inverted-copy check (a torn trailer write): that sector, and so the card, is lost for ever.
 */
export type EncodeCardErrorCode = 'FOREIGN_CARD' | 'RANDOM_ID' | 'UID_CHANGED' | 'SECTOR_LOCKED' | 'VERIFY_FAILED' | 'STEP_FAILED';

/** The encoder stopped: `step` says where; a card error is the `cause`. Run again to complete. */
export class EncodeError extends Error {
  override readonly name = 'EncodeError';
  constructor(
    readonly code: EncodeCardErrorCode,
    readonly step: EncodeStepName,
    message: string,
    readonly report: EncodeReport,
    readonly block?: number,
    cause?: unknown,
  ) {
    super(`${code} at step ${step}: ${message}`, cause === undefined ? undefined : { cause });
  }

  /** The card left the field: present it again and rerun the encoder. */
  get removed(): boolean {
    return isCardError(this.cause) && this.cause.removed;
  }
}

/** Throws unless the trailer's access bits pass the inverted-copy check (spec section 3: MUST NEVER). */
export function assertTrailerSafe(trailer: Uint8Array, block: number): void {
  if (trailer.length !== 16 || !accessBitsValid(trailer.subarray(6, 9))) {
    throw new Error(`refusing to write trailer block ${block}: its access bits fail the inverted-copy check and would lock the sector for ever`);
  }
}

/** Encodes `card` with the holder and keys of `input`; resolves with the report. */
export async function encodeCard(card: MifareClassicCard, input: EncodeInput, opts: EncodeCardOptions = {}): Promise<EncodeReport> {
  const clock = opts.clock ?? (() => performance.now());
  const started = clock();
  const target = buildCardImage({ ...input, uid: card.uid });
  const signed = input.signingKey !== undefined;
  const sectors = hmskSectors(signed);
  const session = new CardSession(card);
  // Derived, not taken from the target image: an unsigned image holds transport keys in sectors 4-5, which a clear must open with ours.
  const keyB = (s: number): SectorKey => ({ keyType: 'B', key: deriveKey(input.writeMaster, card.uid, s, 'B') });
  const keyA = (s: number): SectorKey => ({ keyType: 'A', key: target[trailerBlock(s)].slice(0, 6) });
  /** The key each sector is written with now: our key B, or the transport key A. */
  const writeKey = new Map<number, SectorKey>();

  const report: EncodeReport = { uid: toHex(card.uid), signed, found: 'blank', steps: [], operations: 0, auths: 0, reads: 0, writes: 0, failedAuths: 0, reactivations: 0, cleared: [], ms: 0 };
  const finish = () => {
    const { operations, auths, reads, writes, failedAuths, reactivations } = session;
    Object.assign(report, { operations, auths, reads, writes, failedAuths, reactivations, ms: clock() - started });
    return report;
  };
  let step: EncodeStepName = 'find-keys';
  const run = async (name: EncodeStepName, body: () => Promise<void>) => {
    step = name;
    opts.onProgress?.({ step: name, index: ENCODE_STEPS.indexOf(name), total: ENCODE_STEPS.length });
    const ops = session.operations;
    const t = clock();
    await body();
    report.steps.push({ name, operations: session.operations - ops, ms: clock() - t });
  };
  const fail = (code: EncodeCardErrorCode, message: string, block?: number, cause?: unknown): never => {
    throw new EncodeError(code, step, message, finish(), block, cause);
  };
  const writeChecked = async (block: number) => {
    await session.ensure(block, writeKey.get(sectorOf(block))!);
    await session.write(block, target[block]);
  };

  try {
    await run('find-keys', async () => {
      if (card.uid.length === 4 && card.uid[0] === RANDOM_ID_UID0) {
        fail('RANDOM_ID', `the card reports a random ID (${toHex(card.uid)}: first byte 0x08, NXP AN10927), a new one at every activation; HMSK keys derive from the UID, so no gate could ever read it`);
      }
      try {
        const found = await findKeys(session, signed, keyB, [target[MAD_BLOCKS[0]], target[MAD_BLOCKS[1]]], (s) => keyA(s).key);
        for (const [s, k] of found.writeKey) writeKey.set(s, k);
        report.found = found.found;
        report.cleared = found.clear;
      } catch (e) {
        if (e instanceof ForeignCard) fail(e.code, e.message, e.block);
        throw e;
      }
    });

    // Record blocks except the gate block, then the signature blocks, then the gate block (the commit).
    const cleared = report.cleared.flatMap((s) => [trailerBlock(s) - 3, trailerBlock(s) - 2, trailerBlock(s) - 1]);
    const dataBlocks = [...RECORD_BLOCKS.filter((b) => b !== GATE_BLOCK), ...(signed ? SIGNATURE_BLOCKS : []), ...cleared, GATE_BLOCK];
    const writeTrailer = async (s: number, trailer = target[trailerBlock(s)], next = keyB(s)) => {
      const block = trailerBlock(s);
      assertTrailerSafe(trailer, block);
      await session.ensure(block, writeKey.get(s)!);
      await session.write(block, trailer);
      session.forget(); // the sector's keys changed under the session
      writeKey.set(s, next);
    };
    await run('write-record', async () => {
      for (const block of dataBlocks) {
        // Revision 2026-12-03: the cleared signature sectors get the transport trailer, 5 then 4, before the commit.
        if (block === GATE_BLOCK) for (const s of [...report.cleared].sort((x, y) => y - x)) await writeTrailer(s, transportTrailer(), TRANSPORT);
        await writeChecked(block);
      }
    });

    await run('verify-record', async () => {
      for (const block of dataBlocks) {
        await session.ensure(block, writeKey.get(sectorOf(block))!);
        const got = await session.read(block);
        if (!bytesEqual(got, target[block])) fail('VERIFY_FAILED', `block ${block} reads back ${toHex(got)}, wrote ${toHex(target[block])}`, block);
      }
    });

    await run('write-trailers', async () => {
      for (const s of sectors.filter((x) => x !== 0).reverse()) await writeTrailer(s);
    });

    await run('write-mad', async () => {
      for (const block of MAD_BLOCKS) await writeChecked(block);
    });

    await run('write-sector-0-trailer', () => writeTrailer(0));

    await run('verify-keys', async () => {
      for (const s of sectors) {
        const trailer = trailerBlock(s);
        await session.authenticate(trailer, keyA(s));
        for (let block = trailer - 3; block < trailer; block++) {
          if (block === 0) continue; // manufacturer block: never written
          const got = await session.read(block);
          if (!bytesEqual(got, target[block])) fail('VERIFY_FAILED', `block ${block} reads back ${toHex(got)} with the new key A, expected ${toHex(target[block])}`, block);
        }
        // Key A reads as zeros and key B is not readable under (0,1,1): compare access bits and GPB.
        const t = await session.read(trailer);
        if (!bytesEqual(t.subarray(6, 10), target[trailer].subarray(6, 10))) {
          fail('VERIFY_FAILED', `trailer ${trailer} reads back access bits/GPB ${toHex(t.subarray(6, 10))}, expected ${toHex(target[trailer].subarray(6, 10))}`, trailer);
        }
      }
    });
  } catch (e) {
    if (e instanceof EncodeError) throw e;
    if (isCardError(e) && e.code === 'UID_CHANGED') {
      fail('UID_CHANGED', `${e.message}; HMSK keys derive from the UID, so a card whose UID changes (random ID) or a card swapped mid-encode cannot be encoded`, undefined, e);
    }
    const where = isCardError(e) && e.block !== undefined ? e.block : undefined;
    fail('STEP_FAILED', e instanceof Error ? e.message : String(e), where, e);
  }
  return finish();
}

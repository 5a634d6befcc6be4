/**
 * The tear-safe encoder of spec section 3 ("Encoding order"), over the block interface of
 * src/transport/card.ts. It writes exactly the image of image.ts (blocks 1-23; block 0 and sectors
 * 6-15 are never touched), in this order:
 *
 *   1. find each HMSK sector's current key: the derived key B (a card being re-encoded), else the
 *      transport key A FF..FF (on a blank card key B is readable, so the chip refuses it: MF1S50
 *      Table 7 note); refuse a card that is neither blank nor ours, saying what was found
 *   2. record blocks except block 4, then the signature blocks, then block 4 (the commit)
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
import { buildCardImage, type CardImageInput } from './image.js';
import { parseMad, HMSK_AID } from './mad.js';
import { GATE_BLOCK, MAD_BLOCKS, RECORD_BLOCKS, SIGNATURE_BLOCKS, TRANSPORT_KEY, hmskSectors, sectorOf, trailerBlock } from './layout.js';
import { CardSession, type SectorKey } from './session.js';
import { needBytesOfLength, needObject, needOptions, needInteger, needCard } from '../codec/guard.js';
import type { ErrorKind } from '../codec/errors.js';

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

export type EncodeCardErrorCode = 'FOREIGN_CARD' | 'VERIFY_FAILED' | 'STEP_FAILED';

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

  /** The card or the reader failed the encoding (the CLI reports FOREIGN_CARD itself, exit 1). */
  get kind(): ErrorKind {
    return 'device';
  }

  /** The card left the field: present it again and rerun the encoder. */
  get removed(): boolean {
    return isCardError(this.cause) && this.cause.removed;
  }
}

/** Throws unless the trailer's access bits pass the inverted-copy check (spec section 3: MUST NEVER). */
export function assertTrailerSafe(trailer: Uint8Array, block: number): void {
  needBytesOfLength('assertTrailerSafe', 'trailer', trailer, [16]);
  needInteger('assertTrailerSafe', 'block', block, 0, 63);
  if (trailer.length !== 16 || !accessBitsValid(trailer.subarray(6, 9))) {
    throw new Error(`refusing to write trailer block ${block}: its access bits fail the inverted-copy check and would lock the sector for ever`);
  }
}

const TRANSPORT: SectorKey = { keyType: 'A', key: TRANSPORT_KEY };

/** Encodes `card` with the holder and keys of `input`; resolves with the report. */
export async function encodeCard(card: MifareClassicCard, input: EncodeInput, opts: EncodeCardOptions = {}): Promise<EncodeReport> {
  needCard('encodeCard', card);
  needObject('encodeCard', 'input', input);
  needOptions('encodeCard', 'opts', opts);
  const clock = opts.clock ?? (() => performance.now());
  const started = clock();
  const target = buildCardImage({ ...input, uid: card.uid });
  const signed = input.signingKey !== undefined;
  const sectors = hmskSectors(signed);
  const session = new CardSession(card);
  const keyB = (s: number): SectorKey => ({ keyType: 'B', key: target[trailerBlock(s)].slice(10, 16) });
  const keyA = (s: number): SectorKey => ({ keyType: 'A', key: target[trailerBlock(s)].slice(0, 6) });
  /** The key each sector is written with now: our key B, or the transport key A. */
  const writeKey = new Map<number, SectorKey>();

  const report: EncodeReport = { uid: toHex(card.uid), signed, found: 'blank', steps: [], operations: 0, auths: 0, reads: 0, writes: 0, ms: 0 };
  const finish = () => {
    Object.assign(report, { operations: session.operations, auths: session.auths, reads: session.reads, writes: session.writes, ms: clock() - started });
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
      const found: string[] = [];
      for (const s of sectors) {
        const block = trailerBlock(s);
        if (await session.tryAuthenticate(block, keyB(s))) writeKey.set(s, keyB(s));
        else if (await session.tryAuthenticate(block, TRANSPORT)) writeKey.set(s, TRANSPORT);
        else found.push(`sector ${s}: neither the derived key B nor the transport key authenticates`);
      }
      if (found.length) fail('FOREIGN_CARD', `not a blank card and not ours (another issuer, or other master keys): ${found.join('; ')}`);
      const ours = sectors.filter((s) => writeKey.get(s) !== TRANSPORT).length;
      report.found = ours === 0 ? 'blank' : ours === sectors.length ? 'ours' : 'partial';
      // A transport-keyed sector 0 or 1 must hold nothing but ours: no foreign MAD, no foreign block 4.
      if (writeKey.get(0) === TRANSPORT) {
        await session.ensure(MAD_BLOCKS[0], TRANSPORT);
        const [m1, m2] = [await session.read(MAD_BLOCKS[0]), await session.read(MAD_BLOCKS[1])];
        if (!isZero(m1) || !isZero(m2)) {
          let aids = 'no valid MAD (bad CRC)';
          try {
            const mad = parseMad(m1, m2);
            if (mad.aids.slice(0, 3).every((a) => a === HMSK_AID)) aids = '';
            else aids = `a MAD listing AIDs ${mad.aids.map((a) => a.toString(16).padStart(4, '0')).join(' ')}`;
          } catch {
            /* keep the bad-CRC description */
          }
          if (aids) fail('FOREIGN_CARD', `sector 0 has transport keys but holds ${aids}: another application's card`, MAD_BLOCKS[0]);
        }
      }
      if (writeKey.get(1) === TRANSPORT) {
        await session.ensure(GATE_BLOCK, TRANSPORT);
        const b4 = await session.read(GATE_BLOCK);
        if (!isZero(b4) && b4[0] !== 0x48) fail('FOREIGN_CARD', `block 4 has transport keys but holds foreign data (first byte 0x${toHex(b4.subarray(0, 1))}, not the HMSK tag 0x48)`, GATE_BLOCK);
      }
    });

    // Record blocks except the gate block, then the signature blocks, then the gate block (the commit).
    const dataBlocks = [...RECORD_BLOCKS.filter((b) => b !== GATE_BLOCK), ...(signed ? SIGNATURE_BLOCKS : []), GATE_BLOCK];
    await run('write-record', async () => {
      for (const block of dataBlocks) await writeChecked(block);
    });

    await run('verify-record', async () => {
      for (const block of dataBlocks) {
        await session.ensure(block, writeKey.get(sectorOf(block))!);
        const got = await session.read(block);
        if (!bytesEqual(got, target[block])) fail('VERIFY_FAILED', `block ${block} reads back ${toHex(got)}, wrote ${toHex(target[block])}`, block);
      }
    });

    const writeTrailer = async (s: number) => {
      const block = trailerBlock(s);
      assertTrailerSafe(target[block], block);
      await writeChecked(block);
      session.forget(); // the sector's keys changed under the session
      writeKey.set(s, keyB(s));
    };
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
    const where = isCardError(e) && e.block !== undefined ? e.block : undefined;
    fail('STEP_FAILED', e instanceof Error ? e.message : String(e), where, e);
  }
  return finish();
}

function isZero(b: Uint8Array): boolean {
  return b.every((x) => x === 0);
}

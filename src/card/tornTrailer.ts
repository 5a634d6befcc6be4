/**
 * Recovering a sector whose trailer write was torn (the card left the field mid-write: some bytes
 * new, some old; issue 13's fault model, VirtualMifareClassic1K.tearWrite). Only keys the encoder
 * knows are tried, each failure costing a re-activation (a failed authentication silences the
 * chip, MF1S50: see src/testing/virtualCard.ts), and only on a sector neither usual key opened:
 *
 * - the sector's new key A (the write got past key A) with the old access bits still the transport
 *   ones FF 07 80: under trailer condition (0,0,1) key A may write the whole trailer (MF1S50
 *   Table 7), so the encoder goes on with key A;
 * - the new key A with the new access bits 78 77 88 already in place but key B still the
 *   transport FF..FF: under (0,1,1) key B is not readable, so it serves for authentication and
 *   may write the trailer (Table 7 and its note [1]), so the encoder goes on with key B = FF..FF.
 *
 * A mixed key, or access bits that fail their inverted-copy check ("the whole sector is
 * irreversibly blocked", datasheet 8.7.1), cannot be recovered: the caller reports SECTOR_LOCKED.
 */
import { bytesEqual } from '../codec/hex.js';
import { HMSK_ACCESS_BYTES, TRANSPORT_ACCESS_BYTES, TRANSPORT_KEY, trailerBlock } from './layout.js';
import type { CardSession, SectorKey } from './session.js';

/** The key to go on writing sector `s` with after a torn trailer write, or undefined. */
export async function recoverTornTrailer(session: CardSession, s: number, newKeyA: Uint8Array): Promise<SectorKey | undefined> {
  const t = trailerBlock(s);
  const keyA: SectorKey = { keyType: 'A', key: newKeyA };
  if (!(await session.tryAuthenticate(t, keyA))) return undefined;
  // Key A may read the access bits under both conditions in question (Table 7, rows 001 and 011).
  const bits = (await session.read(t)).subarray(6, 9);
  if (bytesEqual(bits, TRANSPORT_ACCESS_BYTES)) return keyA;
  if (!bytesEqual(bits, HMSK_ACCESS_BYTES)) return undefined;
  const oldB: SectorKey = { keyType: 'B', key: TRANSPORT_KEY };
  return (await session.tryAuthenticate(t, oldB)) ? oldB : undefined;
}

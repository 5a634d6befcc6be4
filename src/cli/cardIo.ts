/**
 * File and reader plumbing of `hmskort card`: the keys file, card images (`{"blocks": [64 hex]}`,
 * keys included, so written with mode 0600), and the card on the chosen reader.
 */
import { writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { EXIT, InputError, UsageError, type CliContext } from './command.js';
import { readJsonFile } from './files.js';
import { requiredMessage } from './options.js';
import { OPTIONS } from './definitions.js';
import { openReader } from './readerSelect.js';
import { KeysFileError, parseKeysFile, type KeyRing } from '../card/keys.js';
import { toHex, tryFromHex } from '../codec/hex.js';
import type { FullRead } from '../card/readers.js';
import type { EncodeReport } from '../card/encoder.js';
import { isCardError, type CardError, type CardReader, type MifareClassicCard } from '../transport/card.js';
import { VirtualMifareClassic1K } from '../testing/virtualCard.js';
import type { ErrorKind } from '../codec/errors.js';

/** A keys file that does not parse: bad input data (exit 3), the message names the field only. */
export class KeysInputError extends Error {
  override readonly name = 'KeysInputError';
  readonly code = 'KEYS_FILE';
  get kind(): ErrorKind {
    return 'config';
  }
}

export async function loadKeys(path: string | undefined, ctx: CliContext): Promise<KeyRing> {
  // Required by most commands' declarations; `card dump` and `card verify` need it only sometimes.
  if (!path) throw new UsageError(requiredMessage('--keys', OPTIONS.keys.value));
  const json = await readJsonFile(path, ctx.cwd);
  try {
    return parseKeysFile(json);
  } catch (e) {
    if (e instanceof KeysFileError) throw new KeysInputError(`keys file ${path}: ${e.message}`);
    throw e;
  }
}

/** Parses a card image: `{"blocks": [64 hex strings]}` or a bare array of them. */
export function parseImageJson(json: unknown, what: string): Uint8Array[] {
  const list = Array.isArray(json) ? json : (json as { blocks?: unknown } | null)?.blocks;
  if (!Array.isArray(list) || list.length !== 64) throw new InputError(`${what}: expected {"blocks": [64 hex strings]}${Array.isArray(list) ? `, got ${list.length} blocks` : ''}`);
  return list.map((b, i) => {
    const bytes = typeof b === 'string' ? tryFromHex(b) : undefined;
    if (!bytes || bytes.length !== 16) throw new InputError(`${what}: block ${i} is not 16 bytes of hex`);
    return bytes;
  });
}

export async function readImageFile(path: string, ctx: CliContext): Promise<Uint8Array[]> {
  return parseImageJson(await readJsonFile(path, ctx.cwd), path);
}

/** Writes a card image with its keys: owner-only permissions. */
export async function writeImageFile(path: string, blocks: readonly Uint8Array[] | readonly string[], ctx: CliContext): Promise<void> {
  const hex = blocks.map((b) => (typeof b === 'string' ? b : toHex(b)));
  await writeFile(resolve(ctx.cwd, path), JSON.stringify({ blocks: hex }, null, 1) + '\n', { mode: 0o600 });
}

export interface OpenedCard {
  reader: CardReader;
  card: MifareClassicCard;
}

/** Opens `--reader` and waits for a card (the virtual reader has one at once). */
export async function cardOnReader(
  spec: string,
  opts: { uid?: Uint8Array; imageIn?: string; timeoutMs?: number; profile?: string; exclusive?: boolean },
  ctx: CliContext,
): Promise<OpenedCard> {
  const uid = opts.uid;
  const image = opts.imageIn === undefined ? undefined : await readImageFile(opts.imageIn, ctx);
  const reader = await openReader(spec, { uid, image, signal: ctx.signal, env: ctx.env, profile: opts.profile, exclusive: opts.exclusive });
  try {
    const card = await reader.waitForCard({ timeoutMs: opts.timeoutMs, signal: ctx.signal });
    return { reader, card };
  } catch (e) {
    await reader.close();
    throw e;
  }
}

/** The card's full memory when it is a virtual card (keys included), else undefined. */
export function virtualMemory(card: MifareClassicCard): string[] | undefined {
  return card instanceof VirtualMifareClassic1K ? card.exportBlocks() : undefined;
}

/** A full read as JSON output (no keys: trailers are as the chip shows them). */
export function fullReadJson(r: FullRead): Record<string, unknown> {
  return {
    uid: r.uid,
    valid: r.holder !== undefined,
    holder: r.holder,
    signature: r.signature,
    keyId: r.keyId,
    mad: r.mad,
    error: r.error ? { code: r.error.code, message: r.error.message } : undefined,
    record: toHex(r.record),
  };
}

/**
 * The card commands of an encode, for every place that prints one: authentications with the failed
 * ones, the re-activations they cost (a failed authentication silences a MIFARE Classic until it is
 * re-activated), reads and writes.
 */
export function encodeCounts(r: Pick<EncodeReport, 'auths' | 'failedAuths' | 'reactivations' | 'reads' | 'writes'>): string {
  return `${r.auths} auth, ${r.failedAuths} failed auth, ${r.reactivations} re-activation${r.reactivations === 1 ? '' : 's'}, ${r.reads} read, ${r.writes} write`;
}

/**
 * A card that refuses our keys (a blank, a foreign card, a sector locked to us) is the check
 * failing, exit 1 as the help says, not a device error (issue 19 item 22). A card that left the
 * field, a time-out or a reader fault stays exit 4 (thrown on to main.ts).
 */
export function refusedCard(e: unknown): e is CardError {
  return isCardError(e) && (e.code === 'AUTH_FAILED' || e.code === 'ACCESS_DENIED');
}

export function reportRefused(e: CardError, uid: Uint8Array, json: boolean | undefined, ctx: CliContext): number {
  if (json) ctx.stdout(JSON.stringify({ uid: toHex(uid), refused: true, error: { code: e.code, message: e.message, ...(e.sector === undefined ? {} : { sector: e.sector }) } }) + '\n');
  else ctx.stdout(`card ${toHex(uid)}: REFUSED: ${e.message} (a blank card, or one not encoded with these keys)\n`);
  return EXIT.FAILED;
}

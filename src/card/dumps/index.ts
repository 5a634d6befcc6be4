/**
 * Dump files of a MIFARE Classic 1K card: read any of the three formats (detected from the
 * content), write any of them. See binary.ts, proxmark.ts, mct.ts for the formats.
 */
import { parseBinaryDump, writeBinaryDump } from './binary.js';
import { parseMctDump, writeMctDump } from './mct.js';
import { parseProxmarkDump, writeProxmarkDump } from './proxmark.js';
import { DumpFormatError, type CardDump, type DumpFormat } from './types.js';
import { needBytes, needOptions, needBlocks } from '../../codec/guard.js';

export { DumpFormatError, emptyBlocks, checkBlocks, upperHex, type CardDump, type DumpFormat, type DumpErrorCode } from './types.js';
export { requireVerifiableDump } from './complete.js';
export { parseBinaryDump, writeBinaryDump, parseMctDump, writeMctDump, parseProxmarkDump, writeProxmarkDump };

/** Guesses the format: JSON object -> proxmark, "+Sector:" text -> mct, 1024 bytes -> mfd. */
export function detectDumpFormat(bytes: Uint8Array): DumpFormat | undefined {
  needBytes('detectDumpFormat', 'bytes', bytes);
  let i = 0;
  while (i < bytes.length && (bytes[i] === 0x20 || bytes[i] === 0x09 || bytes[i] === 0x0a || bytes[i] === 0x0d || bytes[i] === 0xef || bytes[i] === 0xbb || bytes[i] === 0xbf)) i++;
  if (bytes[i] === 0x7b) return 'proxmark'; // '{'
  if (bytes[i] === 0x2b && new TextDecoder().decode(bytes.subarray(i, i + 8)) === '+Sector:') return 'mct';
  if (bytes.length === 1024) return 'mfd';
  return undefined;
}

/** Reads a dump file's bytes in the given (or detected) format. */
export function readDump(bytes: Uint8Array, format?: DumpFormat): CardDump {
  needBytes('readDump', 'bytes', bytes);
  if (format === undefined) format = detectDumpFormat(bytes);
  if (format === 'mfd') return { ...parseBinaryDump(bytes), format };
  const text = new TextDecoder('utf-8', { fatal: false }).decode(bytes);
  if (format === 'proxmark') return { ...parseProxmarkDump(text), format };
  if (format === 'mct') return { ...parseMctDump(text), format };
  throw new DumpFormatError('mfd', `not a known dump: ${bytes.length} bytes, neither JSON, MCT text nor a 1024-byte image`);
}

/** Writes 64 blocks in a format: bytes for mfd, text for proxmark and mct. */
export function writeDump(blocks: readonly Uint8Array[], format: DumpFormat, opts: { uid?: Uint8Array; unknownBlocks?: number[] } = {}): Uint8Array | string {
  needBlocks('writeDump', 'blocks', blocks);
  needOptions('writeDump', 'opts', opts);
  if (format === 'mfd') return writeBinaryDump(blocks);
  if (format === 'proxmark') return writeProxmarkDump(blocks, { uid: opts.uid });
  return writeMctDump(blocks, opts.unknownBlocks);
}

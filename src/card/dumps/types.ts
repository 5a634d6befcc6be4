/**
 * A MIFARE Classic 1K memory dump as dump tools store it (libnfc/Proxmark3 binary .mfd/.bin,
 * Proxmark3 JSON, MIFARE Classic Tool text): 64 blocks of 16 bytes, keys included in the
 * trailers, plus which blocks the dump did not hold (a sector the tool could not read, or a key
 * it did not know).
 */
import { BLOCK_SIZE, BLOCKS } from '../layout.js';
import { needBytes, needBlocks } from '../../codec/guard.js';
import type { ErrorKind } from '../../codec/errors.js';

export interface CardDump {
  /** 64 blocks of 16 bytes; bytes the dump did not hold are 0x00. */
  blocks: Uint8Array[];
  /** Block numbers of which the dump held some or none of the bytes, ascending. */
  unknownBlocks: number[];
  /** Card data the format stores beside the memory (Proxmark3 JSON "Card"). */
  card?: { uid?: Uint8Array; atqa?: Uint8Array; sak?: number };
  /** The format the dump was read from, where known. */
  format?: DumpFormat;
}

export type DumpFormat = 'mfd' | 'proxmark' | 'mct';

/**
 * DUMP_FORMAT: the file is not a dump this reader understands (bad JSON, a bad line).
 * DUMP_INCOMPLETE: a well-formed dump without blocks the task needs (dumps.ts requireBlocksFor...).
 */
export type DumpErrorCode = 'DUMP_FORMAT' | 'DUMP_INCOMPLETE';

/** A dump file that cannot be used: bad input data. `file` names it where the caller said. */
export class DumpFormatError extends Error {
  override readonly name = 'DumpFormatError';
  readonly code: DumpErrorCode;
  /** Bad input data (CLI exit 3). */
  get kind(): ErrorKind {
    return 'data';
  }
  readonly format: DumpFormat;
  /** 1-based line of a text dump, where known. */
  readonly line?: number;
  readonly file?: string;
  /** Block numbers missing (DUMP_INCOMPLETE). */
  readonly blocks?: readonly number[];
  constructor(format: DumpFormat, message: string, line?: number, opts: { code?: DumpErrorCode; file?: string; blocks?: readonly number[] } = {}) {
    super(`${opts.file === undefined ? '' : `${opts.file}: `}${format} dump: ${message}${line === undefined ? '' : ` (line ${line})`}`);
    this.code = opts.code ?? 'DUMP_FORMAT';
    this.format = format;
    this.line = line;
    this.file = opts.file;
    this.blocks = opts.blocks;
  }
}

export function emptyBlocks(): Uint8Array[] {
  return Array.from({ length: BLOCKS }, () => new Uint8Array(BLOCK_SIZE));
}

export function checkBlocks(blocks: readonly Uint8Array[], format: DumpFormat): void {
  needBlocks('checkBlocks', 'blocks', blocks);
  if (blocks.length !== BLOCKS || blocks.some((b) => b.length !== BLOCK_SIZE)) {
    throw new DumpFormatError(format, `a 1K image is ${BLOCKS} blocks of ${BLOCK_SIZE} bytes`);
  }
}

const HEX = '0123456789ABCDEF';
/** Upper-case hex, as the dump tools write it. */
export function upperHex(b: Uint8Array): string {
  needBytes('upperHex', 'bytes', b);
  let s = '';
  for (const x of b) s += HEX[x >> 4] + HEX[x & 15];
  return s;
}

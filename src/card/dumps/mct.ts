/**
 * The MIFARE Classic Tool (Android app, github.com/ikarus23/MifareClassicTool) text dump:
 *
 *   +Sector: 0
 *   <32 hex digits: block 0>          (one line per block, upper case)
 *   ...
 *   +Sector: 1
 *   *No keys found or dead sector     (a sector MCT could not read: "*" line instead of blocks)
 *
 * "-" stands for bytes MCT could not read: a whole block "--------------------------------"
 * (NO_DATA), an unknown key "------------" (NO_KEY) inside a trailer. Rules as MCT's
 * Common.isValidDump checks them: a header "+Sector: N", then 4 blocks (1K sectors) of 32
 * characters of hex or "-", no sector twice. This parser reads 1K dumps (sectors 0-15).
 */
import { BLOCK_SIZE, BLOCKS_PER_SECTOR, SECTORS } from '../layout.js';
import { checkBlocks, DumpFormatError, emptyBlocks, upperHex, type CardDump } from './types.js';
import { needString, needArray, needBlocks } from '../../codec/guard.js';

export function parseMctDump(text: string): CardDump {
  needString('parseMctDump', 'text', text);
  const blocks = emptyBlocks();
  const known = new Array<boolean>(SECTORS * BLOCKS_PER_SECTOR).fill(false);
  const seen = new Set<number>();
  const lines = text.split(/\r?\n/);
  let sector = -1;
  let inSector = BLOCKS_PER_SECTOR;
  lines.forEach((raw, idx) => {
    const line = raw.trim();
    const lineNo = idx + 1;
    if (line === '') return;
    const header = /^\+Sector: ([0-9]{1,2})$/.exec(line);
    if (header) {
      if (inSector !== BLOCKS_PER_SECTOR && inSector !== -1) throw new DumpFormatError('mct', `sector ${sector} has ${inSector} blocks, not 4`, lineNo);
      sector = Number(header[1]);
      if (sector >= SECTORS) throw new DumpFormatError('mct', `sector ${sector} is beyond a 1K card (sectors 0-15)`, lineNo);
      if (seen.has(sector)) throw new DumpFormatError('mct', `sector ${sector} appears twice (several dumps in one file?)`, lineNo);
      seen.add(sector);
      inSector = 0;
      return;
    }
    if (sector < 0) throw new DumpFormatError('mct', 'expected "+Sector: N" first', lineNo);
    if (line.startsWith('*')) {
      if (inSector !== 0) throw new DumpFormatError('mct', `"*" line inside sector ${sector}`, lineNo);
      inSector = -1; // the sector was not read: all its blocks stay unknown
      return;
    }
    if (inSector === -1 || inSector === BLOCKS_PER_SECTOR) throw new DumpFormatError('mct', `sector ${sector} has more than 4 blocks`, lineNo);
    if (!/^[0-9A-Fa-f-]{32}$/.test(line)) throw new DumpFormatError('mct', 'a block line is 32 characters of hex or "-"', lineNo);
    const block = sector * BLOCKS_PER_SECTOR + inSector;
    let complete = true;
    for (let i = 0; i < BLOCK_SIZE; i++) {
      const pair = line.slice(2 * i, 2 * i + 2);
      if (pair.includes('-')) {
        if (pair !== '--') throw new DumpFormatError('mct', 'a byte is two hex digits or "--"', lineNo);
        complete = false;
      } else blocks[block][i] = parseInt(pair, 16);
    }
    known[block] = complete;
    inSector++;
  });
  if (inSector !== BLOCKS_PER_SECTOR && inSector !== -1) throw new DumpFormatError('mct', `sector ${sector} has ${inSector} blocks, not 4`, lines.length);
  if (seen.size === 0) throw new DumpFormatError('mct', 'no "+Sector: N" line');
  return { blocks, unknownBlocks: known.flatMap((k, i) => (k ? [] : [i])) };
}

/**
 * Writes the MCT text dump: every sector, upper-case hex, unknown blocks as NO_DATA dashes;
 * lines end with "\n" (as MCT's example dump file does).
 */
export function writeMctDump(blocks: readonly Uint8Array[], unknownBlocks: readonly number[] = []): string {
  needBlocks('writeMctDump', 'blocks', blocks);
  needArray('writeMctDump', 'unknownBlocks', unknownBlocks);
  checkBlocks(blocks, 'mct');
  const unknown = new Set(unknownBlocks);
  let out = '';
  for (let s = 0; s < SECTORS; s++) {
    out += `+Sector: ${s}\n`;
    for (let b = s * BLOCKS_PER_SECTOR; b < (s + 1) * BLOCKS_PER_SECTOR; b++) out += (unknown.has(b) ? '-'.repeat(32) : upperHex(blocks[b])) + '\n';
  }
  return out;
}

/**
 * `hmskort card verify DUMP` and `hmskort card dump --format ...`: a card's memory as a file.
 * Files read: our card image `{"blocks": [64 hex]}`, and the dump formats of src/card/dumps
 * (1024-byte binary .mfd/.bin, Proxmark3 JSON, MIFARE Classic Tool text).
 */
import { readFile, writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { EXIT, UsageError, type CliContext } from './command.js';
import type { Values } from './declare.js';
import { FileReadError, checkOutputFile } from './files.js';
import { cardOnReader, loadKeys, parseImageJson, refusedCard, reportRefused } from './cardIo.js';
import { HmskError } from '../codec/errors.js';
import { toHex } from '../codec/hex.js';
import { fullRead } from '../card/readers.js';
import { verifyCardImage } from '../card/verify.js';
import { deriveKey } from '../card/kdf.js';
import { MAD_KEY_A, TRANSPORT_KEY, trailerBlock } from '../card/layout.js';
import { isCardError, type MifareClassicCard } from '../transport/card.js';
import { readDump, requireVerifiableDump, writeDump, type CardDump, type DumpFormat } from '../card/dumps/index.js';

/** Reads a dump or card image file: 64 blocks (and the UID where the format stores it). */
export async function readDumpFile(path: string, ctx: CliContext): Promise<CardDump> {
  let bytes: Buffer;
  try {
    bytes = await readFile(resolve(ctx.cwd, path));
  } catch (e) {
    throw new FileReadError(path, e);
  }
  const text = bytes.toString('utf8');
  if (bytes.length !== 1024 && /^\s*[{[]/.test(text)) {
    let json: unknown;
    try {
      json = JSON.parse(text) as unknown;
    } catch {
      /* not JSON: the dump formats say what is wrong */
    }
    // Our card image, well-formed or not: its own error (a Proxmark error about "FileType" would
    // mislead, issue 19 item 16).
    if (Array.isArray(json) || Array.isArray((json as { blocks?: unknown } | undefined)?.blocks)) return { blocks: parseImageJson(json, path), unknownBlocks: [] };
  }
  return readDump(new Uint8Array(bytes));
}

/** The UID from block 0: 4 bytes when byte 4 is their BCC, else 7 (spec section 3, block 0). */
function uidOf(block0: Uint8Array): Uint8Array {
  return (block0[0] ^ block0[1] ^ block0[2] ^ block0[3]) === block0[4] ? block0.slice(0, 4) : block0.slice(0, 7);
}

/** The options of `card verify`. */
export const VERIFY = {
  keys: { help: 'keys file; its publicKeys check the signature' },
  uid: { help: "the card's UID (4, 7 or 10 bytes) when the dump does not hold it", bytes: [4, 7, 10] },
  json: {},
} as const;

export async function verifyCommand(values: Values<typeof VERIFY>, positionals: string[], ctx: CliContext): Promise<number> {
  if (positionals.length !== 1) throw new UsageError('card verify: give exactly one DUMP file');
  const dump = await readDumpFile(positionals[0], ctx);
  const blocks = requireVerifiableDump(dump, positionals[0], values.uid !== undefined || dump.card?.uid !== undefined);
  const uid = values.uid ?? dump.card?.uid ?? uidOf(blocks[0]);
  const publicKeys = values.keys ? (await loadKeys(values.keys, ctx)).publicKeys : new Map<number, Uint8Array>();
  try {
    const v = verifyCardImage(blocks, uid, publicKeys);
    if (values.json) ctx.stdout(JSON.stringify({ uid: toHex(uid), valid: true, ...v }, null, 1) + '\n');
    else {
      ctx.stdout(`${positionals[0]}: valid, signature ${v.signature}${v.keyId !== undefined ? ` (key ${v.keyId})` : ''}\n`);
      for (const [k, val] of Object.entries(v.holder)) ctx.stdout(`  ${k.padEnd(12)}${String(val)}\n`);
    }
    return EXIT.OK;
  } catch (e) {
    if (!(e instanceof HmskError)) throw e;
    if (values.json) ctx.stdout(JSON.stringify({ uid: toHex(uid), valid: false, error: { code: e.code, message: e.message, where: e.where } }, null, 1) + '\n');
    else ctx.stdout(`${positionals[0]}: INVALID: ${e.message}\n`);
    return EXIT.FAILED;
  }
}

/** Reads sector `s` with the transport key A into `blocks`, if that key opens it (else leaves zeros). */
async function readTransportSector(card: MifareClassicCard, s: number, blocks: Uint8Array[]): Promise<boolean> {
  try {
    await card.authenticate(trailerBlock(s), 'A', TRANSPORT_KEY);
    for (let b = trailerBlock(s) - 3; b <= trailerBlock(s); b++) blocks[b] = await card.readBlock(b);
    blocks[trailerBlock(s)].set(TRANSPORT_KEY, 0);
    return true;
  } catch (e) {
    if (!isCardError(e) || e.removed) throw e;
    await card.reactivate(); // the chip is silent after a failed authentication (MF1S50)
    return false;
  }
}

/** The options of `card dump`. */
export const DUMP = {
  format: { required: true },
  out: { help: 'write the dump to FILE (mode 0600; needed for mfd, else stdout)' },
  reader: {},
  keys: {},
  uid: {},
  'image-in': { help: 'the card image or dump to convert: {"blocks": [64 hex]}, .mfd, Proxmark JSON, MCT text' },
} as const;

export async function dumpCommand(values: Values<typeof DUMP>, _positionals: string[], ctx: CliContext): Promise<number> {
  const format = values.format as DumpFormat;
  if (values.out !== undefined) await checkOutputFile(values.out, '--out', ctx.cwd);
  let blocks: Uint8Array[];
  let uid: Uint8Array | undefined;
  const unknown = new Set<number>();
  if (values.reader) {
    const keys = await loadKeys(values.keys, ctx);
    const { reader, card } = await cardOnReader(values.reader, { uid: values.uid, imageIn: values['image-in'] }, ctx);
    try {
      let r;
      try {
        r = await fullRead(card, { readMaster: keys.readMaster, publicKeys: keys.publicKeys });
      } catch (e) {
        // A blank or foreign card: our keys do not open it (exit 1, as card read says; issue 19 item 22).
        if (!refusedCard(e)) throw e;
        return reportRefused(e, card.uid, false, ctx);
      }
      blocks = r.blocks;
      uid = card.uid;
      // The chip never shows key A: put back the keys this keys file knows (as dump tools do).
      const signed = r.blocks[trailerBlock(4)].some((b) => b !== 0);
      for (let s = 0; s <= (signed ? 5 : 3); s++) {
        const t = blocks[trailerBlock(s)];
        t.set(s === 0 ? MAD_KEY_A : deriveKey(keys.readMaster, card.uid, s, 'A'), 0);
        const wm = keys.writeMaster;
        if (wm) t.set(deriveKey(wm, card.uid, s, 'B'), 10);
        else unknown.add(trailerBlock(s)); // key B is not readable and not derivable here
      }
      // Sectors the card does not use for HMSK: read them where the transport key opens them.
      for (let s = signed ? 6 : 4; s < 16; s++) {
        if (!(await readTransportSector(card, s, blocks))) for (let b = trailerBlock(s) - 3; b <= trailerBlock(s); b++) unknown.add(b);
      }
    } finally {
      await reader.close();
    }
  } else if (values['image-in']) {
    const dump = await readDumpFile(values['image-in'], ctx);
    blocks = dump.blocks;
    uid = dump.card?.uid ?? uidOf(blocks[0]);
    for (const b of dump.unknownBlocks) unknown.add(b);
  } else throw new UsageError('card dump needs --reader R --keys KEYS.json, or --image-in FILE');
  const out = writeDump(blocks, format, { uid, unknownBlocks: [...unknown].sort((a, b) => a - b) });
  if (values.out) await writeFile(resolve(ctx.cwd, values.out), out, { mode: 0o600 });
  else if (typeof out === 'string') ctx.stdout(out);
  else throw new UsageError('--format mfd is binary: give --out FILE');
  return EXIT.OK;
}

/**
 * `hmskort card encode|read|verify|void|dump`: the MIFARE Classic card layer (spec sections 3 and
 * 5) on a reader. Secret keys are never printed; card images hold keys and are written 0600.
 */
import { EXIT, UsageError, type CliContext } from '../command.js';
import { declare, defineGroup, type Values } from '../declare.js';
import { checkOutputFiles, readJsonFile } from '../files.js';
import { cardOnReader, encodeCounts, fullReadJson, loadKeys, refusedCard, reportRefused, virtualMemory, writeImageFile } from '../cardIo.js';
import { DUMP, dumpCommand, VERIFY, verifyCommand } from '../cardDump.js';
import { encodeCard, EncodeError } from '../../card/encoder.js';
import { buildCardImage } from '../../card/image.js';
import { fullRead, gateRead, type FullRead } from '../../card/readers.js';
import { voidCard } from '../../card/void.js';
import { toHex } from '../../codec/hex.js';
import type { MifareClassicCard } from '../../transport/card.js';
import type { PublicKeys } from '../../card/signature.js';
import type { HolderInput } from '../../codec/types.js';

const description = `Encodes, reads, verifies and voids HMS cards (spec sections 3 and 5); dump writes a card's
memory in the format of another tool.
Exit status: 0 ok; 1 card does not verify or was refused (a blank or foreign card: our keys do not
open it); 2 usage; 3 bad input (keys file, dump, incomplete dump, profile file); 4 device error
(reader, card removed, time-out).`;

/** The options of every sub-command that works on a card on a reader. */
const COMMON = { keys: { required: true }, reader: { required: true }, uid: {}, 'image-in': {}, 'image-out': {}, timeout: {}, profile: {}, json: {} } as const;
const ENCODE = { ...COMMON, truncate: {} } as const;
const READ = { ...COMMON, gate: {} } as const;

async function encode(values: Values<typeof ENCODE>, positionals: string[], ctx: CliContext): Promise<number> {
  if (positionals.length !== 1) throw new UsageError('card encode: give exactly one HOLDER.json');
  const holder = (await readJsonFile(positionals[0], ctx.cwd)) as HolderInput;
  const keys = await loadKeys(values.keys, ctx);
  // Before the card is touched: an image that cannot be written after encoding would be lost.
  await checkOutputFiles([['--image-out', values['image-out']]], ctx.cwd);
  const input = {
    holder,
    readMaster: keys.readMaster,
    writeMaster: keys.requireWriteMaster(),
    truncate: values.truncate,
    ...(keys.signingKey ? { signingKey: keys.signingKey, keyId: keys.keyId } : {}),
  };
  const { reader, card } = await cardOnReader(values.reader, { uid: values.uid, imageIn: values['image-in'], timeoutMs: values.timeout, profile: values.profile, exclusive: true }, ctx);
  try {
    const progress = ctx.isTTY && !values.json ? (p: { step: string; index: number; total: number }) => ctx.stderr(`[${p.index + 1}/${p.total}] ${p.step}\n`) : undefined;
    let report;
    try {
      report = await encodeCard(card, input, { onProgress: progress });
    } catch (e) {
      if (!(e instanceof EncodeError)) throw e;
      // A step the reader or the card failed is a device error: printed, and its status chosen from
      // its kind, by main.ts (exitStatus.ts). The other codes are this card failing the check
      // (foreign, random ID, locked, not verifying): exit 1, as the help says.
      if (e.code !== 'STEP_FAILED') ctx.stderr(`hmskort card encode: ${e.message}\n`);
      // Only a card that stopped part-way can be completed by running again; a foreign, random-ID or locked card cannot.
      if (e.code === 'STEP_FAILED' || e.code === 'VERIFY_FAILED') ctx.stderr('The card is not finished: present it again and run the same command to complete it.\n');
      ctx.stderr(`  card commands so far: ${e.report.operations} (${encodeCounts(e.report)})\n`);
      if (values.json) ctx.stdout(JSON.stringify({ ok: false, code: e.code, step: e.step, block: e.block, report: e.report }) + '\n');
      if (e.code === 'STEP_FAILED') throw e;
      return EXIT.FAILED;
    }
    if (values['image-out']) {
      const memory = virtualMemory(card) ?? buildCardImage({ ...input, uid: card.uid }).map(toHex);
      await writeImageFile(values['image-out'], memory, ctx);
    }
    if (values.json) ctx.stdout(JSON.stringify({ ok: true, ...report }, null, 1) + '\n');
    else {
      ctx.stdout(`encoded card ${report.uid} (${report.found === 'blank' ? 'was blank' : report.found === 'ours' ? 're-encoded' : 'completed a torn card'}, ${report.signed ? 'signed' : 'unsigned'})\n`);
      for (const s of report.steps) ctx.stdout(`  ${s.name.padEnd(24)}${String(s.operations).padStart(4)} ops ${s.ms.toFixed(1).padStart(8)} ms\n`);
      ctx.stdout(`  ${'total'.padEnd(24)}${String(report.operations).padStart(4)} ops ${report.ms.toFixed(1).padStart(8)} ms  (${encodeCounts(report)})\n`);
      if (report.cleared.length) ctx.stdout(`  signature sectors ${report.cleared.join(', ')} put back to blank (unsigned re-encode of a signed card)\n`);
    }
    return EXIT.OK;
  } finally {
    await reader.close();
  }
}

function printFull(r: FullRead, ctx: CliContext): void {
  if (r.holder) {
    ctx.stdout(`card ${r.uid}: valid, signature ${r.signature}${r.keyId !== undefined ? ` (key ${r.keyId})` : ''}\n`);
    for (const [k, v] of Object.entries(r.holder)) ctx.stdout(`  ${k.padEnd(12)}${String(v)}\n`);
  } else ctx.stdout(`card ${r.uid}: INVALID: ${r.error?.message}\n`);
  if (r.mad) ctx.stdout(`  ${'MAD'.padEnd(12)}info 0x${r.mad.infoByte.toString(16).padStart(2, '0')}, AIDs ${r.mad.aids.slice(0, 5).map((a) => a.toString(16).padStart(4, '0')).join(' ')} ...\n`);
}

async function read(values: Values<typeof READ>, _positionals: string[], ctx: CliContext): Promise<number> {
  const keys = await loadKeys(values.keys, ctx);
  const { reader, card } = await cardOnReader(values.reader, { uid: values.uid, imageIn: values['image-in'], timeoutMs: values.timeout, profile: values.profile }, ctx);
  try {
    return await readCard(card, keys, Boolean(values.gate), values.json, ctx);
  } catch (e) {
    if (!refusedCard(e)) throw e;
    return reportRefused(e, card.uid, values.json, ctx);
  } finally {
    await reader.close();
  }
}

async function readCard(card: MifareClassicCard, keys: { readMaster: Uint8Array; publicKeys?: PublicKeys }, gate: boolean, json: boolean | undefined, ctx: CliContext): Promise<number> {
  {
    if (gate) {
      const r = await gateRead(card, keys.readMaster);
      if (json) ctx.stdout(JSON.stringify({ uid: toHex(card.uid), holder: r.holder, gateBlock: toHex(r.gateBlock) }) + '\n');
      else for (const [k, v] of Object.entries(r.holder)) ctx.stdout(`${k.padEnd(12)}${String(v)}\n`);
      return EXIT.OK;
    }
    const r = await fullRead(card, { readMaster: keys.readMaster, publicKeys: keys.publicKeys });
    if (json) ctx.stdout(JSON.stringify(fullReadJson(r), null, 1) + '\n');
    else printFull(r, ctx);
    return r.holder ? EXIT.OK : EXIT.FAILED;
  }
}

async function voidCmd(values: Values<typeof COMMON>, _positionals: string[], ctx: CliContext): Promise<number> {
  const keys = await loadKeys(values.keys, ctx);
  const writeMaster = keys.requireWriteMaster();
  await checkOutputFiles([['--image-out', values['image-out']]], ctx.cwd);
  const { reader, card } = await cardOnReader(values.reader, { uid: values.uid, imageIn: values['image-in'], timeoutMs: values.timeout, profile: values.profile }, ctx);
  try {
    let r;
    try {
      r = await voidCard(card, { writeMaster });
    } catch (e) {
      if (!refusedCard(e)) throw e;
      return reportRefused(e, card.uid, values.json, ctx);
    }
    const memory = virtualMemory(card);
    if (values['image-out'] && memory) await writeImageFile(values['image-out'], memory, ctx);
    if (values.json) ctx.stdout(JSON.stringify({ uid: toHex(card.uid), ...r }) + '\n');
    else ctx.stdout(`voided card ${toHex(card.uid)}: block 4 ${r.before} -> ${r.after}\n`);
    return EXIT.OK;
  } finally {
    await reader.close();
  }
}

export const command = defineGroup({
  name: 'card',
  summary: 'MIFARE Classic card: encode, read, verify, void, dump',
  description,
  // Errors go to main.ts, which maps them to the exit status (src/cli/exitStatus.ts).
  subcommands: {
    encode: declare({ positionals: 'HOLDER.json', options: ENCODE, run: encode }),
    read: declare({ options: READ, run: read }),
    verify: declare({ positionals: 'DUMP', options: VERIFY, run: verifyCommand }),
    void: declare({ options: COMMON, run: voidCmd }),
    dump: declare({ options: DUMP, run: dumpCommand }),
  },
});

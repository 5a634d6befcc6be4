/**
 * `hmskort lab verify --vectors FILE --reader R --keys KEYS.json [--junit FILE] [--count N]
 *  [--image-in FILE...] [--json]`: a test lab's station. Every card presented is read in full and
 * compared with the `card` / `verify-card` vector that names its UID; a pass/fail report as text
 * (or JSON) and JUnit XML.
 */
import { writeFile } from 'node:fs/promises';
import { EXIT, UsageError, type CliContext } from '../command.js';
import { declare, defineGroup, type Values } from '../declare.js';
import { checkOutputFile, readJsonFile } from '../files.js';
import { loadKeys, parseImageJson } from '../cardIo.js';
import { openReader } from '../readerSelect.js';
import { parseVectorFile, type Vector } from '../../vectors/runner.js';
import { LabVectorError, labVectorsByUid, verifyLabCard, type LabResult } from '../../lab/verify.js';
import { labJunitXml } from '../../lab/junit.js';
import { VirtualCardReader } from '../../testing/virtualReader.js';
import { VirtualMifareClassic1K } from '../../testing/virtualCard.js';
import type { CardReader } from '../../transport/card.js';
import { waitFor } from '../../transport/wait.js';

const description = `Reads every card presented in full (spec section 5) and compares it with the vector of kind "card"
(64 blocks) or "verify-card" (holder, signature) whose uid is the card's. Stops when every such
vector was checked, after --count cards, or on Ctrl-C; then prints the report and writes JUnit XML.
With --reader virtual the cards are the --image-in files ({"blocks": [64 hex]}), or, without
them, the vectors' own expected cards (a self-check of the station).
The vectors that apply to each UID are listed before the first card. A file whose vectors expect
different cards for one UID (a signed and an unsigned card, say) is refused: no card can match
both. Name the vectors to check with --vector ID (repeat it), e.g. for test-vectors/mifare.json
  --vector card-signed-key-id-2 --vector verify-card-signed-key-id-2
Exit status: 0 every card passed; 1 a card failed; 2 usage (also an ambiguous vector set);
3 bad input file; 4 reader or I/O error (also a --junit FILE that cannot be written).`;

const VERIFY = {
  vectors: { required: true },
  reader: { required: true },
  profile: {},
  keys: { required: true },
  vector: {},
  junit: {},
  count: {},
  'image-ins': {},
  json: { help: 'print the report as JSON' },
} as const;

export const command = defineGroup({
  name: 'lab',
  summary: 'test lab: verify presented cards against vectors, JUnit report',
  description,
  subcommands: { verify: declare({ options: VERIFY, run: verify }) },
});

async function verify(values: Values<typeof VERIFY>, _positionals: string[], ctx: CliContext): Promise<number> {
  const count = values.count;
  const vectors = labPlan(parseVectorFile(await readJsonFile(values.vectors, ctx.cwd), values.vectors), values.vectors, values.vector, ctx);
  const keys = await loadKeys(values.keys, ctx);
  // Checked before the first card: a report that cannot be written is found now (issue 19 item 22).
  const junit = values.junit === undefined ? undefined : await checkOutputFile(values.junit, '--junit', ctx.cwd);

  const { reader, feed } = await openLabReader(values.reader, values['image-ins'] ?? [], [...vectors.values()], ctx, values.profile);
  if (!values.json) for (const [uid, list] of vectors) ctx.stdout(`card ${uid}: ${list.map((v) => v.id).join(', ')}\n`);
  const results: LabResult[] = [];
  const seen = new Set<string>();
  const want = count ?? vectors.size;
  try {
    while (results.length < want && !ctx.signal.aborted) {
      if (feed && !feed()) break;
      if (!feed && !values.json) ctx.stdout(`present a card (${results.length}/${want} checked)\n`);
      let card;
      try {
        card = await reader.waitForCard({ signal: ctx.signal });
      } catch (e) {
        if (ctx.signal.aborted) break;
        throw e;
      }
      const r = await verifyLabCard(card, vectors, { readMaster: keys.readMaster, writeMaster: keys.writeMaster, publicKeys: keys.publicKeys });
      results.push(r);
      seen.add(r.uid);
      if (!values.json) {
        ctx.stdout(`${r.pass ? 'PASS' : 'FAIL'} card ${r.uid}${r.vectorIds.length ? ` vs ${r.vectorIds.join(', ')}` : ''} (${r.ms.toFixed(1)} ms)\n`);
        for (const c of r.checks) ctx.stdout(`  ${c.pass ? 'ok  ' : 'FAIL'} ${c.name}${c.detail ? `: ${c.detail}` : ''}\n`);
      }
      if (!feed && results.length < want) await waitRemoved(reader, ctx);
    }
  } finally {
    await reader.close();
  }
  const passed = results.filter((r) => r.pass).length;
  const failed = results.length - passed;
  const unchecked = [...vectors.keys()].filter((u) => !seen.has(u));
  if (junit) await writeFile(junit, labJunitXml(results));
  if (values.json) ctx.stdout(JSON.stringify({ passed, failed, unchecked, results }, null, 1) + '\n');
  else {
    if (unchecked.length) ctx.stdout(`not presented: ${unchecked.join(', ')}\n`);
    ctx.stdout(`${passed} passed, ${failed} failed\n`);
  }
  return failed > 0 || results.length === 0 ? EXIT.FAILED : EXIT.OK;
}

/**
 * The vectors by UID. A LabVectorError is kind 'usage' (exit 2, mapped by main.ts): the file names
 * a set no card can match, so the command line must say which vectors to check. The file and the
 * hint are printed first; the error itself goes on unchanged.
 */
function labPlan(all: Vector[], file: string, only: string[] | undefined, ctx: CliContext): Map<string, Vector[]> {
  let vectors: Map<string, Vector[]>;
  try {
    vectors = labVectorsByUid(all, only ? { only } : {});
  } catch (e) {
    if (e instanceof LabVectorError) ctx.stderr(`hmskort lab: ${file}: ${e.code === 'AMBIGUOUS_VECTORS' ? 'name the vectors to check with --vector ID (repeat it for each vector to check)' : 'check the --vector IDs against this file'}\n`);
    throw e;
  }
  if (vectors.size === 0) throw new UsageError(`${file} has no card or verify-card vector with a uid`);
  return vectors;
}

/** A reader, and for the virtual one a function that presents the next card (false when none left). */
async function openLabReader(spec: string, images: string[], vectors: Vector[][], ctx: CliContext, profile?: string): Promise<{ reader: CardReader; feed?: () => boolean }> {
  if (spec !== 'virtual') {
    if (images.length) throw new UsageError('--image-in goes with --reader virtual');
    return { reader: await openReader(spec, { signal: ctx.signal, env: ctx.env, profile }) };
  }
  const cards: VirtualMifareClassic1K[] = [];
  for (const f of images) cards.push(VirtualMifareClassic1K.fromBlocks(parseImageJson(await readJsonFile(f, ctx.cwd), f)));
  if (images.length === 0) {
    for (const list of vectors) {
      const v = list.find((x) => x.kind === 'card') ?? list[0];
      const blocks = (v.kind === 'card' ? (v.expect as { blocks?: string[] }).blocks : (v.input.blocks as string[] | undefined)) ?? [];
      if (blocks.length === 64) cards.push(VirtualMifareClassic1K.fromBlocks(blocks, { uid: v.input.uid as string }));
    }
  }
  const reader = new VirtualCardReader();
  let i = 0;
  return {
    reader,
    feed: () => {
      if (i >= cards.length) return false;
      reader.present(cards[i++]);
      return true;
    },
  };
}

/** Resolves when the card is taken off, or at once on (or after) Ctrl-C. */
function waitRemoved(reader: CardReader, ctx: CliContext): Promise<void> {
  return waitFor<void>({
    what: 'the card taken off',
    signal: ctx.signal,
    subscribe: (resolve) => {
      const done = () => resolve();
      reader.on('removed', done);
      return () => reader.off('removed', done);
    },
  }).catch(() => undefined); // only the abort rejects: no time-out
}

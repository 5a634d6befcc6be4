/**
 * `hmskort demo [--out DIR] [--json]`: the whole library in one run, no hardware needed. Starts a
 * virtual card (served through pcscd and vpcd when pcscd runs, in memory otherwise), encodes the
 * sample holder tear-safely, reads it at a gate and decides, writes the barcode PNG, the card-back
 * SVG, the track strings and the card image into DIR, and says what happened.
 */
import { existsSync, readFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { EXIT } from '../command.js';
import { defineCommand } from '../declare.js';
import { makeOutputDir } from '../files.js';
import { DEMO_KEYS, SAMPLE_HOLDER, SAMPLE_UID, SAMPLE_VECTOR_ID } from '../../demo/sample.js';
import { validateHolder } from '../../codec/holder.js';
import { fromHex } from '../../codec/hex.js';
import { lrcChar, track1String, track2String } from '../../codec/tracks.js';
import { barcodePayload } from '../../codec/barcode.js';
import { encodeCard } from '../../card/encoder.js';
import { fullRead } from '../../card/readers.js';
import { encodeCounts } from '../cardIo.js';
import { publicKeyOf } from '../../card/signature.js';
import { Gate } from '../../gate/gate.js';
import { VirtualMifareClassic1K } from '../../testing/virtualCard.js';
import { VirtualCardReader } from '../../testing/virtualReader.js';
import { openDemoPcsc, type DemoPcsc, type NoDemoPcsc } from '../../demo/pcsc.js';
import type { CardReader, MifareClassicCard } from '../../transport/card.js';

const description = `Encodes the sample holder (the spec's example card, with public demo keys) on a virtual MIFARE
Classic 1K card, reads it at a gate, and writes into DIR (default ./hmskort-demo):
  card.json        the card's 64 blocks, keys included (demo keys)
  tracks.txt       magnetic-stripe tracks 1 and 2 with their LRC
  barcode.png      Code 128, 300 dpi, 3 dots per module
  card-back.svg    the ID-1 card back with the barcode
  decision.json    the gate's decision with its timings
The virtual card is served through pcscd + vpcd (the real PC/SC stack) when pcscd is running with
the vpcd driver; otherwise in memory (--in-memory forces that).`;

const DEMO = {
  out: { value: 'DIR', help: 'where the files go', default: 'hmskort-demo' },
  'in-memory': {},
  json: { help: 'print what happened as one JSON object' },
} as const;

/** The demo gives up on the PC/SC path after this long and goes on in memory (issue 13). */
const PCSC_GIVE_UP_MS = 6000;

/** The PC/SC attempt, or the reason it was given up after `ms`; a late success is closed again. */
async function pcscWithin(attempt: Promise<DemoPcsc | NoDemoPcsc>, ms: number): Promise<DemoPcsc | NoDemoPcsc> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<NoDemoPcsc>((resolve) => (timer = setTimeout(() => resolve({ reason: `no answer from pcscd/vpcd within ${ms / 1000} s` }), ms)));
  const got = await Promise.race([attempt.catch((e: unknown) => ({ reason: String((e as Error)?.message ?? e) })), late]);
  clearTimeout(timer);
  if ('reason' in got && got.reason.startsWith('no answer')) void attempt.then((p) => ('close' in p ? p.close() : undefined)).catch(() => {});
  return got;
}

/** Microseconds, readable: 0.4 us, 12.3 us, 4.51 ms. */
const us = (x: number) => (x >= 1000 ? `${(x / 1000).toFixed(2)} ms` : `${x.toFixed(1)} us`);

/** The package's copy of the spec examples (shipped in test-vectors/). */
function specExampleBlocks(): string[] | undefined {
  const file = resolve(dirname(fileURLToPath(import.meta.url)), '../../../../test-vectors/spec-examples.json');
  const alt = resolve(dirname(fileURLToPath(import.meta.url)), '../../../test-vectors/spec-examples.json');
  const path = existsSync(file) ? file : existsSync(alt) ? alt : undefined;
  if (!path) return undefined;
  const v = (JSON.parse(readFileSync(path, 'utf8')) as { vectors: Array<{ id: string; expect: { blocks?: string[] } }> }).vectors.find((x) => x.id === SAMPLE_VECTOR_ID);
  return v?.expect.blocks;
}

export const command = defineCommand(
  { name: 'demo', summary: 'encode, read at a gate and print a sample card on a virtual card (no hardware)' },
  {
    description,
    options: DEMO,
    async run(values, _positionals, ctx) {
      const out = resolve(ctx.cwd, values.out);
      const say = (line: string) => {
        if (!values.json) ctx.stdout(line + '\n');
      };
      // Before any work, and never Node's recursive mkdir (it spins for ever under /proc): files.ts.
      await makeOutputDir(values.out, '--out', ctx.cwd);
      const holder = validateHolder(SAMPLE_HOLDER);
      const keys = { readMaster: fromHex(DEMO_KEYS.readMaster), writeMaster: fromHex(DEMO_KEYS.writeMaster), signingKey: fromHex(DEMO_KEYS.signingKey), keyId: DEMO_KEYS.keyId };

      // 1. A blank virtual card, through pcscd when it runs.
      const virtual = new VirtualMifareClassic1K(SAMPLE_UID);
      let pcsc: DemoPcsc | undefined;
      let reader: CardReader;
      let via: string;
      let why = '--in-memory';
      if (!values['in-memory']) {
        const got = await pcscWithin(openDemoPcsc(virtual, ctx.env), PCSC_GIVE_UP_MS);
        if ('reason' in got) why = got.reason;
        else pcsc = got;
      }
      if (pcsc) {
        reader = pcsc.reader;
        via = `PC/SC: pcscd + vpcd, reader "${pcsc.readerName}" (nfc-pcsc)`;
      } else {
        const r = new VirtualCardReader();
        r.present(virtual);
        reader = r;
        via = `in memory (not through PC/SC: ${why})`;
      }
      say(`hmskort demo: sample card for ${holder.givenName} ${holder.familyName}, ${holder.orgName} (demo keys: public, never for real cards)`);
      say(`  virtual card ${SAMPLE_UID} ${via}`);
      try {
        const card: MifareClassicCard = await reader.waitForCard({ timeoutMs: 10_000 });

        // 2. Tear-safe encode (spec section 3) and full read-back (section 5).
        const report = await encodeCard(card, { holder, ...keys });
        const read = await fullRead(card, { readMaster: keys.readMaster, publicKeys: { [String(keys.keyId)]: publicKeyOf(keys.signingKey) } });
        const image = virtual.exportBlocks();
        const spec = specExampleBlocks();
        const sameAsSpec = spec ? spec.every((b, i) => b.toLowerCase() === image[i]) : undefined;
        say(`  encoded: ${report.steps.length} steps, ${report.operations} card commands (${encodeCounts(report)}) in ${report.ms.toFixed(1)} ms`);
        say(`  full read: ${read.error ? `FAILED ${read.error.code}` : `record verifies, signature ${read.signature}`}${sameAsSpec === undefined ? '' : sameAsSpec ? '; the card equals the spec example byte for byte' : '; the card DIFFERS from the spec example'}`);

        // 3. A gate tap: one authentication, one read (section 3), the decision (section 7).
        const gate = new Gate({ readMaster: keys.readMaster });
        const decision = await gate.tap(card);
        await gate.stop();
        const t = decision.timings;
        say(`  gate: ${decision.allow ? 'ALLOW' : 'DENY'} (${decision.reason}${decision.error ? ` ${decision.error}` : ''}) card ${decision.cardNumber ?? '?'}; tap ${us(t.totalUs)} (card read ${us(t.readUs)}, decode ${us(t.decodeUs)}, decide ${us(t.decideUs)})`);

        // 4. Stripe, barcode, card back.
        const t1 = track1String(holder);
        const t2 = track2String(holder);
        const tracks = `track 1: ${t1}  LRC ${lrcChar(1, t1)}\ntrack 2: ${t2}  LRC ${lrcChar(2, t2)}\n`;
        const payload = barcodePayload(holder);
        const { renderBarcodePng, readHmsBarcode, cardBackLayout, cardBackSvg } = await import('../../barcode/index.js');
        const png = await renderBarcodePng(payload, { dpi: 300, xDots: 3 });
        const back = await readHmsBarcode(png);
        await writeFile(join(out, 'card.json'), JSON.stringify({ blocks: image }, null, 1) + '\n', { mode: 0o600 });
        await writeFile(join(out, 'tracks.txt'), tracks);
        await writeFile(join(out, 'barcode.png'), png);
        await writeFile(join(out, 'card-back.svg'), cardBackSvg(cardBackLayout(holder)));
        await writeFile(join(out, 'decision.json'), JSON.stringify(decision, null, 1) + '\n');
        say(`  stripe: ${t1}${lrcChar(1, t1)}  ${t2}${lrcChar(2, t2)}`);
        say(`  barcode ${payload}: rendered and read back ${back?.text === payload ? `(${back.decoder}): matches` : 'FAILED'}`);
        const rel = relative(ctx.cwd, out).startsWith('..') ? out : relative(ctx.cwd, out) || '.';
        say(`  files in ${rel}/: card.json tracks.txt barcode.png card-back.svg decision.json`);
        const ok = !read.error && decision.allow && back?.text === payload && sameAsSpec !== false;
        say(ok ? 'demo ok' : 'demo FAILED: see above');
        if (values.json) {
          ctx.stdout(JSON.stringify({ ok, via: pcsc ? 'pcsc' : 'memory', out, encode: report, signature: read.signature, sameAsSpec, decision, tracks: { track1: t1, track2: t2 }, barcode: { payload, readBack: back?.text } }, null, 1) + '\n');
        }
        return ok ? EXIT.OK : EXIT.FAILED;
      } finally {
        await reader.close();
        await pcsc?.close();
      }
    },
  },
);

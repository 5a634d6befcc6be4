/**
 * `hmskort encode HOLDER.json [--truncate] [--uid HEX --read-master HEX --write-master HEX] [--json]`:
 * everything the spec derives from one holder: record, gate block, tracks with LRC, barcode
 * payload, and with a UID and keys the finished 64-block card image (sections 2-6).
 */
import { EXIT, UsageError } from '../command.js';
import { defineCommand } from '../declare.js';
import { hexArg, readJsonFile } from '../files.js';
import { validateHolder } from '../../codec/holder.js';
import { toHex } from '../../codec/hex.js';
import { encodeAllMedia } from '../../codec/encodeAll.js';
import { buildCardImage } from '../../card/image.js';

const description = `Validates the holder (spec section 1) and prints the 144-byte record, the gate block, tracks 1 and 2
with their LRC characters, the barcode payload, and, given a UID and both master keys, the 64
blocks of the finished card (keys included: treat that output as secret). --uid, --read-master
and --write-master go together.`;

export const command = defineCommand(
  { name: 'encode', summary: 'encode a holder: record, gate block, tracks, barcode, card image' },
  {
    positionals: 'HOLDER.json',
    description,
    options: { truncate: {}, uid: { help: 'the card UID (4, 7 or 10 bytes) for the card image', bytes: [4, 7, 10] }, 'read-master': {}, 'write-master': {}, json: { help: 'print one JSON object' } },
    async run(values, positionals, ctx) {
      if (positionals.length !== 1) throw new UsageError('give exactly one HOLDER.json');
      const holder = validateHolder(await readJsonFile(positionals[0], ctx.cwd), { truncate: values.truncate });
      const out: Record<string, unknown> = { ...encodeAllMedia(holder), truncated: holder.truncated };
      const keyed = [values.uid, values['read-master'], values['write-master']].filter((v) => v !== undefined).length;
      if (keyed !== 0 && keyed !== 3) throw new UsageError('--uid, --read-master and --write-master go together');
      if (keyed === 3) {
        const blocks = buildCardImage({
          holder,
          uid: values.uid as Uint8Array, // given: the three go together (checked above)
          readMaster: hexArg(values['read-master'], '--read-master', [16]),
          writeMaster: hexArg(values['write-master'], '--write-master', [16]),
        });
        out.blocks = blocks.map(toHex);
      }
      if (values.json) {
        ctx.stdout(JSON.stringify(out, null, 1) + '\n');
        return EXIT.OK;
      }
      const rows: Array<[string, string]> = [
        ['record', out.record as string],
        ['gate block', out.gateBlock as string],
        ['track 1', `${out.track1 as string}  LRC ${out.track1Lrc as string}`],
        ['track 2', `${out.track2 as string}  LRC ${out.track2Lrc as string}`],
        ['barcode', out.barcode as string],
      ];
      if (holder.truncated) rows.push(['note', 'names were truncated (record flag bit 1)']);
      for (const [k, v] of rows) ctx.stdout(`${k.padEnd(11)}${v}\n`);
      if (out.blocks) (out.blocks as string[]).forEach((b, i) => ctx.stdout(`block ${String(i).padStart(2)}   ${b}\n`));
      return EXIT.OK;
    },
  },
);

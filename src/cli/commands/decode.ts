/**
 * `hmskort decode --record HEX | --gate HEX | --track1 STR | --track2 STR [--json]`: the decoders
 * of spec sections 2 and 4, with the spec's error codes on failure (exit status 3).
 */
import { EXIT, UsageError } from '../command.js';
import { defineCommand } from '../declare.js';
import { hexArg } from '../files.js';
import { decodeGateBlock, decodeRecord } from '../../codec/record.js';
import { decodeTrack } from '../../codec/tracks.js';

export const command = defineCommand(
  { name: 'decode', summary: 'decode a record, gate block or track string' },
  {
    description: `Decodes a 144-byte record, a 16-byte gate block, or a track string (with sentinels, with or
without the LRC character). Give exactly one of --record, --gate, --track1, --track2. Prints the
fields; on failure prints the spec's error code (exit 3).`,
    options: { record: {}, 'gate-block': {}, track1: {}, track2: {}, json: {} },
    run(values, _positionals, ctx) {
      const given = (['record', 'gate-block', 'track1', 'track2'] as const).filter((k) => values[k] !== undefined);
      if (given.length !== 1) throw new UsageError('give exactly one of --record, --gate, --track1, --track2');
      let fields: object;
      switch (given[0]) {
        case 'record':
          fields = decodeRecord(hexArg(values.record, '--record'));
          break;
        case 'gate-block':
          fields = decodeGateBlock(hexArg(values['gate-block'], '--gate'));
          break;
        case 'track1':
          fields = decodeTrack(1, values.track1 as string);
          break;
        default:
          fields = decodeTrack(2, values.track2 as string);
      }
      if (values.json) ctx.stdout(JSON.stringify(fields, null, 1) + '\n');
      else for (const [k, v] of Object.entries(fields)) ctx.stdout(`${k.padEnd(11)}${String(v)}\n`);
      return EXIT.OK;
    },
  },
);

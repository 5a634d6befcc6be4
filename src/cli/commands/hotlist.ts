/**
 * `hmskort hotlist publish FILE --nats URL` and `hmskort hotlist status --nats URL` (issue 17 part
 * 5): the hot list of a fleet in a NATS JetStream KV bucket (src/fleet/nats/). Publishing puts only
 * the difference between the file and the bucket, then a snapshot when one is due.
 */
import { resolve } from 'node:path';
import { EXIT, UsageError, type CliContext } from '../command.js';
import { declare, defineGroup, type Values } from '../declare.js';
import { connectNats, parseNatsUrl } from '../../fleet/nats/connect.js';
import { publishHotlist } from '../../fleet/nats/publish.js';
import { formatHotlistStatus, hotlistStatus } from '../../fleet/nats/status.js';

const description = `The fleet's hot list on a NATS JetStream server (docs/fleet.md).
  publish FILE   puts what differs between FILE (CSV or JSON, as gate --hotlist reads, plus an
                 optional expiry column YYYY-MM-DD) and the bucket; a snapshot when due
  status         revision, entries, age, snapshot, and each gate's last reported revision
Exit status: 0 done; 2 usage; 3 a bad hot-list file (the message names the line); 4 no server.`;

const PUBLISH = {
  nats: { required: true },
  bucket: {},
  'snapshot-every': {},
  keep: {},
  json: { help: 'print the result as JSON' },
} as const;

const STATUS = {
  nats: { required: true },
  bucket: {},
  json: { help: 'print the result as JSON' },
} as const;

async function publish(values: Values<typeof PUBLISH>, positionals: string[], ctx: CliContext): Promise<number> {
  if (positionals.length !== 1) throw new UsageError('hotlist publish takes one FILE');
  const nc = await connectNats(parseNatsUrl(values.nats, '--nats'), 'hmskort hotlist publish');
  try {
    const r = await publishHotlist(resolve(ctx.cwd, positionals[0]), { nc, bucket: values.bucket, snapshotEvery: values['snapshot-every'], keepRevisions: values.keep });
    if (values.json) ctx.stdout(JSON.stringify(r) + '\n');
    else {
      const snap = r.snapshotRevision === undefined ? '' : `; snapshot at revision ${r.snapshotRevision}`;
      const repaired = r.repaired ? `, ${r.repaired} malformed values repaired` : '';
      ctx.stdout(`added ${r.added}, changed ${r.changed}, removed ${r.removed}${repaired}; revision ${r.revision}, ${r.entries} entries${snap}\n`);
    }
    return EXIT.OK;
  } finally {
    await nc.close();
  }
}

async function status(values: Values<typeof STATUS>, _positionals: string[], ctx: CliContext): Promise<number> {
  const nc = await connectNats(parseNatsUrl(values.nats, '--nats'), 'hmskort hotlist status');
  try {
    const s = await hotlistStatus(nc, values.bucket);
    ctx.stdout(values.json ? JSON.stringify(s) + '\n' : formatHotlistStatus(s));
    return EXIT.OK;
  } finally {
    await nc.close();
  }
}

export const command = defineGroup({
  name: 'hotlist',
  summary: "a fleet's hot list on NATS JetStream: publish a file's changes, show each gate's revision",
  description,
  subcommands: {
    publish: declare({ positionals: 'FILE', options: PUBLISH, run: publish }),
    status: declare({ options: STATUS, run: status }),
  },
});

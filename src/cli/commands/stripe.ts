/**
 * `hmskort stripe`: magnetic-stripe devices and strings (spec section 4, issue 5).
 *   stripe write HOLDER.json (--port PATH | --hid PATH) [--hico|--loco] [--truncate] [--timeout MS] [--json]
 *   stripe read (--port PATH | --hid PATH) [--raw] [--timeout MS] [--json]
 *   stripe decode --track1 STR | --track2 STR | --bits BITS --track N [--json]
 *   stripe ports [--json]
 * --port is a serial MSR206/MSR605/MSR606 (9600 8N1); --hid an MSR605X by its node-hid path.
 */
import { EXIT, UsageError, type CliContext } from '../command.js';
import { declare, defineGroup, type Values } from '../declare.js';
import { readJsonFile } from '../files.js';
import { validateHolder } from '../../codec/holder.js';
import { decodeTrack, decodeTrackBits, type TrackFields } from '../../codec/tracks.js';
import type { SerialLink } from '../../transport/serial.js';

const description = `write   writes tracks 1 and 2 of the holder (spec section 4) on an MSR206/MSR605/MSR606 (--port,
        serial 9600 8N1) or an MSR605X (--hid, node-hid path), then asks for a second swipe,
        reads the tracks back and compares them.
read    reads a card and decodes tracks 1 and 2; --raw reads raw bits (a card swiped either
        way round decodes).
decode  decodes a track string (sentinels, LRC optional) or raw head bits of track N; give
        exactly one of --track1, --track2, --bits (with --track N).
ports   lists serial ports (from /dev when the system lister fails) and HID stripe devices.
Exit 4 on a device error or timeout.`;

/** The swipe wait of write and read. */
const SWIPE_TIMEOUT = { default: 30_000, help: 'time to wait for each swipe' } as const;
const WRITE = { 'serial-port': {}, hid: {}, hico: {}, loco: {}, truncate: {}, timeout: SWIPE_TIMEOUT, json: {} } as const;
const READ = { 'serial-port': {}, hid: {}, raw: {}, timeout: SWIPE_TIMEOUT, json: {} } as const;
const DECODE = { track1: {}, track2: {}, bits: {}, track: {}, json: {} } as const;
const PORTS = { json: {} } as const;

function printFields(ctx: CliContext, json: boolean | undefined, out: Record<string, unknown>): void {
  if (json) return ctx.stdout(JSON.stringify(out, null, 1) + '\n');
  for (const [k, v] of Object.entries(out)) {
    if (v && typeof v === 'object') {
      ctx.stdout(`${k}:\n`);
      for (const [k2, v2] of Object.entries(v)) ctx.stdout(`  ${k2.padEnd(11)}${String(v2)}\n`);
    } else ctx.stdout(`${k.padEnd(13)}${String(v)}\n`);
  }
}

async function openDevice(v: { 'serial-port'?: string; hid?: string; timeout: number }) {
  if ((v['serial-port'] === undefined) === (v.hid === undefined)) throw new UsageError('give exactly one of --port PATH and --hid PATH');
  let link: SerialLink;
  if (v['serial-port'] !== undefined) {
    const { openSerialLink } = await import('../../drivers/msr/serialportLink.js');
    link = await openSerialLink(v['serial-port']);
  } else {
    const { openNodeHidLink } = await import('../../drivers/msr/nodeHidLink.js');
    const { hidSerialLink } = await import('../../drivers/msr/msr605x.js');
    link = hidSerialLink(await openNodeHidLink(v.hid as string));
  }
  const { MsrStripeEncoder } = await import('../../drivers/msr/stripeEncoder.js');
  const msr = new MsrStripeEncoder(link, { swipeTimeoutMs: v.timeout });
  return {
    msr,
    async close() {
      msr.dispose();
      await link.close();
    },
  };
}

async function write(v: Values<typeof WRITE>, positionals: string[], ctx: CliContext): Promise<number> {
  if (positionals.length !== 1) throw new UsageError('stripe write takes one HOLDER.json');
  if (v.hico && v.loco) throw new UsageError('give at most one of --hico and --loco');
  const holder = validateHolder(await readJsonFile(positionals[0], ctx.cwd), { truncate: v.truncate === true });
  const dev = await openDevice(v);
  try {
    await dev.msr.reset();
    await dev.msr.communicationTest();
    ctx.stderr('Swipe the card to write it.\n');
    const back = await dev.msr.writeCard(holder, {
      coercivity: v.hico ? 'hi' : v.loco ? 'lo' : undefined,
      signal: ctx.signal,
      onSwipeAgain: () => ctx.stderr('Written. Swipe the card again to verify.\n'),
    });
    printFields(ctx, v.json, { verified: true, track1: back.track1, track2: back.track2, fields: { ...back.fields1, ...back.fields2 } });
    return EXIT.OK;
  } finally {
    await dev.close();
  }
}

async function read(v: Values<typeof READ>, _positionals: string[], ctx: CliContext): Promise<number> {
  const dev = await openDevice(v);
  try {
    await dev.msr.reset();
    ctx.stderr('Swipe the card.\n');
    const r = v.raw ? await dev.msr.readCardRaw({ signal: ctx.signal }) : await dev.msr.readCard({ signal: ctx.signal });
    printFields(ctx, v.json, { track1: r.track1, track2: r.track2, fields: { ...r.fields1, ...r.fields2 } });
    return EXIT.OK;
  } finally {
    await dev.close();
  }
}

function decode(v: Values<typeof DECODE>, _positionals: string[], ctx: CliContext): number {
  const given = (['track1', 'track2', 'bits'] as const).filter((k) => v[k] !== undefined);
  if (given.length !== 1) throw new UsageError('give exactly one of --track1, --track2, --bits');
  let data: string;
  let track: 1 | 2;
  if (given[0] === 'bits') {
    if (v.track === undefined) throw new UsageError('--bits needs --track 1 or --track 2');
    track = v.track === '1' ? 1 : 2;
    data = decodeTrackBits(track, v.bits as string);
  } else {
    track = given[0] === 'track1' ? 1 : 2;
    data = v[given[0]] as string;
  }
  const fields: TrackFields = decodeTrack(track, data);
  printFields(ctx, v.json, given[0] === 'bits' ? { track, data, fields } : { track, fields });
  return EXIT.OK;
}

async function ports(v: Values<typeof PORTS>, _positionals: string[], ctx: CliContext): Promise<number> {
  const { listSerialPorts } = await import('../../drivers/msr/serialportLink.js');
  const { listHidDevices } = await import('../../drivers/msr/nodeHidLink.js');
  const { MSR605X_VENDOR_ID, MSR605X_PRODUCT_ID } = await import('../../drivers/msr/msr605x.js');
  const { MAGTEK_VENDOR_ID, IDTECH_VENDOR_ID } = await import('../../drivers/msr/hidSwipe.js');
  const serial = await listSerialPorts();
  const hid = (await listHidDevices())
    .filter((d) => d.vendorId === MAGTEK_VENDOR_ID || d.vendorId === IDTECH_VENDOR_ID)
    .map((d) => ({ ...d, kind: d.vendorId === MSR605X_VENDOR_ID && d.productId === MSR605X_PRODUCT_ID ? 'MSR605X encoder' : 'HID swipe reader' }));
  if (v.json) ctx.stdout(JSON.stringify({ serial, hid }, null, 1) + '\n');
  else {
    for (const p of serial) ctx.stdout(`serial  ${p.path}${p.manufacturer ? `  ${p.manufacturer}` : ''}${p.source === 'dev' ? '  (from /dev)' : ''}\n`);
    for (const d of hid) ctx.stdout(`hid     ${d.path ?? '?'}  ${d.kind}  ${d.vendorId.toString(16).padStart(4, '0')}:${d.productId.toString(16).padStart(4, '0')}\n`);
    if (serial.length + hid.length === 0) ctx.stdout('no serial ports or HID stripe devices found\n');
  }
  return EXIT.OK;
}

export const command = defineGroup({
  name: 'stripe',
  summary: 'write, read and decode magnetic stripes (MSR206/605/605X)',
  description,
  subcommands: {
    write: declare({ positionals: 'HOLDER.json', options: WRITE, run: write }),
    read: declare({ options: READ, run: read }),
    decode: declare({ options: DECODE, run: decode }),
    ports: declare({ options: PORTS, run: ports }),
  },
});

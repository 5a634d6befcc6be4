/**
 * `hmskort reader probe`: for a person who has just plugged in a contactless reader and holds a
 * transport-keyed blank MIFARE Classic. Prints the reader's name, ATR, UID and UID kind, the Load
 * Keys forms it accepts, the status word of a wrong key, whether the right key then works without a
 * reset, whether a reset recovers, and the profile the driver would use (src/drivers/pcsc/probe.ts).
 * `--json` prints the reader profile file (format "hmskort-reader-profile", version 1) that
 * `--profile FILE` accepts wherever a reader is opened; `--out FILE` writes it to a file.
 * It never writes to the card.
 */
import { writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { EXIT, UsageError, type CliContext } from '../command.js';
import { declare, defineGroup, type Values } from '../declare.js';
import { DEFAULT_VIRTUAL_UID, openReader } from '../readerSelect.js';
import { formatProbe, probeReader, profileFile, type ProbeTarget } from '../../drivers/pcsc/probe.js';
import { EMULATED_FAMILIES, type EmulatedFamily } from '../../drivers/vpcd/profiles.js';
import { EmulatedReader } from '../../testing/emulatedReader.js';
import { VirtualMifareClassic1K } from '../../testing/virtualCard.js';
import { CardError } from '../../transport/card.js';

const DEFAULT_TIMEOUT_MS = 15000;

const description = `Probes a contactless reader with a transport-keyed blank MIFARE Classic card on it (never writes
to the card; loads only the transport key into the reader's volatile key memory).
Exit status: 0 probed; 2 usage; 4 no reader, no card, or the reader refused the probe.`;

const PROBE = {
  reader: {
    value: 'SPEC',
    help: `pcsc[:NAME] (default pcsc: the first PC/SC reader), or emulated:FAMILY, an
in-memory emulated reader (${EMULATED_FAMILIES.join(', ')}) with a blank card`,
  },
  uid: { help: 'UID of the emulated blank card (default 04a1b2c3)' },
  timeout: { default: DEFAULT_TIMEOUT_MS },
  json: { help: 'print the reader profile file (for --profile FILE, and for bug reports)' },
  out: { help: 'write the reader profile file to FILE' },
} as const;

/** The raw-APDU side of a PC/SC card (PcscMifareCard: atr, uid, transmit, reactivate). */
function asProbeTarget(readerName: string, card: object): ProbeTarget {
  const c = card as Partial<Record<'transmit' | 'reactivate', unknown>> & { atr?: unknown; uid?: unknown };
  if (typeof c.transmit !== 'function' || typeof c.reactivate !== 'function' || !(c.atr instanceof Uint8Array) || !(c.uid instanceof Uint8Array)) {
    throw new CardError('NOT_SUPPORTED', `${readerName}: this build's PC/SC driver gives no raw APDU access (transmit/reactivate); update hmskort`);
  }
  const raw = card as ProbeTarget;
  return {
    readerName,
    get atr() {
      return raw.atr;
    },
    get uid() {
      return raw.uid;
    },
    transmit: (apdu) => raw.transmit(apdu),
    reactivate: () => raw.reactivate(),
  };
}

async function probe(values: Values<typeof PROBE>, ctx: CliContext) {
  const spec = values.reader ?? 'pcsc';
  const timeoutMs = values.timeout;
  if (spec.startsWith('emulated:')) {
    const family = spec.slice('emulated:'.length);
    if (!(EMULATED_FAMILIES as readonly string[]).includes(family)) throw new UsageError(`--reader emulated:FAMILY: one of ${EMULATED_FAMILIES.join(', ')}`);
    return probeReader(new EmulatedReader(family as EmulatedFamily, new VirtualMifareClassic1K(values.uid ?? DEFAULT_VIRTUAL_UID)));
  }
  if (values.uid !== undefined) throw new UsageError('--uid applies only to --reader emulated:FAMILY');
  if (spec !== 'pcsc' && !spec.startsWith('pcsc:')) throw new UsageError(`--reader: pcsc[:NAME] or emulated:FAMILY (got "${spec}")`);
  const reader = await openReader(spec, { signal: ctx.signal, env: ctx.env });
  try {
    const card = await reader.waitForCard({ timeoutMs, signal: ctx.signal });
    return await probeReader(asProbeTarget(reader.name, card));
  } finally {
    await reader.close();
  }
}

async function run(values: Values<typeof PROBE>, _positionals: string[], ctx: CliContext): Promise<number> {
  const report = await probe(values, ctx);
  const file = JSON.stringify(profileFile(report), null, 2) + '\n';
  if (values.out) await writeFile(resolve(ctx.cwd, values.out), file);
  ctx.stdout(values.json ? file : formatProbe(report));
  return EXIT.OK;
}

export const command = defineGroup({
  name: 'reader',
  summary: 'probe a contactless reader with a blank card: its profile, status words and recovery',
  description,
  subcommands: { probe: declare({ options: PROBE, run }) },
});

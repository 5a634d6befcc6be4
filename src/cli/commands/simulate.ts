/**
 * `hmskort simulate`: serves one virtual MIFARE Classic 1K (src/testing/virtualCard.ts, MF1S50
 * access conditions) to pcscd through vsmartcard's vpcd driver (src/drivers/vpcd/), until stopped.
 * Any PC/SC application then sees it in "Virtual PCD 00 00" (pcsc_scan, `hmskort card --reader pcsc`).
 * After every successful write the full memory, keys included, goes to --image-out as
 * {"blocks": [64 hex]} (written to a temporary file and renamed, mode 0600), the format of
 * `hmskort card encode --image-out`. When pcscd restarts, the card is presented again.
 *
 * The card is answered by the emulated firmware of a reader family (--profile; tables in
 * src/drivers/vpcd/profiles.ts). "presented" is said only when vpcd speaks to us: vpcd serves one
 * card, and a second simulate's connection waits in its backlog, so that one says the slot is busy.
 */
import { readFile, rename, writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { EXIT, type CliContext } from '../command.js';
import { defineCommand, type Values } from '../declare.js';
import { DEFAULT_VIRTUAL_UID } from '../readerSelect.js';
import { parseImageJson } from '../cardIo.js';
import { readDump } from '../../card/dumps/index.js';
import { untilAborted } from '../../transport/wait.js';
import { requireDumpBlocks } from '../../card/dumps/complete.js';
import { toHex } from '../../codec/hex.js';
import { VirtualMifareClassic1K } from '../../testing/virtualCard.js';
import { VPCD_DEFAULT_PORT, VpcdSlot, vpcdCardFromVirtual } from '../../drivers/vpcd/client.js';
import { defaultVpcdHost } from '../../drivers/vpcd/host.js';
import { firmwareProfile, type EmulatedFamily } from '../../drivers/vpcd/profiles.js';

const description = `Presents a virtual MIFARE Classic 1K to pcscd through vsmartcard's vpcd reader (Debian package
vsmartcard-vpcd; pcscd must run, e.g. scripts/pcscd-test-env.sh), until Ctrl-C.
Exit status: 0 stopped; 2 usage; 3 bad image (also a dump with blocks missing); 4 vpcd not reachable.`;

const SIMULATE = {
  // Here the reader is emulated: --profile is its firmware family (the table's `firmware`), not a PC/SC driver profile.
  firmware: {},
  reselects: {},
  uid: { help: 'UID of a blank card (4 or 7 bytes; default 04a1b2c3)' },
  image: {},
  'image-out': { help: 'after every change, the full memory (keys included) as {"blocks": [64 hex]}' },
  'vpcd-port': { default: VPCD_DEFAULT_PORT, help: `vpcd's port (reader.conf CHANNELID 0x8C7B)` },
  host: {
    help: `vpcd's host (default 127.0.0.2 when its quickack route exists, as
scripts/pcscd-test-env.sh adds it: ~1 ms per APDU instead of ~60 ms;
else 127.0.0.1; HMSKORT_VPCD_HOST overrides)`,
  },
  json: { help: 'print events as JSON lines' },
} as const;

async function loadImage(path: string, ctx: CliContext): Promise<Uint8Array[]> {
  const bytes = new Uint8Array(await readFile(resolve(ctx.cwd, path)));
  const text = new TextDecoder().decode(bytes);
  let json: unknown;
  try {
    json = JSON.parse(text) as unknown;
  } catch {
    /* not our JSON: a dump tool's format */
  }
  if (Array.isArray(json) || Array.isArray((json as { blocks?: unknown } | undefined)?.blocks)) return parseImageJson(json, path);
  // A dump tool leaves out what it could not read; serving zeros there would make zero keys real
  // keys and zero data real data (issue 19 item 18): every block must be in the dump.
  const dump = readDump(bytes);
  requireDumpBlocks(dump, ALL_BLOCKS, path, 'a virtual card');
  return dump.blocks;
}

const ALL_BLOCKS = Array.from({ length: 64 }, (_, i) => i);

async function run(values: Values<typeof SIMULATE>, _positionals: string[], ctx: CliContext): Promise<number> {
  const family = values.firmware as EmulatedFamily;
  const profile = firmwareProfile(family, values.reselects ? { reselectsAfterFailure: true } : {});
  const port = values['vpcd-port'];
  const uid = values.uid;
  const card = values.image
    ? VirtualMifareClassic1K.fromBlocks(await loadImage(values.image, ctx), uid ? { uid } : {})
    : new VirtualMifareClassic1K(uid ?? DEFAULT_VIRTUAL_UID);
  const say = (event: string, text: string, extra: Record<string, unknown> = {}) =>
    ctx.stdout(values.json ? JSON.stringify({ event, ...extra }) + '\n' : text + '\n');

  const out = values['image-out'] ? resolve(ctx.cwd, values['image-out']) : undefined;
  // Writes are chained so that the file always ends with the newest memory.
  let saving: Promise<void> = Promise.resolve();
  const save = () => {
    if (!out) return;
    const blocks = card.exportBlocks();
    saving = saving.then(async () => {
      await writeFile(out + '.tmp', JSON.stringify({ blocks }, null, 1) + '\n', { mode: 0o600 });
      await rename(out + '.tmp', out);
    });
  };
  if (out) save();

  const host = values.host ?? (await defaultVpcdHost(ctx.env));
  const slot = new VpcdSlot({ host, port, stayPresented: true, profile });
  slot.on('apdu', (cmd: Uint8Array, resp: Uint8Array | undefined) => {
    // FF D6 answered 90 00: the memory changed.
    if (cmd[1] === 0xd6 && resp && resp[resp.length - 2] === 0x90 && resp[resp.length - 1] === 0x00) save();
  });
  const where = `vpcd ${slot.host}:${slot.port}`;
  slot.on('accepted', () =>
    say('presented', `card ${toHex(card.uid)} presented to ${where} (${profile.family} reader firmware)`, { uid: toHex(card.uid), host: slot.host, port: slot.port, profile: profile.family }),
  );
  slot.on('busy', (ms: number) =>
    say('busy', `${where} is busy: pcscd has not taken the card within ${ms} ms (vpcd serves one card; another program, e.g. a second simulate, holds the slot). Waiting until it is free.`, { host: slot.host, port: slot.port, waitedMs: ms }),
  );
  slot.on('disconnected', (why: string) => say('disconnected', `vpcd connection closed: ${why}; presenting again when pcscd is back`, { reason: why }));
  slot.on('error', () => {}); // reconnect attempts while pcscd is down: expected, retried

  await slot.present(vpcdCardFromVirtual(card));
  await untilAborted(ctx.signal);
  await slot.remove();
  await saving;
  say('stopped', 'stopped');
  return EXIT.OK;
}

export const command = defineCommand({ name: 'simulate', summary: 'serve a virtual MIFARE Classic 1K to pcscd through vsmartcard vpcd' }, { description, options: SIMULATE, run });

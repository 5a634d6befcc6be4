/**
 * Issue 16 "Done when", part 5: a batch of 20 orders through the Evolis emulator (over a real TCP
 * socket, src/testing/evolisEmulator/) whose contactless station is a vpcd card seen by the real
 * pcscd, run by the built CLI as a child process: `hmskort batch --printer evolis:tcp://... --reader
 * pcsc --reader-name "Virtual PCD"`. Injected: a dead chip, a chip that fails mid-encode, a stripe
 * written wrong (read-back differs), the feeder running empty, a card jam while printing (cleared
 * by the operator), and SIGKILLs at random moments (seeded: the seed is in the test name). Checked
 * at the end, from the emulator's record and not the batch's word: every order on exactly one
 * card in the output tray, whose chip decodes to it (`fullRead`), whose stripe decodes to it
 * (section-4 decoder) and whose front panel has ink and differs from every other; every card in
 * the reject box (or taken out by hand) journalled. No real printer was used.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PNG } from 'pngjs';
import { EvolisEmulator, contactlessField, serveEvolisEmulator, type EvolisServer } from '../../../src/testing/evolisEmulator/index.js';
import { printedPanelPng } from '../../../src/testing/evolisEmulator/machine.js';
import { VpcdSlot } from '../../../src/drivers/vpcd/client.js';
import { fullRead } from '../../../src/card/readers.js';
import { decodeTrack, withLrc } from '../../../src/codec/tracks.js';
import { fromHex } from '../../../src/codec/hex.js';
import { cardFrontLayout } from '../../../src/faces/cardFront.js';
import { frontPanel } from '../../../src/faces/panel.js';
import { BUILT, batchDir, killRunning, runCli } from '../../helpers/batchCli.js';
import { VPCD_TEST_HOST, pcscdMissing, startPcscd, type PcscdHandle } from '../../helpers/pcscd.js';

const missing = (await pcscdMissing()) ?? (BUILT ? undefined : 'the built CLI (npx tsc -p tsconfig.build.json)');
const KEYS = { readMaster: fromHex('000102030405060708090a0b0c0d0e0f') };
const ORDERS = 20;
const SEED = Number(process.env.HMSKORT_BATCH_SEED ?? Date.now() % 100_000);

/** mulberry32: a small seeded generator, so a failing run can be repeated with its seed. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type Line = { t: string; order?: number; uid?: string; step?: string; code?: string; cardNumber?: string };
const journal = (dir: string): Line[] => readFileSync(join(dir, 'j.jsonl'), 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as Line);

describe.skipIf(missing !== undefined)(`hmskort batch --printer: 20 orders through the Evolis emulator and pcscd${missing ? ` (skipped: needs ${missing})` : ''}`, () => {
  let pcscd: PcscdHandle;
  let server: EvolisServer | undefined;
  const slot = new VpcdSlot({ host: VPCD_TEST_HOST });

  beforeAll(async () => {
    pcscd = await startPcscd();
  }, 320_000);
  afterEach(() => killRunning());
  afterAll(async () => {
    await server?.close();
    await slot.remove();
    await pcscd?.stop();
  });

  it(`every order on exactly one good card, every rejected card journalled (seed ${SEED})`, async () => {
    const random = rng(SEED);
    const dir = batchDir(ORDERS);
    // The feeder runs empty after 12 blanks: "no card" mid-batch.
    const emu = new EvolisEmulator({ feeder: 12, field: contactlessField(slot) });
    server = await serveEvolisEmulator(emu);
    emu.inject({ at: 'Sic', chip: 'dead', after: 1 });
    emu.inject({ at: 'Sic', chip: (card) => card.failOperation(20, 'IO'), after: 4 });
    emu.inject({ at: 'Smw', corruptTrack: 2, after: 6 });
    emu.inject({ at: 'Dbc', error: 'CARD JAM', after: 9 });
    const args = ['batch', 'orders.csv', '--keys', 'keys.json', '--journal', 'j.jsonl', '--printer', `evolis:tcp://127.0.0.1:${server.port}`, '--reader', 'pcsc', '--reader-name', 'Virtual PCD'];
    const outcomes: string[] = [];
    let kills = 0;
    for (let run = 0; ; run++) {
      expect(run, outcomes.join('\n')).toBeLessThan(25);
      const r = runCli(dir, args);
      // A kill lands at a random moment of a card's cycle: after the run's first card line (the
      // process is up and past its restart), within about one card's time.
      let killer: ReturnType<typeof setTimeout> | undefined;
      if (kills < 4) {
        const delay = random() * 2500;
        r.printed(/ rejected\]$/m).then(() => (killer = setTimeout(() => r.child.kill('SIGKILL'), delay)), () => undefined);
      }
      const x = await r.exit;
      clearTimeout(killer);
      const last = x.out.trim().split('\n').at(-1) ?? '';
      outcomes.push(`${x.signal ?? x.code}: ${last.slice(0, 160)}`);
      if (x.signal === 'SIGKILL') {
        kills++;
        continue;
      }
      if (x.code === 0) break;
      expect(x.code, x.out + x.err).toBe(1);
      if (/CARD JAM/.test(x.out)) await emu.clearJam();
      else if (/FEEDER EMPTY/.test(x.out)) emu.feeder = 40;
      else throw new Error(`unexpected stop: ${x.out}${x.err}`);
    }
    expect(outcomes.some((o) => /FEEDER EMPTY/.test(o)), outcomes.join('\n')).toBe(true);
    expect(outcomes.some((o) => /CARD JAM/.test(o)), outcomes.join('\n')).toBe(true);

    const lines = journal(dir);
    const done = lines.filter((e) => e.t === 'done');
    expect(done.map((e) => e.order).sort((a, b) => a! - b!)).toEqual(Array.from({ length: ORDERS }, (_, i) => i));
    // The emulator's record: the output tray is exactly the journal's good cards.
    const output = emu.cards.filter((c) => c.fate === 'output');
    expect(output.map((c) => c.uid).sort()).toEqual(done.map((e) => e.uid).sort());
    expect(emu.cards.filter((c) => c.fate === 'inside')).toEqual([]);
    const fronts = new Set<string>();
    for (const c of output) {
      const order = done.find((e) => e.uid === c.uid)!;
      const cardNumber = String(9000 + order.order!);
      const read = await fullRead(c.chip, KEYS);
      expect(read.error, c.uid).toBeUndefined();
      expect(read.holder?.cardNumber).toBe(cardNumber);
      // The printer's tracks carry no sentinels or LRC: frame them as a card reader reads them.
      expect(decodeTrack(1, withLrc(1, `%${c.tracks[1]}?`)).cardNumber).toBe(cardNumber);
      expect(decodeTrack(2, withLrc(2, `;${c.tracks[2]}?`))).toMatchObject({ cardNumber, orgNumber: '974760673', issue: 0 });
      const front = c.panels.find((p) => p.side === 'front');
      expect(front?.bitmap, c.uid).toBeDefined();
      // The order's front as src/faces renders it, bit for bit, after the driver's compression
      // and the emulator's decompression: the right face on the right chip.
      const holder = { category: 'construction' as const, givenName: `Ola ${order.order}`, familyName: 'Nordmann', orgName: 'Bygg AS', orgNumber: '974760673', cardNumber, expiry: '2030-12-31' };
      expect(Buffer.compare(Buffer.from(front!.bitmap!), Buffer.from(frontPanel(holder).data)), `front of ${c.uid}`).toBe(0);
      // The card number's box (the layout's, mm at 300 dpi) on the landscape PNG has ink.
      const png = PNG.sync.read(printedPanelPng(front!)!);
      expect([png.width, png.height]).toEqual([1016, 648]);
      const box = cardFrontLayout(holder).boxes.cardNumber;
      const dots = (mm: number) => Math.round((mm * 300) / 25.4);
      let ink = 0;
      for (let y = dots(box.y); y < dots(box.y + box.h); y++) for (let x = dots(box.x); x < dots(box.x + box.w); x++) if (png.data[(y * png.width + x) * 4] < 128) ink++;
      expect(ink, `card number box of ${c.uid} is blank`).toBeGreaterThan(50);
      fronts.add(createHash('sha256').update(front!.bitmap!).digest('hex'));
    }
    expect(fronts.size, 'every front differs (each its own card number)').toBe(ORDERS);
    // Every card that left the line bad is journalled: by UID when its chip answered.
    const rejectLines = lines.filter((e) => e.t === 'reject');
    const rejectedUids = new Set(rejectLines.flatMap((e) => (e.uid ? [e.uid] : [])));
    const bad = emu.cards.filter((c) => c.fate === 'reject' || c.fate === 'removed');
    for (const c of bad) if (!c.deadChip) expect(rejectedUids.has(c.uid), `${c.uid} (${c.path.join(' > ')}) not journalled`).toBe(true);
    expect(rejectLines.filter((e) => !e.uid).length).toBeGreaterThanOrEqual(bad.filter((c) => c.deadChip).length);
    for (const uid of rejectedUids) expect(output.some((c) => c.uid === uid), `rejected ${uid} is in the output tray`).toBe(false);
    console.log(`seed ${SEED}: ${kills} kills, ${bad.length} rejected cards, runs:\n${outcomes.join('\n')}`);
  }, 240_000);
});

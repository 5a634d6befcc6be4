/**
 * The Evolis printer emulator (src/testing/evolisEmulator): one whole card cycle as a driver sends
 * it (Sic, stripe written and read back, front and back panels as Dbc, Se) through the stream
 * parser and state machine, and `printer replay` of a one-card job including both PNGs. Checks: the
 * card's tracks, its panels' bytes and its fate; the replayed PNGs' count and the transcript length.
 */
import type { BenchCase } from '../harness.js';
import { EvolisEmulator } from '../../src/testing/evolisEmulator/emulator.js';
import { replayEvolisStream } from '../../src/testing/evolisEmulator/replay.js';

/** A 1016 x 81 byte panel of a fixed pseudo-random pattern. */
function panel(seed: number): Uint8Array {
  const p = new Uint8Array(1016 * 81);
  for (let i = 0; i < p.length; i++) p[i] = (seed = (seed * 1103515245 + 12345) % 2 ** 31) & 0xff;
  return p;
}

/** Every line sent whole: counter 81 and its 81 bytes (A5013 p.5). */
function dbc(bitmap: Uint8Array): Buffer {
  const data = Buffer.alloc(1016 * 82);
  for (let l = 0; l < 1016; l++) {
    data[l * 82] = 81;
    data.set(bitmap.subarray(l * 81, l * 81 + 81), l * 82 + 1);
  }
  return Buffer.concat([Buffer.from(`\x1bDbc;k;2;${data.length};`), data, Buffer.from('\r')]);
}

const FRONT = panel(1);
const BACK = panel(2);
const cmds = (...c: string[]) => Buffer.from(c.map((x) => `\x1b${x}\r`).join(''), 'latin1');
const JOB = Uint8Array.from(
  Buffer.concat([
    cmds('Sic', 'Pmc;h', 'Dm;1;HMSK^NORDMANN/OLA', 'Dm;2;9747606730000001234', 'Smw', 'Smr;1', 'Smr;2', 'Ss', 'Sr'),
    dbc(FRONT),
    cmds('Sv'),
    dbc(BACK),
    cmds('Se'),
  ]),
);
const same = (a: Uint8Array | undefined, b: Uint8Array) => a !== undefined && Buffer.compare(a, b) === 0;

export const cases: BenchCase[] = [
  {
    name: 'printer-emulator/card-cycle',
    fn: async () => {
      const em = new EvolisEmulator();
      const replies = await em.write(JOB);
      return { em, replies };
    },
    check: (r: { em: EvolisEmulator; replies: string[] }) => {
      const c = r.em.cards[0];
      return r.replies.length === 13 && r.replies[5] === 'HMSK^NORDMANN/OLA' && c.fate === 'output' && c.tracks[2] === '9747606730000001234' && same(c.panels[0].bitmap, FRONT) && same(c.panels[1].bitmap, BACK);
    },
    measureAlloc: false,
    mitata: { min_samples: 20 },
  },
  {
    name: 'printer-emulator/replay-with-png',
    fn: () => replayEvolisStream(JOB),
    check: (r: Awaited<ReturnType<typeof replayEvolisStream>>) => r.panels.length === 2 && r.panels.every((p) => p.png && p.png.length > 1000) && r.transcript.length === 13,
    measureAlloc: false,
    mitata: { min_samples: 10 },
  },
];

/**
 * The eight command streams captured from Evolis's official Windows driver (dpavlin/Printer-EVOLIS
 * test.windows/*, Dualys 3, 2010), replayed through the emulator, against the figures in
 * research/evolis.md §5.3 (file size, Dbc byte count, ink bits and the first 16 hex digits of the
 * decoded bitmap's sha256, found there by another decoder). The captures are not in this
 * repository: set HMSKORT_EVOLIS_CAPTURES to a folder holding them; otherwise the suite is skipped
 * and says so.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { replayEvolisStream } from '../../../../src/testing/evolisEmulator/replay.js';
import { EvolisEmulator } from '../../../../src/testing/evolisEmulator/emulator.js';

const dir = process.env.HMSKORT_EVOLIS_CAPTURES;
const missing = !dir ? 'set HMSKORT_EVOLIS_CAPTURES to a copy of dpavlin/Printer-EVOLIS test.windows/' : !existsSync(join(dir, 'card-white')) ? `no card-white in ${dir}` : undefined;

// research/evolis.md §5.3: file, size, Dbc length, ink bits, sha256[:16] of the 82 296 decoded bytes.
const TABLE: Array<[string, number, number, number, string]> = [
  ['card-black', 83431, 83312, 656383, 'e41bc4ba0f8b3d14'],
  ['card-black-fit', 83367, 83232, 653758, '33ec74de9db69121'],
  ['card-gradient', 83431, 83312, 412789, '416d3384b982e3d1'],
  ['card-gradient-fit', 83367, 83232, 411819, '7fbc53f6c8ee313f'],
  ['card-white', 42983, 42832, 3827, '8ce9021c251678e7'],
  ['card-white-fit', 43047, 42912, 5797, 'e3f9eb39c40112fc'],
  ['evolis-card-curves', 83367, 83223, 83952, 'd09309df87db8504'],
  ['evolis-card-text', 83367, 83223, 84881, '7db4e6b80e168560'],
];

describe.skipIf(missing !== undefined)(`official Windows driver captures${missing ? ` (skipped: ${missing})` : ''}`, () => {
  for (const [name, size, dbcLength, ink, sha] of TABLE) {
    it(`${name}: one card, its K panel as research/evolis.md decoded it`, async () => {
      const bytes = readFileSync(join(dir!, name));
      expect(bytes.length).toBe(size);
      const r = await replayEvolisStream(bytes);
      expect(r.unknown).toEqual([]);
      expect(r.problems).toEqual([]);
      expect(r.transcript.map((e) => e.command)).toEqual(['Pr', 'Pmi', 'Pc', 'Pdt', 'Mr', 'Ppws', 'Ss', 'Sr', 'Dbc', 'Se']);
      expect(r.transcript[8].payloadBytes).toBe(dbcLength);
      expect(r.panels.map((p) => [p.name, p.ink])).toEqual([['card-1-front-k.png', ink]]);
      const em = new EvolisEmulator();
      await em.write(bytes);
      expect(createHash('sha256').update(em.cards[0].panels[0].bitmap!).digest('hex').slice(0, 16)).toBe(sha);
    });
  }
});

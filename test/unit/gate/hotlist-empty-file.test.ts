/**
 * Issue 19 item 8: a zero-byte hot-list file is a broken file (a failed copy, a full disk), not an
 * empty list. At start the gate refuses it (exit 3, the file named); on reload the old list stays in
 * force with a warning, so a stolen card stays denied. A header-only file is an empty list.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GateConfigError } from '../../../src/gate/errors.js';
import { loadHotlistFile, parseHotlist, type Hotlist } from '../../../src/hotlist/load.js';
import { FileReloader } from '../../../src/gate/reload.js';
import { runMain } from '../../helpers/cli.js';
import { thrown } from '../../helpers/thrown.js';
import { cardExamples } from '../../helpers/cardExamples.js';
import { toHex as hex } from '../../helpers/hex.js';

const signedEx = cardExamples().find((e) => e.id === 'card-signed-4-byte-uid')!;
let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'hmskort-hot-empty-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('a zero-byte hot list', () => {
  it.each(['hot.csv', 'hot.json', 'hot'])('%s of 0 bytes is HOTLIST_FORMAT naming the file', (name) => {
    const e = thrown(() => parseHotlist(new Uint8Array(0), name), GateConfigError);
    expect(e.code).toBe('HOTLIST_FORMAT');
    expect(e.message).toMatch(new RegExp(`^${name}: the file is empty \\(0 bytes\\)`));
  });

  it.each([
    ['header only', 'hot.csv', 'cardNumber,status\n'],
    ['header without newline', 'hot.csv', 'cardNumber,status'],
    ['an empty JSON array', 'hot.json', '[]'],
  ])('%s is an empty list', (_what, name, text) => {
    const h = parseHotlist(new TextEncoder().encode(text), name);
    expect(h.size).toBe(0);
  });

  it('on reload: the old list stays in force and the error says why', async () => {
    const file = join(dir, 'reload.csv');
    writeFileSync(file, 'cardNumber,status\n123456,stolen\n');
    const r = new FileReloader<Hotlist>(file, loadHotlistFile, { debounceMs: 5 });
    let current = await r.start();
    const errors: Error[] = [];
    r.on('reload', (h) => (current = h));
    r.on('error', (e) => errors.push(e));
    try {
      expect(current.has(123456, 0)).toBe(true);
      writeFileSync(file, '');
      await r.reload(true);
      expect(errors.map((e) => e.message)).toEqual([`${file}: the file is empty (0 bytes), a broken or half-written file; an empty hot list is the header line "cardNumber,status" (CSV) or [] (JSON)`]);
      expect(current.has(123456, 0)).toBe(true); // still denied
      // Once the file is whole again it is taken.
      writeFileSync(file, 'cardNumber,status\n');
      await r.reload(true);
      expect(current.size).toBe(0);
    } finally {
      r.close();
    }
  });

  it('at start the gate refuses it: exit 3, the file named, no decision', async () => {
    writeFileSync(join(dir, 'keys.json'), JSON.stringify({ readMaster: hex(signedEx.readMaster) }));
    writeFileSync(join(dir, 'signed.json'), JSON.stringify({ blocks: signedEx.blocks }));
    writeFileSync(join(dir, 'empty.csv'), '');
    const r = await runMain(dir, ['gate', '--reader', 'virtual', '--image-in', 'signed.json', '--keys', 'keys.json', '--hotlist', 'empty.csv', '--now', '2027-01-01T12:00:00Z']);
    expect(r.status).toBe(3);
    expect(r.out).toBe('');
    expect(r.err).toContain('empty.csv: the file is empty (0 bytes)');
  });
});

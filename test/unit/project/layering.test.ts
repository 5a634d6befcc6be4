/**
 * The layers of STYLE.md, checked on the source: codecs import no node:* module and no driver;
 * the card logic imports no driver; the root entry reaches no native module.
 */
import { describe, expect, it } from 'vitest';
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { importClosure, importsOf, sourceFiles as files } from '../../helpers/imports.js';

const src = resolve(import.meta.dirname, '../../../src');

/** Static (type-only included) and dynamic import specifiers of a file. */
const imports = (file: string) => importsOf(file, { dynamic: true });

const NATIVE = /^(serialport|@serialport\/|node-hid|nfc-pcsc|@pokusew\/pcsclite)/;

describe('layering (STYLE.md)', () => {
  it('src/codec imports no node:* module, no driver and nothing outside src/codec', () => {
    for (const f of files(join(src, 'codec'))) {
      for (const s of imports(f)) {
        expect(s.startsWith('node:'), `${f} imports ${s}`).toBe(false);
        expect(NATIVE.test(s), `${f} imports ${s}`).toBe(false);
        if (s.startsWith('.')) expect(resolve(dirname(f), s).startsWith(join(src, 'codec')), `${f} imports ${s}`).toBe(true);
      }
    }
  });

  it('src/card, src/hotlist and src/gate import no driver', () => {
    for (const dir of ['card', 'hotlist', 'gate']) {
      if (!existsSync(join(src, dir))) continue;
      for (const f of files(join(src, dir))) {
        for (const s of imports(f)) {
          expect(NATIVE.test(s) || s.includes('/drivers/'), `${f} imports ${s}`).toBe(false);
        }
      }
    }
  });

  // The hot list sits between the codec and the gate engine: it reads the codec's definition of an
  // entry and is read by the gate. Its one import from gate/ is the configuration-file error class
  // (GateConfigError, gate/errors.ts) it shares with the policy file.
  it('src/hotlist imports only src/codec, itself and gate/errors.ts; src/codec imports nothing of it', () => {
    const hotlist = join(src, 'hotlist');
    for (const f of files(hotlist)) {
      for (const s of imports(f).filter((x) => x.startsWith('.'))) {
        const to = resolve(dirname(f), s);
        const ok = to.startsWith(hotlist + '/') || to.startsWith(join(src, 'codec') + '/') || to === join(src, 'gate', 'errors.js');
        expect(ok, `${f} imports ${s}`).toBe(true);
      }
    }
    for (const f of files(join(src, 'codec'))) for (const s of imports(f)) expect(s.includes('hotlist/'), `${f} imports ${s}`).toBe(false);
  });

  it('the root entry reaches no native module through its static imports', () => {
    const seen = importClosure(join(src, 'index.ts'));
    expect([...seen].filter((x) => x.startsWith('pkg:') && NATIVE.test(x.slice(4)))).toEqual([]);
    expect(seen.size).toBeGreaterThan(3);
  });
});

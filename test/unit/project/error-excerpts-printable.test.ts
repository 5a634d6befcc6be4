/**
 * Issue 19 item 23: text from a bad input file shown in an error message is quoted, made printable
 * and cut: no terminal escape sequence (ESC, 8-bit CSI 0x9B: ECMA-48 section 5.3), no bidi override
 * (Unicode TR #9), no raw binary reaches the terminal from a JSON or CSV error.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { printable, quoteExcerpt } from '../../../src/codec/printable.js';
import { readJsonFile } from '../../../src/cli/files.js';
import { parseHotlist } from '../../../src/hotlist/load.js';
import { parsePolicy } from '../../../src/gate/policy.js';
import { readDump } from '../../../src/card/dumps/index.js';
import { parseKeysFile } from '../../../src/card/keys.js';
import { parseOrders } from '../../../src/batch/orders.js';
import { thrown } from '../../helpers/thrown.js';

const dir = mkdtempSync(join(tmpdir(), 'hmskort-excerpts-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Every character a terminal could act on: C0, DEL, C1, bidi controls, U+FFFD. */
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069\ufffd]/u;
/** 4 KiB of every byte value, twice, with escape sequences among them (fixed, not random). */
const garbage = Buffer.concat([Buffer.from(Array.from({ length: 512 }, (_, i) => (i * 37 + 11) & 0xff)), Buffer.from('\x1b[2J\x1b]0;pwned\x07\u202e\x9b31m', 'latin1'), Buffer.alloc(3000, 0x9b)]);

const message = (f: () => unknown) => thrown(f, Error).message;

describe('printable / quoteExcerpt', () => {
  it('keeps letters of any script, escapes controls, bidi overrides and U+FFFD, cuts at max', () => {
    expect(printable('Ærlig Øvre Ås 123,.;')).toBe('Ærlig Øvre Ås 123,.;');
    expect(printable('a\x1b[31mb\x9b2J\u202ec\ufffd\0\n')).toBe('a\\x1b[31mb\\x9b2J\\u202ec\\ufffd\\x00\\n');
    expect(printable('x'.repeat(61), 60)).toBe('x'.repeat(60) + '…');
    expect(printable('x'.repeat(60), 60)).toBe('x'.repeat(60));
    expect(quoteExcerpt('say "hi" \\ \x07')).toBe('"say \\"hi\\" \\\\ \\x07"');
    expect(quoteExcerpt('y'.repeat(50), 40)).toBe(`"${'y'.repeat(40)}"…`);
  });
});

describe('errors from bad files show no raw input', () => {
  it.each([
    ['a JSON file (readJsonFile)', async () => {
      writeFileSync(join(dir, 'bad.json'), garbage);
      return readJsonFile('bad.json', dir).then(() => '', (e: Error) => e.message);
    }],
    ['a JSON file opening like JSON', async () => {
      writeFileSync(join(dir, 'bad2.json'), Buffer.concat([Buffer.from('{"a": 1, '), garbage]));
      return readJsonFile('bad2.json', dir).then(() => '', (e: Error) => e.message);
    }],
    ['a hot-list CSV header', async () => message(() => parseHotlist(Buffer.concat([garbage.subarray(600), Buffer.from('\n')]), 'hot.csv'))],
    ['a hot-list CSV line', async () => message(() => parseHotlist(Buffer.concat([Buffer.from('cardNumber,status\n123,'), garbage.subarray(520), Buffer.from('\n')]), 'hot.csv'))],
    ['a hot-list JSON status', async () => message(() => parseHotlist(Buffer.concat([Buffer.from('[{"cardNumber": "1", "status": "'), Buffer.from('\x1b[2J\u202e\x9b', 'latin1'), Buffer.from('"}]')]), 'hot.json'))],
    ['a policy file', async () => message(() => parsePolicy(garbage.toString('latin1'), 'policy.json'))],
    // Node names the token and quotes the text around it: '{"a":\x1b[2J...' as is.
    ['a Proxmark3 dump', async () => message(() => readDump(Buffer.concat([Buffer.from('{"a":'), Buffer.from('\x1b[2J\u202e\x9b', 'latin1'), garbage])))],
    ['a keys file that is not JSON', async () => message(() => parseKeysFile(garbage.toString('latin1')))],
    ['a keys file field name', async () => message(() => parseKeysFile({ ['\x1b[2J\u202e\x9b' + 'k'.repeat(300)]: 1 }))],
    ['an order CSV header', async () => message(() => parseOrders('category,cardNumber,orgNumber,orgName,givenName,familyName,birthDate,gender,expiry,' + garbage.subarray(500).toString('latin1').replace(/[\r\n",]/g, 'x') + '\n'))],
    ['an order CSV quoting error', async () => message(() => parseOrders('category,"x\x1b[2J' + garbage.toString('latin1')))],
    ['an order CSV field', async () => {
      const header = 'category,cardNumber,orgNumber,orgName,givenName,familyName,birthDate,gender,expiry';
      const { problems } = parseOrders(`${header}\nB,1,974760673,Org,Ola,Nordmann,1990-01-01,M,\x1b[2J\u202e${'9'.repeat(400)}\n`);
      return problems.map((p) => p.message).join('; ');
    }],
  ])('%s', async (_what, get) => {
    const m = await get();
    expect(m).not.toBe('');
    expect(m).not.toMatch(UNSAFE);
    expect(m.length).toBeLessThan(300);
  });

  it('says a JSON file looks binary', async () => {
    writeFileSync(join(dir, 'bin.json'), garbage);
    await expect(readJsonFile('bin.json', dir)).rejects.toThrow(/\(a binary file\?\)$/);
  });
});

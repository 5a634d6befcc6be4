/**
 * Issue 9, production line: `hmskort batch` encodes one blank card per order, verifies it, and
 * survives being killed at any moment: run again, it resumes, never encodes an order twice and
 * never loses a journal line.
 */
import { describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { main } from '../../../src/cli/main.js';
import { fakeContext } from '../../helpers/cli.js';
import { VirtualCardStack } from '../../../src/testing/cardStack.js';
import { verifyCardImage } from '../../../src/card/verify.js';
import { fromHex } from '../../../src/codec/hex.js';

const root = resolve(import.meta.dirname, '../../..');
const HEADER = 'orderId,category,cardNumber,orgNumber,orgName,givenName,familyName,birthDate,gender,expiry,issue';
// The holders of the spec examples `encode-construction` and `encode-cleaning-leading-zeros`.
const KARI = 'o1,construction,123456,974760673,Brønnøysund Bygg AS,Kari Ærlig,Østby-Hågensen,1985-04-17,F,2028-06-30,0';
const JAN = 'o2,cleaning,000000004711,923609016,Renhold Øst AS,Jan,Kowalski,1991-11-02,M,2027-01-15,2';
// Their records, from the spec examples (hex).
const SPEC_RECORD: Record<string, string> = {
  '123456': JSON.parse(readFileSync(join(root, 'test-vectors/spec-examples.json'), 'utf8')).vectors[0].expect.record,
  '4711': JSON.parse(readFileSync(join(root, 'test-vectors/spec-examples.json'), 'utf8')).vectors[1].expect.record,
};
// The spec examples' keys (card-* vectors).
const KEYS = { readMaster: '000102030405060708090a0b0c0d0e0f', writeMaster: '101112131415161718191a1b1c1d1e1f' };
const RECORD_BLOCKS = [4, 5, 6, 8, 9, 10, 12, 13, 14];

function setup(rows: string[]) {
  const dir = mkdtempSync(join(tmpdir(), 'hmsk-batch-'));
  writeFileSync(join(dir, 'orders.csv'), [HEADER, ...rows].join('\n') + '\n');
  writeFileSync(join(dir, 'keys.json'), JSON.stringify(KEYS));
  return dir;
}

function journalLines(dir: string) {
  return readFileSync(join(dir, 'j.jsonl'), 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as { t: string; order: number; uid: string; cardNumber: string });
}

describe('hmskort batch', () => {
  it('encodes one verified card per order; the records are the spec examples', async () => {
    const dir = setup([KARI, JAN]);
    const ctx = fakeContext({ cwd: dir });
    const status = await main(['batch', 'orders.csv', '--keys', 'keys.json', '--reader', 'virtual', '--journal', 'j.jsonl', '--print-dir', 'print'], ctx);
    expect(ctx.err()).toBe('');
    expect(status).toBe(0);
    expect(ctx.out()).toContain('batch done: 2 orders, 2 encoded now');
    const tray = new VirtualCardStack({ dir: join(dir, 'j.jsonl.cards') }).tray();
    expect(tray.size).toBe(2);
    for (const [uid, blocks] of tray) {
      const v = verifyCardImage(blocks.map((b) => fromHex(b)), fromHex(uid));
      const record = RECORD_BLOCKS.map((b) => blocks[b]).join('');
      expect(record).toBe(SPEC_RECORD[v.holder.cardNumber]);
    }
    expect(journalLines(dir).filter((e) => e.t === 'done').map((e) => e.cardNumber)).toEqual(['123456', '4711']);
    expect(existsSync(join(dir, 'print/o1.barcode.png'))).toBe(true);
    expect(readFileSync(join(dir, 'print/o2.card-back.svg'), 'utf8')).toContain('<svg');
    // Run again: nothing left to do, nothing encoded twice.
    const again = fakeContext({ cwd: dir });
    expect(await main(['batch', 'orders.csv', '--keys', 'keys.json', '--reader', 'virtual', '--journal', 'j.jsonl'], again)).toBe(0);
    expect(again.out()).toContain('0 encoded now, 2 done before');
    expect(new VirtualCardStack({ dir: join(dir, 'j.jsonl.cards') }).tray().size).toBe(2);
  });

  it('stops before any card when an order is invalid, naming the line; --skip-invalid goes on', async () => {
    const dir = setup([KARI, 'o2,cleaning,77,923609016,Renhold,Jan,Kowalski,1991-11-31,M,2027-01-15,0']);
    const ctx = fakeContext({ cwd: dir });
    expect(await main(['batch', 'orders.csv', '--keys', 'keys.json', '--reader', 'virtual', '--journal', 'j.jsonl'], ctx)).toBe(3);
    expect(ctx.out()).toMatch(/invalid order at line 3 \(o2\): INVALID_DATE/);
    expect(existsSync(join(dir, 'j.jsonl'))).toBe(false);
    const skip = fakeContext({ cwd: dir });
    expect(await main(['batch', 'orders.csv', '--keys', 'keys.json', '--reader', 'virtual', '--journal', 'j.jsonl', '--skip-invalid'], skip)).toBe(0);
    expect(skip.out()).toContain('1 encoded now');
    expect(journalLines(dir).filter((e) => e.t === 'skip')).toHaveLength(1);
  });

  it('refuses a journal written for another order file', async () => {
    const dir = setup([KARI]);
    expect(await main(['batch', 'orders.csv', '--keys', 'keys.json', '--reader', 'virtual', '--journal', 'j.jsonl'], fakeContext({ cwd: dir }))).toBe(0);
    writeFileSync(join(dir, 'orders.csv'), [HEADER, JAN].join('\n') + '\n');
    const ctx = fakeContext({ cwd: dir });
    expect(await main(['batch', 'orders.csv', '--keys', 'keys.json', '--reader', 'virtual', '--journal', 'j.jsonl'], ctx)).toBe(3);
    expect(ctx.out()).toContain('belongs to another order file');
  });

  it('killed at random points many times, resumes: no order encoded twice, none lost, journal intact', async () => {
    const n = 8; // with 6 ms per card command, ~0.8 s of card work per order: a kill window of ~2 s lands all over it
    const rows = Array.from({ length: n }, (_, i) => `k${i},construction,${9000 + i},974760673,Bygg AS,Ola ${i},Nordmann,1980-01-01,M,2030-12-31,0`);
    const dir = setup(rows);
    // tsx resolved from the repository: the child runs in a temporary folder.
    const tsx = pathToFileURL(join(root, 'node_modules/tsx/dist/loader.mjs')).href;
    const args = ['--import', tsx, join(root, 'test/helpers/run-cli.ts'), 'batch', 'orders.csv', '--keys', 'keys.json', '--reader', 'virtual', '--journal', 'j.jsonl', '--virtual-delay-ms', '6'];
    let seed = 20261122;
    const rand = () => ((seed = (seed * 1103515245 + 12345) >>> 0) / 2 ** 32);
    let kills = 0;
    let finished = false;
    let output = '';
    for (let run = 0; run < 40 && !finished; run++) {
      const kill = run < 30; // the last runs go to the end
      const child = spawn(process.execPath, args, { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
      child.stdout.on('data', (d) => (output += d));
      child.stderr.on('data', (d) => (output += d));
      const timer = kill ? setTimeout(() => child.kill('SIGKILL'), 300 + rand() * 2000) : undefined;
      const code = await new Promise<number | null>((r) => child.on('exit', (c) => r(c)));
      if (timer) clearTimeout(timer);
      if (code === null) kills++;
      else {
        expect(code, output).toBe(0);
        finished = true;
      }
    }
    expect(finished).toBe(true);
    expect(kills).toBeGreaterThanOrEqual(3);
    // Some kills landed inside an encode, and the order was then finished on the same card.
    expect(output).toMatch(/finished and verified/);
    // Every journal line is whole JSON (a torn one would have thrown in journalLines).
    const lines = journalLines(dir);
    const done = lines.filter((e) => e.t === 'done');
    expect(done.map((e) => e.order).sort()).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    expect(new Set(done.map((e) => e.uid)).size).toBe(n);
    // One card per order number across every card that left the stack or is still in the field.
    const tray = new VirtualCardStack({ dir: join(dir, 'j.jsonl.cards') }).tray();
    const carriers = new Map<string, string[]>();
    for (const [uid, blocks] of tray) {
      if (blocks[4] === '0'.repeat(32)) continue; // a blank card left unused
      const v = verifyCardImage(blocks.map((b) => fromHex(b)), fromHex(uid));
      carriers.set(v.holder.cardNumber, [...(carriers.get(v.holder.cardNumber) ?? []), uid]);
    }
    expect([...carriers.keys()].sort()).toEqual(['9000', '9001', '9002', '9003', '9004', '9005', '9006', '9007']);
    for (const [card, uids] of carriers) expect(uids, `card ${card}`).toHaveLength(1);
    for (const e of done) expect(carriers.get(e.cardNumber)).toEqual([e.uid]);
  }, 240_000);
});

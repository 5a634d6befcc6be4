/**
 * Issue 9: `hmskort batch --stripe PORT` writes tracks 1 and 2 of each order on an MSR605 (the
 * emulator behind a socat pty pair, real serialport on both ends) with read-back, before the order
 * is journalled done. Expected tracks: the spec examples.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { main } from '../../../src/cli/main.js';
import { fakeContext } from '../../helpers/cli.js';
import { openSerialLink } from '../../../src/drivers/msr/serialportLink.js';
import { Msr605Emulator } from '../../../src/testing/msr605Emulator.js';
import type { SerialLink } from '../../../src/transport/serial.js';

const examples = JSON.parse(readFileSync(resolve(import.meta.dirname, '../../../test-vectors/spec-examples.json'), 'utf8')).vectors as Array<{ id: string; expect: Record<string, string> }>;
const ex = (id: string) => examples.find((v) => v.id === id)!;
const haveSocat = spawnSync('socat', ['-V']).status === 0;
const HEADER = 'orderId,category,cardNumber,orgNumber,orgName,givenName,familyName,birthDate,gender,expiry,issue';
const KARI = 'o1,construction,123456,974760673,Brønnøysund Bygg AS,Kari Ærlig,Østby-Hågensen,1985-04-17,F,2028-06-30,0';

describe.skipIf(!haveSocat && !process.env.CI)('hmskort batch --stripe on the MSR605 emulator over a pty (needs socat)', () => {
  let socat: ChildProcess;
  let dir: string;
  let devLink: SerialLink;
  const emu = new Msr605Emulator();

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'hmsk-batch-stripe-'));
    socat = spawn('socat', ['-d', '-d', `pty,raw,echo=0,link=${join(dir, 'host')}`, `pty,raw,echo=0,link=${join(dir, 'dev')}`], { stdio: 'ignore' });
    for (let i = 0; i < 200 && !(existsSync(join(dir, 'host')) && existsSync(join(dir, 'dev'))); i++) await new Promise((r) => setTimeout(r, 25));
    devLink = await openSerialLink(join(dir, 'dev'));
    emu.attach(devLink);
    emu.autoSwipe = {};
    writeFileSync(join(dir, 'orders.csv'), `${HEADER}\n${KARI}\n`);
    writeFileSync(join(dir, 'keys.json'), JSON.stringify({ readMaster: '000102030405060708090a0b0c0d0e0f', writeMaster: '101112131415161718191a1b1c1d1e1f' }));
  });
  afterAll(async () => {
    await devLink?.close();
    socat?.kill('SIGTERM');
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('encodes the chip, writes and verifies the stripe, then journals the order', async () => {
    const ctx = fakeContext({ cwd: dir });
    const status = await main(['batch', 'orders.csv', '--keys', 'keys.json', '--reader', 'virtual', '--journal', 'j.jsonl', '--stripe', join(dir, 'host')], ctx);
    expect(ctx.err()).toBe('');
    expect(status).toBe(0);
    const want = ex('encode-construction').expect;
    // What the emulator's stripe now holds, read back through the CLI's own reader.
    const read = fakeContext({ cwd: dir });
    expect(await main(['stripe', 'read', '--port', join(dir, 'host'), '--json'], read)).toBe(0);
    expect(JSON.parse(read.out())).toMatchObject({ track1: want.track1, track2: want.track2 });
    expect(readFileSync(join(dir, 'j.jsonl'), 'utf8')).toContain('"t":"done"');
  });

  it('a stripe that fails keeps the order pending (not journalled done)', async () => {
    emu.autoSwipe = false; // nobody swipes: the write times out
    writeFileSync(join(dir, 'orders2.csv'), `${HEADER}\n${KARI.replace('o1', 'o9')}\n`);
    const ctx = fakeContext({ cwd: dir });
    const status = await main(['batch', 'orders2.csv', '--keys', 'keys.json', '--reader', 'virtual', '--journal', 'j2.jsonl', '--stripe', join(dir, 'host'), '--swipe-timeout', '200'], ctx);
    expect(status).toBe(1); // stopped on the card after 3 tries: run again to finish it
    expect(ctx.out()).toContain('batch stopped');
    const lines = readFileSync(join(dir, 'j2.jsonl'), 'utf8');
    expect(lines).not.toContain('"t":"done"');
    expect(lines).toContain('"t":"fail"');
  });
});

/**
 * The bridge end to end over a real serial stack (firmware-bridge/PROTOCOL.md): the C reader side
 * (firmware-bridge/tools/bridge_mcu.c on the library) talks to the TypeScript host (BridgeHost on
 * the `serialport` package) through a socat pty pair. The C side's transmit and receive paths drop
 * bytes and flip bits (1.2 % each of dropped and flipped bytes each way) while it presents 40 cards; then the noise stops.
 *
 * Asserted: nothing is misdecoded (every card message the host got is byte for byte a card that
 * was sent under that seq; every decision the reader got is the one the host sent); the link
 * resynchronises (after the noise every card and every decision comes through); the hot-list
 * deltas, retransmitted until the reader's heartbeat acknowledges them, reach the reader; and the
 * reader's own offline decision (C, hmsk_decide) equals the host's (TypeScript, decideGate).
 */
import { afterAll, describe, expect, it } from 'vitest';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { encodeRecord, voidGateBlock } from '../../../src/codec/record.js';
import { validateHolder, type ValidHolder } from '../../../src/codec/holder.js';
import { decideGate, type HotlistEntry } from '../../../src/codec/gateDecision.js';
import { openSerialBridge, type CardPresented } from '../../../src/bridge/host.js';
import { WIRE_REASONS, WIRE_ERRORS, type BridgeMessage, type HotlistItem } from '../../../src/bridge/messages.js';
import { buildNative, missingTools } from '../../helpers/bridge-native.js';
import { toHex } from '../../helpers/hex.js';

const hasSerialport = await import('serialport').then(
  () => true,
  () => false,
);
if (!hasSerialport && process.env.CI) throw new Error('CI: the optional package serialport is not installed');
const skip = hasSerialport ? missingTools(['cc', 'make', 'socat']) : 'needs the optional package serialport (not installed)';
const NOW = Date.parse('2027-06-01T12:00:00Z') / 1000;
const NOISE_PERMILLE = 24; // half drops, half bit flips: 1.2 % each of bytes, both directions
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

const ORGS = ['974760673', '123456785', '012345674'];
function cards(): { uid: Uint8Array; gate: Uint8Array; holder: ValidHolder }[] {
  const out = [];
  for (let i = 0; i < 40; i++) {
    const holder = validateHolder({
      category: i % 2 ? 'cleaning' : 'construction',
      cardNumber: String(1000 + i * 7919),
      orgNumber: ORGS[i % 3],
      orgName: 'Bygg AS',
      givenName: 'Kari',
      familyName: 'Nordmann',
      birthDate: '1980-01-01',
      gender: 'F',
      expiry: i % 5 === 4 ? '2027-05-31' : '2029-12-31', // every fifth card expired at NOW
      issue: i % 4,
    });
    let gate = encodeRecord(holder).subarray(0, 16);
    if (i === 6) gate = voidGateBlock(gate);
    if (i === 8) gate = new Uint8Array(16); // blank
    if (i === 9) gate = Uint8Array.from(gate, (b, k) => (k === 5 ? b ^ 1 : b)); // bad CRC
    const uid = i % 3 === 0 ? Uint8Array.of(4, i, 2, 3) : Uint8Array.of(4, i, 2, 3, 4, 5, 6);
    out.push({ uid, gate, holder });
  }
  return out;
}

describe.skipIf(skip !== null)(`bridge over a socat pty pair with line noise${skip ? ` (skipped: ${skip})` : ''}`, () => {
  const dir = mkdtempSync(join(tmpdir(), 'hmsk-bridge-'));
  const children: ChildProcess[] = [];
  afterAll(() => {
    for (const c of children) if (c.exitCode === null && c.pid) process.kill(c.pid);
    rmSync(dir, { recursive: true, force: true });
  });

  it('nothing is misdecoded, the link resynchronises, deltas arrive, C and TypeScript decide alike', async () => {
    const [mcuPath] = buildNative('build/bridge_mcu');
    const hostTty = join(dir, 'host');
    const mcuTty = join(dir, 'mcu');
    const socat = spawn('socat', ['-d', '-d', `pty,raw,echo=0,link=${hostTty}`, `pty,raw,echo=0,link=${mcuTty}`], { stdio: 'ignore' });
    children.push(socat);
    for (let t = 0; t < 250 && !(existsSync(hostTty) && existsSync(mcuTty)); t++) await sleep(20);
    expect(existsSync(hostTty) && existsSync(mcuTty)).toBe(true);

    const list = cards();
    // The host's hot list after both deltas; version 1 puts cards 2 and 5, version 2 removes 5 and
    // puts card 3 with minIssue above its issue (so it is hot) and card 7 with minIssue at its issue (not hot).
    const deltas: HotlistItem[][] = [
      [{ op: 'put', cardNumber: list[2].holder.cardNumber, status: 'lost' }, { op: 'put', cardNumber: list[5].holder.cardNumber, status: 'stolen' }],
      [
        { op: 'remove', cardNumber: list[5].holder.cardNumber },
        { op: 'put', cardNumber: list[3].holder.cardNumber, status: 'blocked', minIssue: list[3].holder.issue + 1 },
        { op: 'put', cardNumber: list[7].holder.cardNumber, status: 'destroyed', minIssue: list[7].holder.issue },
      ],
    ];
    const finalHot: HotlistEntry[] = [
      { cardNumber: list[2].holder.cardNumber, status: 'lost' },
      { cardNumber: list[3].holder.cardNumber, status: 'blocked', minIssue: list[3].holder.issue + 1 },
      { cardNumber: list[7].holder.cardNumber, status: 'destroyed', minIssue: list[7].holder.issue },
    ];
    const hostDecisions = new Map<number, ReturnType<typeof decideGate>>();
    const received: CardPresented[] = [];
    let readerVersion = -1;
    let heartbeats = 0;
    let badMessages = 0;

    const { host, close } = await openSerialBridge(hostTty, {
      onCard: (card) => {
        received.push(card);
        const d = decideGate(card.gateBlock, NOW * 1000, finalHot, {});
        hostDecisions.set(card.seq, d);
        return d;
      },
    });
    host.on('message', (m: BridgeMessage) => {
      if (m.type === 'heartbeat') {
        heartbeats++;
        readerVersion = Math.max(readerVersion, m.hotlistVersion);
      }
    });
    host.on('badMessage', () => badMessages++);
    const hostErrors: Error[] = [];
    host.on('error', (e: Error) => hostErrors.push(e));

    const mcu = spawn(mcuPath, [mcuTty, String(NOISE_PERMILLE), '20261122', String(NOW), '2'], { stdio: ['pipe', 'pipe', 'pipe'] });
    children.push(mcu);
    let stdout = '';
    let stderr = '';
    mcu.stdout!.on('data', (d) => (stdout += d));
    mcu.stderr!.on('data', (d) => (stderr += d));
    mcu.stdin!.end(list.map((c) => `${toHex(c.uid)} ${toHex(c.gate)}`).join('\n') + '\n');
    const exited = new Promise<number | null>((r) => mcu.on('exit', (code) => r(code)));

    // Retransmit each delta until a heartbeat shows the reader has it (PROTOCOL.md, hot list).
    let done = false;
    void exited.then(() => (done = true));
    while (!done) {
      if (readerVersion >= 0 && readerVersion < deltas.length)
        await host.send({ type: 'hotlist', version: readerVersion + 1, items: deltas[readerVersion] }).catch(() => {});
      await sleep(60);
    }
    const code = await exited;
    await close();
    expect(stderr).toBe('');
    expect(code).toBe(0);
    const summary = JSON.parse(stdout);
    if (process.env.BRIDGE_DEBUG) console.log(JSON.stringify({ ...summary, local: undefined, decisions: summary.decisions.length, hostBadFrames: host.badFrames, badMessages, received: received.length, heartbeats }));

    // Noise really happened, both ways.
    expect(summary.txDropped + summary.txFlipped).toBeGreaterThan(5);
    expect(summary.rxDropped + summary.rxFlipped).toBeGreaterThan(0);
    expect(host.badFrames + badMessages).toBeGreaterThan(0);
    expect(heartbeats).toBeGreaterThan(0);
    expect(hostErrors).toEqual([]);

    // Nothing misdecoded: every card the host saw is the card sent under that seq, byte for byte.
    const n = list.length;
    for (const c of received) {
      const i = c.seq >= 128 ? c.seq - 128 : c.seq;
      expect(i).toBeLessThan(n);
      expect(toHex(c.uid)).toBe(toHex(list[i].uid));
      expect(toHex(c.gateBlock)).toBe(toHex(list[i].gate));
    }
    // ... and every decision the reader got is the one the host sent for that seq.
    expect(summary.unexpected).toBe(0);
    for (const d of summary.decisions) {
      const h = hostDecisions.get(d.seq)!;
      expect(h, `decision for seq ${d.seq} the host never sent`).toBeDefined();
      expect([d.allow, WIRE_REASONS[d.reason], WIRE_ERRORS[d.error]]).toEqual([h.allow ? 1 : 0, h.reason, h.error ?? null]);
    }
    // Resynchronised: after the noise, every card reached the host and every decision the reader.
    const clean = new Set(received.filter((c) => c.seq >= 128).map((c) => c.seq));
    expect(clean.size).toBe(n);
    const cleanDecisions = summary.decisions.filter((d: { seq: number }) => d.seq >= 128);
    expect(cleanDecisions.length).toBe(n);
    // The noisy phase lost some cards (else the noise proves nothing).
    expect(received.filter((c) => c.seq < 128).length).toBeLessThan(n);

    // Hot list reached version 2 with the right cards (sorted by value).
    expect(summary.hotlistVersion).toBe(2);
    expect(summary.hotlist).toEqual(finalHot.map((e) => e.cardNumber).sort((a, b) => +a - +b));

    // The reader's offline decision (C) equals the host's (TypeScript) for every card.
    for (const local of summary.local) {
      const h = hostDecisions.get(local.seq)!;
      expect([local.allow === 1, local.reason], `card ${local.seq - 128}`).toEqual([h.allow, h.reason]);
    }
    const reasons = new Set(summary.local.map((l: { reason: string }) => l.reason));
    expect([...reasons].sort()).toEqual(['expired', 'hotlisted', 'invalid', 'ok', 'voided']);
  }, 60_000);
});

/**
 * An MSR605 magnetic-stripe reader/encoder in software, answering the command set of the MSR605
 * Programmer's Manual rev. B (section 6 commands, section 7 data formats, section 8 sequences)
 * byte for byte, over any byte link. It holds one card of three tracks of bits with a coercivity.
 * Built from the manual, not from the driver: it shares no code with src/drivers/msr.
 *
 * Swipes: a command that needs a card (read, write, raw read/write, erase, sensor test) waits
 * until `swipe()` is called, or, with `autoSwipe` set, until the next tick. `ESC a` aborts the wait
 * (no reply, as the manual says). Faults: `forceStatus` answers the next swipe with that status,
 * `silent` swallows every reply, `lowerCaseCoercivity` and `trackMarkers` mimic device variants.
 */
import type { SerialLink } from '../transport/serial.js';
import { parseIsoWriteBlock, parseRawWriteBlock } from './msr605Blocks.js';
import { blankCard, isoReadTrack, isoTrackBits, rawReadBytes, rawWriteBits, type Coercivity, type EmulatedCard } from './msr605Stripe.js';
import { needOptions } from '../codec/guard.js';

export { blankCard, type EmulatedCard, type Coercivity } from './msr605Stripe.js';

const ESC = 0x1b;
const FS = 0x1c;
const OK = 0x30;
const FAIL = 0x41; // 'A'

export interface Msr605EmulatorOptions {
  /** Model byte of ESC t ('3' = tracks 1, 2 and 3). */
  model?: string;
  /** 8 characters, "REV?X.XX" (MSR206 manual command 19). */
  firmware?: string;
  /** Answer ESC d with 'h'/'l' instead of 'H'/'L' (seen on some units). */
  lowerCaseCoercivity?: boolean;
  /** In ISO reads, mark blank tracks with ESC + and failed ones with ESC * (seen on some units). */
  trackMarkers?: boolean;
  /** Command bytes this unit lacks (answered 0x34, invalid command), e.g. [0x64] for an MSR206 without Hi-Co. */
  unsupported?: number[];
}

type Pending = { op: 'readIso' | 'readRaw' | 'sensor' } | { op: 'writeIso'; tracks: (string | undefined)[] } | { op: 'writeRaw'; tracks: (Uint8Array | undefined)[] } | { op: 'erase'; tracks: number[] };

export interface SwipeOptions {
  /** Swipe the card the other way round: the head meets the bits in reverse order. */
  reverse?: boolean;
  /** A badly moved card: writes answer 0x39, reads fail every track (0x31). */
  bad?: boolean;
}

export class Msr605Emulator {
  card: EmulatedCard | undefined = blankCard();
  /** Write coercivity (ESC x / ESC y). A Lo-Co field does not change a Hi-Co stripe. */
  writeMode: Coercivity = 'hi';
  bpc: [number, number, number] = [8, 8, 8];
  leadingZeros: [number, number] = [0x3d, 0x16];
  bpi: [number, number, number] = [210, 75, 210];
  led: 'off' | 'on' | 'green' | 'yellow' | 'red' = 'off';
  autoSwipe: false | SwipeOptions = false;
  forceStatus: number | undefined;
  silent = false;
  /** Every command byte pair (ESC x) received, for assertions. */
  readonly commands: number[] = [];
  private readonly opts: Required<Msr605EmulatorOptions>;
  private input: number[] = [];
  private pending: Pending | undefined;
  private listeners = new Set<(bytes: Uint8Array) => void>();
  private waiters = new Set<() => void>();

  constructor(opts: Msr605EmulatorOptions = {}) {
    needOptions('Msr605Emulator', 'opts', opts);
    this.opts = { model: '3', firmware: 'REVU3.04', lowerCaseCoercivity: false, trackMarkers: false, unsupported: [], ...opts };
  }

  /** Device -> host bytes. */
  onSend(listener: (bytes: Uint8Array) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Wires the emulator to one end of a byte link (a memory pair, or a pty opened with serialport). */
  attach(link: SerialLink): () => void {
    const off1 = link.onData((b) => this.receive(b));
    const off2 = this.onSend((b) => void link.write(b).catch(() => undefined));
    return () => (off1(), off2());
  }

  /** True while a command waits for a card to be swiped. */
  get waitingForSwipe(): boolean {
    return this.pending !== undefined;
  }

  /** Resolves when a command starts waiting for a swipe. */
  whenWaiting(): Promise<void> {
    if (this.pending) return Promise.resolve();
    return new Promise((r) => this.waiters.add(r));
  }

  private send(bytes: number[]): void {
    if (this.silent) return;
    const b = Uint8Array.from(bytes);
    for (const l of [...this.listeners]) l(b);
  }

  /** Host -> device bytes, in any chunking. */
  receive(bytes: Uint8Array): void {
    this.input.push(...bytes);
    for (;;) {
      const used = this.step();
      if (used === 0) return;
      this.input.splice(0, used);
    }
  }

  /** Executes the first complete command in the input; returns the bytes used (0: need more). */
  private step(): number {
    const b = this.input;
    const esc = b.indexOf(ESC);
    if (esc < 0) return b.length; // bytes outside a command are ignored
    if (esc > 0) return esc;
    if (b.length < 2) return 0;
    const c = b[1];
    if (c === 0x61) {
      this.commands.push(c);
      this.pending = undefined; // reset: abort a wait, no response (command 1)
      return 2;
    }
    if (this.pending) return 2; // waiting for a swipe: only a reset is heard
    const need = ({ 0x63: 3, 0x62: 3, 0x6f: 5, 0x7a: 4 } as Record<number, number>)[c] ?? 2;
    if (b.length < need) return 0;
    this.commands.push(c);
    if (this.opts.unsupported.includes(c)) return this.send([ESC, 0x34]), need;
    switch (c) {
      case 0x65: // communication test
        this.send([ESC, 0x79]);
        return 2;
      case 0x72:
        return this.wait({ op: 'readIso' }), 2;
      case 0x6d:
        return this.wait({ op: 'readRaw' }), 2;
      case 0x86:
        return this.wait({ op: 'sensor' }), 2;
      case 0x77:
        return this.takeBlock(false);
      case 0x6e:
        return this.takeBlock(true);
      case 0x63: {
        const sel = ({ 0: [1], 2: [2], 4: [3], 3: [1, 2], 5: [1, 3], 6: [2, 3], 7: [1, 2, 3] } as Record<number, number[]>)[b[2]];
        if (sel) this.wait({ op: 'erase', tracks: sel });
        else this.send([ESC, FAIL]);
        return 3;
      }
      case 0x62: {
        const d = ({ 0xa1: [0, 210], 0xa0: [0, 75], 0xd2: [1, 210], 0x4b: [1, 75], 0xc1: [2, 210], 0xc0: [2, 75] } as Record<number, number[]>)[b[2]];
        if (d) this.bpi[d[0]] = d[1];
        this.send([ESC, d ? OK : FAIL]);
        return 3;
      }
      case 0x74:
        this.send([ESC, this.opts.model.charCodeAt(0), 0x53]);
        return 2;
      case 0x76:
        this.send([ESC, ...Array.from(this.opts.firmware, (ch) => ch.charCodeAt(0))]);
        return 2;
      case 0x6f: {
        const v = [b[2], b[3], b[4]];
        if (v.every((x) => x >= 5 && x <= 8)) {
          this.bpc = v as [number, number, number];
          this.send([ESC, OK, ...v]);
        } else this.send([ESC, 0x32]);
        return 5;
      }
      case 0x78:
      case 0x79:
        this.writeMode = c === 0x78 ? 'hi' : 'lo';
        this.send([ESC, OK]);
        return 2;
      case 0x64: {
        const letter = this.writeMode === 'hi' ? 'H' : 'L';
        this.send([ESC, (this.opts.lowerCaseCoercivity ? letter.toLowerCase() : letter).charCodeAt(0)]);
        return 2;
      }
      case 0x81:
      case 0x82:
      case 0x83:
      case 0x84:
      case 0x85:
        this.led = (['off', 'on', 'green', 'yellow', 'red'] as const)[c - 0x81];
        return 2;
      case 0x87:
        this.send([ESC, OK]);
        return 2;
      case 0x7a:
        this.leadingZeros = [b[2], b[3]];
        this.send([ESC, OK]);
        return 4;
      case 0x6c:
        this.send([ESC, ...this.leadingZeros]);
        return 2;
      default:
        this.send([ESC, 0x34]); // invalid command
        return 2;
    }
  }

  /** ESC w / ESC n: takes the write block after the command; 0 while incomplete, 0x32 when malformed. */
  private takeBlock(raw: boolean): number {
    const r = (raw ? parseRawWriteBlock : parseIsoWriteBlock)(this.input, 2);
    if (r === undefined) return 0;
    if ('bad' in r) this.send([ESC, 0x32]);
    else this.wait(raw ? { op: 'writeRaw', tracks: r.tracks as (Uint8Array | undefined)[] } : { op: 'writeIso', tracks: r.tracks as (string | undefined)[] });
    return r.used;
  }

  private wait(p: Pending): void {
    this.pending = p;
    for (const w of [...this.waiters]) w();
    this.waiters.clear();
    if (this.autoSwipe && this.card) {
      const o = this.autoSwipe;
      setImmediate(() => this.pending === p && this.swipe(o));
    }
  }

  /** Swipes the held card through the device. Returns false when no command waits (or no card). */
  swipe(o: SwipeOptions = {}): boolean {
    const p = this.pending;
    const card = this.card;
    if (!p || !card) return false;
    this.pending = undefined;
    const forced = this.forceStatus;
    this.forceStatus = undefined;
    const head = (t: number) => (o.reverse ? [...card.tracks[t]].reverse().join('') : card.tracks[t]);
    const takes = this.writeMode === 'hi' || card.coercivity === 'lo';
    const lead = (t: number) => '0'.repeat(t === 1 ? this.leadingZeros[1] : this.leadingZeros[0]);
    const trail = '0'.repeat(20);
    switch (p.op) {
      case 'sensor':
        this.send([ESC, forced ?? OK]);
        break;
      case 'readIso': {
        const out = [ESC, 0x73];
        let status = OK;
        for (let t = 0; t < 3; t++) {
          const text = o.bad ? undefined : isoReadTrack(t, head(t));
          out.push(ESC, t + 1);
          if (text === undefined) status = 0x31;
          if (text) out.push(...Array.from(text, (ch) => ch.charCodeAt(0)));
          else if (this.opts.trackMarkers) out.push(ESC, text === undefined ? 0x2a : 0x2b);
        }
        this.send([...out, 0x3f, FS, ESC, forced ?? status]);
        break;
      }
      case 'readRaw': {
        const out = [ESC, 0x73];
        for (let t = 0; t < 3; t++) {
          const bytes = rawReadBytes(o.bad ? '' : head(t), this.bpc[t]);
          out.push(ESC, t + 1, Math.min(bytes.length, 255), ...bytes.slice(0, 255));
        }
        this.send([...out, 0x3f, FS, ESC, forced ?? (o.bad ? 0x31 : OK)]);
        break;
      }
      case 'writeIso':
      case 'writeRaw': {
        if (o.bad || forced !== undefined) {
          this.send([ESC, forced ?? 0x39]);
          break;
        }
        const next = [...card.tracks] as [string, string, string];
        for (let t = 0; t < 3; t++) {
          const d = p.tracks[t];
          if (d === undefined || d.length === 0) continue; // an empty track is left as it is
          const bits = typeof d === 'string' ? isoTrackBits(t, d) : rawWriteBits(d, this.bpc[t]);
          if (bits === undefined) {
            this.send([ESC, 0x32]); // a character outside the track's set
            return true;
          }
          next[t] = lead(t) + bits + trail;
        }
        if (takes) card.tracks = next;
        this.send([ESC, OK]);
        break;
      }
      case 'erase':
        if (o.bad || forced !== undefined) {
          this.send([ESC, forced ?? 0x39]);
          break;
        }
        if (takes) for (const t of p.tracks) card.tracks[t - 1] = '';
        this.send([ESC, OK]);
        break;
    }
    return true;
  }
}

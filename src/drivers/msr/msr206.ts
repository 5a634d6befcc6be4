/**
 * Driver for the MSR206 / MSR605 / MSR606 family of magnetic-stripe encoders (MSR605 Programmer's
 * Manual rev. B; MSR206 manual UDN PM017-U rev. C.1) over any byte link: serial at 9600 8N1
 * (serialportLink.ts), or USB HID for the MSR605X (msr605x.ts). One command at a time; each reply
 * is parsed by the pure `feed` of replies.ts. A command that waits for a swipe ends with TIMEOUT
 * when no card comes, or CANCELLED on the caller's AbortSignal; either way the driver sends
 * RESET (ESC a), which the manual says ends the device's wait without a reply.
 */
import type { SerialLink } from '../../transport/serial.js';
import { MsrError, statusError } from './errors.js';
import { CMD, STATUS_OK, bpiByte, eraseSelectByte, isoDataBlock, rawDataBlock, type TrackSet } from './protocol.js';
import { feed, initialReplyState, type IsoTrack, type Reply, type ReplyKind, type ReplyState } from './replies.js';
import { needOptions, needLink } from '../../codec/guard.js';
import { waitFor } from '../../transport/wait.js';

export interface MsrOptions {
  /** Time for a reply to a command that needs no card. Default 3000 ms. */
  commandTimeoutMs?: number;
  /** Time to wait for a swipe. Default 30 000 ms. */
  swipeTimeoutMs?: number;
}

export interface CallOptions {
  timeoutMs?: number;
  signal?: AbortSignal;
}

export type Led = 'off' | 'on' | 'green' | 'yellow' | 'red';

export interface IsoRead {
  status: number;
  tracks: [IsoTrack, IsoTrack, IsoTrack];
}

export interface RawRead {
  status: number;
  tracks: [Uint8Array | undefined, Uint8Array | undefined, Uint8Array | undefined];
}

interface Waiting {
  state: ReplyState;
  done(reply: Reply | undefined, error?: MsrError): void;
}

export class Msr206 {
  private readonly commandTimeoutMs: number;
  private readonly swipeTimeoutMs: number;
  private waiting: Waiting | undefined;
  private queue: Promise<unknown> = Promise.resolve();
  private readonly unsubscribe: () => void;

  constructor(
    private readonly link: SerialLink,
    opts: MsrOptions = {},
  ) {
    needLink('Msr206', link);
    needOptions('Msr206', 'opts', opts);
    this.commandTimeoutMs = opts.commandTimeoutMs ?? 3000;
    this.swipeTimeoutMs = opts.swipeTimeoutMs ?? 30_000;
    this.unsubscribe = link.onData((b) => this.onBytes(b));
  }

  private onBytes(bytes: Uint8Array): void {
    const w = this.waiting;
    if (!w) return; // bytes with no command pending (a late reply after a reset) are dropped
    const r = feed(w.state, bytes);
    w.state = r.state;
    if (r.error) w.done(undefined, r.error);
    else if (r.reply) w.done(r.reply);
  }

  /** Sends a command and, unless `kind` is undefined, waits for its reply. Serialised. */
  private exchange(cmd: ArrayLike<number>, kind: ReplyKind | undefined, swipe: boolean, opts: CallOptions = {}): Promise<Reply | undefined> {
    const run = async (): Promise<Reply | undefined> => {
      if (opts.signal?.aborted) throw new MsrError('CANCELLED', 'cancelled before the command was sent');
      if (!kind) {
        await this.write(cmd);
        return undefined;
      }
      let fail!: (error: MsrError) => void;
      // The handlers are attached at once, so an end during the write below is never an unhandled rejection.
      const outcome = waitFor<Reply | undefined>({
        what: swipe ? 'a swipe' : 'a reply',
        timeoutMs: opts.timeoutMs ?? (swipe ? this.swipeTimeoutMs : this.commandTimeoutMs),
        signal: opts.signal,
        timeoutError: (ms) => new MsrError('TIMEOUT', swipe ? `no card swiped within ${ms} ms` : `no reply within ${ms} ms`),
        abortError: () => new MsrError('CANCELLED', swipe ? 'cancelled while waiting for a swipe' : 'cancelled'),
        subscribe: (resolve, reject) => {
          fail = reject;
          this.waiting = { state: initialReplyState(kind), done: (reply, error) => (error ? reject(error) : resolve(reply)) };
          return () => {
            this.waiting = undefined;
          };
        },
      }).then(
        (reply) => ({ reply }),
        async (error: unknown) => {
          if (swipe && error instanceof MsrError && (error.code === 'TIMEOUT' || error.code === 'CANCELLED')) {
            // RESET ends the device's wait for a card (manual, command 1); it has no reply.
            await this.write(CMD.reset).catch(() => undefined);
          }
          return { error };
        },
      );
      try {
        await this.write(cmd);
      } catch (e) {
        fail(new MsrError('IO', `cannot write to the device: ${(e as Error).message}`, { cause: e }));
      }
      const end = await outcome;
      if ('error' in end) throw end.error;
      return end.reply;
    };
    const p = this.queue.then(run, run);
    this.queue = p.catch(() => undefined);
    return p;
  }

  private async write(bytes: ArrayLike<number>): Promise<void> {
    await this.link.write(Uint8Array.from(bytes));
  }

  /** Runs a command whose reply is `ESC [status]`; throws unless the status is 0x30. */
  private async expectOk(cmd: ArrayLike<number>, what: string, swipe = false, opts?: CallOptions): Promise<void> {
    const r = await this.exchange(cmd, 'status', swipe, opts);
    if (r?.kind !== 'status' || r.status !== STATUS_OK) throw statusError(r?.kind === 'status' ? r.status : -1, what);
  }

  private async expect<K extends Reply['kind']>(cmd: ArrayLike<number>, kind: K & ReplyKind, what: string, swipe = false, opts?: CallOptions): Promise<Extract<Reply, { kind: K }>> {
    const r = await this.exchange(cmd, kind, swipe, opts);
    if (r?.kind === 'status') throw statusError(r.status, what);
    return r as Extract<Reply, { kind: K }>;
  }

  /** RESET (ESC a): the device returns to its initial state; no reply. */
  reset(): Promise<void> {
    return this.exchange(CMD.reset, undefined, false).then(() => undefined);
  }

  /** Communication test (ESC e -> ESC y). */
  async communicationTest(opts?: CallOptions): Promise<void> {
    await this.expect([...CMD.commTest], 'commTest', 'communication test', false, opts);
  }

  /** Model byte of ESC t (e.g. '3' for tracks 1, 2 and 3). */
  async model(opts?: CallOptions): Promise<string> {
    return (await this.expect([...CMD.model], 'model', 'get model', false, opts)).model;
  }

  /** Firmware version of ESC v ("REV?X.XX"). */
  async firmware(opts?: CallOptions): Promise<string> {
    return (await this.expect([...CMD.firmware], 'firmware', 'get firmware', false, opts)).version;
  }

  /** ESC x (Hi-Co) / ESC y (Lo-Co): the coercivity the device writes with. */
  setCoercivity(c: 'hi' | 'lo', opts?: CallOptions): Promise<void> {
    return this.expectOk(c === 'hi' ? CMD.setHiCo : CMD.setLoCo, `set ${c === 'hi' ? 'Hi' : 'Lo'}-Co`, false, opts);
  }

  /** ESC d: 'hi' or 'lo' (upper- or lower-case reply). */
  async getCoercivity(opts?: CallOptions): Promise<'hi' | 'lo'> {
    return (await this.expect([...CMD.getCoercivity], 'coercivity', 'get coercivity', false, opts)).hiCo ? 'hi' : 'lo';
  }

  /** Select BPI (ESC b): 210 or 75 bits per inch for one track. */
  setBpi(track: 1 | 2 | 3, bpi: 75 | 210, opts?: CallOptions): Promise<void> {
    return this.expectOk([...CMD.setBpi, bpiByte(track, bpi)], `select ${bpi} BPI on track ${track}`, false, opts);
  }

  /** Set BPC (ESC o): bits per character 5-8 of tracks 1, 2, 3 (used by raw reads and writes). */
  async setBpc(bpc: [number, number, number], opts?: CallOptions): Promise<void> {
    if (!bpc.every((n) => Number.isInteger(n) && n >= 5 && n <= 8)) throw new RangeError('bits per character must be 5..8');
    const r = await this.expect([...CMD.setBpc, ...bpc], 'bpc', 'set BPC', false, opts);
    if (r.bpc.some((n, i) => n !== bpc[i])) throw new MsrError('PROTOCOL', `set BPC echoed ${r.bpc.join(',')}, asked ${bpc.join(',')}`);
  }

  /** Set leading zero (ESC z): clocking zeros before the data on tracks 1 & 3, and on track 2. */
  setLeadingZeros(track13: number, track2: number, opts?: CallOptions): Promise<void> {
    return this.expectOk([...CMD.setLeadingZeros, track13 & 0xff, track2 & 0xff], 'set leading zeros', false, opts);
  }

  async getLeadingZeros(opts?: CallOptions): Promise<{ track13: number; track2: number }> {
    const r = await this.expect([...CMD.getLeadingZeros], 'leadingZeros', 'check leading zeros', false, opts);
    return { track13: r.track13, track2: r.track2 };
  }

  /** LED commands (ESC 0x81-0x85); no reply. */
  async led(which: Led): Promise<void> {
    const cmd = { off: CMD.ledsOff, on: CMD.ledsOn, green: CMD.ledGreen, yellow: CMD.ledYellow, red: CMD.ledRed }[which];
    await this.exchange(cmd, undefined, false);
  }

  /** RAM test (ESC 0x87): resolves on ESC 0, FAILED on ESC A. */
  ramTest(opts?: CallOptions): Promise<void> {
    return this.expectOk(CMD.ramTest, 'RAM test', false, opts);
  }

  /** Sensor test (ESC 0x86): resolves when the device senses a card. */
  sensorTest(opts?: CallOptions): Promise<void> {
    return this.expectOk(CMD.sensorTest, 'sensor test', true, opts);
  }

  /** Erase (ESC c [select]) on the next swipe. */
  erase(tracks: TrackSet, opts?: CallOptions): Promise<void> {
    return this.expectOk([...CMD.erase, eraseSelectByte(tracks)], `erase tracks ${tracks.join(',')}`, true, opts);
  }

  /** ISO read (ESC r) of the next swipe. Throws only for a bare status reply; check `status`. */
  async readIso(opts?: CallOptions): Promise<IsoRead> {
    const r = await this.expect([...CMD.readIso], 'iso', 'read', true, opts);
    return { status: r.status, tracks: r.tracks };
  }

  /** ISO write (ESC w) on the next swipe. Tracks WITH sentinels (as the codec composes them), no LRC. */
  writeIso(tracks: Partial<Record<1 | 2 | 3, string>>, opts?: CallOptions): Promise<void> {
    const inner: Partial<Record<1 | 2 | 3, string>> = {};
    for (const n of [1, 2, 3] as const) {
      const s = tracks[n];
      if (s === undefined) continue;
      const ss = n === 1 ? '%' : ';';
      if (!s.startsWith(ss) || !s.endsWith('?')) throw new RangeError(`track ${n} must begin with ${ss} and end with ?`);
      inner[n] = s.slice(1, -1); // the device adds the sentinels and the LRC (manual section 9)
    }
    return this.expectOk([...CMD.writeIso, ...isoDataBlock(inner)], 'write', true, opts);
  }

  /** Raw read (ESC m) of the next swipe: bytes per track, first stripe bit in the MSB. */
  async readRaw(opts?: CallOptions): Promise<RawRead> {
    const r = await this.expect([...CMD.readRaw], 'raw', 'raw read', true, opts);
    return { status: r.status, tracks: r.tracks };
  }

  /** Raw write (ESC n) on the next swipe: bytes per track, first stripe bit in the LSB. */
  writeRaw(tracks: Partial<Record<1 | 2 | 3, Uint8Array>>, opts?: CallOptions): Promise<void> {
    return this.expectOk([...CMD.writeRaw, ...rawDataBlock(tracks)], 'raw write', true, opts);
  }

  /** Stops listening to the link (does not close it). */
  dispose(): void {
    this.unsubscribe();
  }
}

/**
 * An Evolis card printer (Primacy, Zenius; not Avansia, whose protocol differs, S3
 * `evolis_type_t`) over a PrinterLink, implementing the CardPrinter contract of types.ts.
 * Command set: Evolis Card Printers Programming Guide A5013 rev. E (S1) and the SDK and
 * integrators' code collected in research/evolis.md. One command at a time: commands queue, and
 * each waits for its reply with the time-out of its class (DEFAULT_TIMEOUTS).
 */
import { needObject, needOptions } from '../../codec/guard.js';
import { classifyReply, kindOfCode, PrinterError, replyError, type ReplyClass } from './errors.js';
import { describeCommand, encodeCommand } from './frame.js';
import type { PrinterLink } from './link.js';
import { printSteps, stripeSteps, type PrinterCommand, type TimeoutClass } from './sequences.js';
import type { CardPosition, CardPrinter, MonoPanel, PrinterStatus, StripeData } from './types.js';

/**
 * Time-outs per class of command. Evolis's samples use 2 s for parameter commands, 30-45 s for
 * the magnetic head and printing, 40 s for Sic (S9 CPrinter.vb, S16); the SDK's print job default
 * is 5 min (S3 evolis.h). Card movements (Se, Ser, Sr) take Sic's 40 s.
 */
export const DEFAULT_TIMEOUTS: Readonly<Record<TimeoutClass, number>> = {
  parameter: 2_000,
  movement: 40_000,
  mag: 45_000,
  print: 300_000,
};

export interface EvolisOptions {
  /** Time-outs per class, replacing DEFAULT_TIMEOUTS' where given. */
  timeouts?: Partial<Record<TimeoutClass, number>>;
  /** One time-out for every command (the CLI's --timeout), over `timeouts`. */
  timeoutMs?: number;
  /** Called after every exchange, for a transcript (`reply` undefined when it failed). */
  onExchange?: (entry: { command: string; reply?: string; ms: number }) => void;
}

/**
 * `Rlr;p` (card position) -> where the card is. Current firmware: OK = no card, CARD = print
 * position (S6 support note); SMART CARD, CONTACTLESS CARD (S7 l.1369-1373, S8 l.2282-2319).
 * The 2003 guide answers NO CARD or ERR CARD (card inside) (S1 p.34).
 */
const POSITIONS: Readonly<Record<string, CardPosition>> = {
  OK: 'none',
  'NO CARD': 'none',
  CARD: 'print',
  'ERR CARD': 'print',
  'SMART CARD': 'contact',
  'CONTACTLESS CARD': 'contactless',
};

/**
 * A sensor reading, "5,00 Volts" with a comma decimal (S7 l.1191-1192, S8 l.1953-1956), in volts;
 * undefined for anything else (a printer that does not know Rse answers ERROR CDE or OK).
 */
export function parseVolts(reply: string | undefined): number | undefined {
  const m = reply === undefined ? null : /^\s*(\d+)(?:[,.](\d+))?\s*Volts?\s*$/i.exec(reply);
  return m ? Number(`${m[1]}.${m[2] ?? '0'}`) : undefined;
}

/**
 * Sensors read at 0 V when the cover is open (Rse;o) and when the feeder is empty (Rse;f), 5 V
 * otherwise (S1 p.37 names the sensors; S7 l.1191-1192, S8 l.1953-1956 give the readings); half
 * way, 2.5 V, is the line. Rlr;r answers "ERR NEED CLEANING" when cleaning is due (S1 p.34). The
 * conditions are named in the printer's own words for them (FEEDER EMPTY, COVER OPEN, NEED
 * CLEANING: the error list of S1 p.34 and S9). A reply that is no reading says nothing.
 */
export function sensorConditions(r: { cover?: string; feeder?: string; cleaning?: string }): string[] {
  const low = (reply: string | undefined) => {
    const v = parseVolts(reply);
    return v !== undefined && v < 2.5;
  };
  const out: string[] = [];
  if (low(r.cover)) out.push('COVER OPEN');
  if (low(r.feeder)) out.push('FEEDER EMPTY');
  if (r.cleaning !== undefined && /NEED CLEANING/.test(r.cleaning)) out.push('NEED CLEANING');
  return out;
}

export class EvolisPrinter implements CardPrinter {
  private readonly link: PrinterLink;
  private readonly timeouts: Record<TimeoutClass, number>;
  private readonly onExchange?: EvolisOptions['onExchange'];
  private tail: Promise<unknown> = Promise.resolve();
  private closed = false;

  constructor(link: PrinterLink, opts: EvolisOptions = {}) {
    needObject('EvolisPrinter', 'link', link);
    needOptions('EvolisPrinter', 'opts', opts);
    if (typeof (link as Partial<PrinterLink>).exchange !== 'function') throw new PrinterError('BAD_DATA', 'EvolisPrinter: link must have exchange(frame, opts)');
    this.link = link;
    const one = opts.timeoutMs;
    this.timeouts = { ...DEFAULT_TIMEOUTS, ...opts.timeouts, ...(one !== undefined ? { parameter: one, movement: one, mag: one, print: one } : {}) };
    this.onExchange = opts.onExchange;
  }

  /**
   * Sends one command and resolves with the printer's raw reply (no classification): for commands
   * this class has no method for. Queued behind the commands before it.
   */
  command(command: string, params: readonly string[] = [], opts: { timeoutMs?: number; payload?: Uint8Array; signal?: AbortSignal } = {}): Promise<string> {
    let frame: Uint8Array;
    try {
      frame = encodeCommand(command, params, opts.payload);
    } catch (e) {
      return Promise.reject(e); // an async method never throws: errors go to the promise
    }
    const what = describeCommand(command, params, opts.payload);
    const timeoutMs = opts.timeoutMs ?? this.timeouts.parameter;
    const run = async () => {
      if (this.closed) throw new PrinterError('IO', `${what}: the printer is closed`, { command: what });
      // Aborted while queued: send nothing (a command sent is a card moved, whether or not we wait).
      opts.signal?.throwIfAborted();
      const t0 = performance.now();
      try {
        const reply = await this.link.exchange(frame, { what, timeoutMs, signal: opts.signal });
        this.onExchange?.({ command: what, reply, ms: performance.now() - t0 });
        return reply;
      } catch (e) {
        this.onExchange?.({ command: what, ms: performance.now() - t0 });
        throw e;
      }
    };
    const result = this.tail.then(run, run);
    this.tail = result.catch(() => undefined);
    return result;
  }

  private async send(step: PrinterCommand, signal?: AbortSignal): Promise<ReplyClass & { what: string }> {
    const reply = await this.command(step.command, step.params, { timeoutMs: this.timeouts[step.timeout], payload: step.payload, signal });
    return { ...classifyReply(reply), what: describeCommand(step.command, step.params, step.payload) };
  }

  /** Runs the steps in order; each must answer OK, or its error is thrown and the rest not sent. */
  private async expectOk(steps: readonly PrinterCommand[], signal?: AbortSignal): Promise<void> {
    for (const s of steps) {
      const r = await this.send(s, signal);
      if (r.type === 'error') throw replyError(r.what, r);
      if (r.type === 'value') throw new PrinterError('UNEXPECTED_REPLY', `${r.what}: expected OK, the printer answered "${r.text}"`, { reply: r.text, command: r.what });
    }
  }

  private read(command: string, params: string[], signal?: AbortSignal) {
    return this.send({ command, params, timeout: 'parameter' }, signal);
  }

  /**
   * Model, firmware, serial and card position (S1 p.31-38: Rfv, Rtp, Rsn; Rlr;p, S6), then what
   * stops work: the cover and feeder sensors (Rse;o, Rse;f) and the cleaning flag (Rlr;r), see
   * sensorConditions. A read answered with a condition (COVER OPEN, ...) fills `condition` instead
   * of failing: status is what an operator asks when something is wrong. A refused Rsn or sensor
   * read is left out. When Rlr;p itself answers a condition, where the card is is not known:
   * `position` is 'none' and `condition` is set, so a caller must look at `condition` first (the
   * batch's restart does). Several conditions are joined with ", ".
   */
  async status(signal?: AbortSignal): Promise<PrinterStatus> {
    const conditions: string[] = [];
    const note = (words: string) => void (conditions.includes(words) || conditions.push(words));
    const value = async (command: string, params: string[], required: boolean) => {
      const r = await this.read(command, params, signal);
      if (r.type === 'value') return r.text;
      if (r.type === 'ok') return 'OK';
      if (kindOfCode(r.code) === 'device') note(r.text);
      else if (required) throw replyError(r.what, r);
      return undefined;
    };
    const firmware = await value('Rfv', [], true);
    const model = await value('Rtp', [], true);
    const serial = await value('Rsn', [], false);
    const p = await this.read('Rlr', ['p'], signal);
    const text = p.type === 'ok' ? 'OK' : p.text;
    const position = Object.prototype.hasOwnProperty.call(POSITIONS, text) ? POSITIONS[text] : undefined;
    if (position === undefined) {
      if (p.type === 'error' && p.code !== 'CARD_PRESENT') note(p.text);
      else throw new PrinterError('UNEXPECTED_REPLY', `Rlr;p: "${text}" is no card position (S6, S8: OK, CARD, SMART CARD, CONTACTLESS CARD)`, { reply: text, command: 'Rlr;p' });
    }
    const cover = await value('Rse', ['o'], false);
    const feeder = await value('Rse', ['f'], false);
    // Rlr;r's "ERR NEED CLEANING" classifies as an error reply: its raw words are the reading.
    const r = await this.read('Rlr', ['r'], signal);
    for (const words of sensorConditions({ cover, feeder, cleaning: r.type === 'ok' ? 'OK' : r.text })) note(words);
    const condition = conditions.length ? conditions.join(', ') : undefined;
    return { model: model ?? '', firmware: firmware ?? '', ...(serial !== undefined ? { serial } : {}), position: position ?? 'none', ...(condition !== undefined ? { condition } : {}) };
  }

  /**
   * Pem;2: the host handles errors, so a printer error is answered at once instead of the printer
   * waiting for the operator (S1 p.20; S2; the SDK samples wrap every job in Pem;2, S9, S16).
   * Pem is not saved (Rem reads current and saved modes, S1 p.32): a power cycle restores the
   * printer's own. Then Sic: take a blank to the contactless station (S1 p.43; S16 40 s).
   */
  async insertToContactless(signal?: AbortSignal): Promise<void> {
    await this.expectOk([{ command: 'Pem', params: ['2'], timeout: 'parameter' }, { command: 'Sic', params: [], timeout: 'movement' }], signal);
  }

  async writeStripe(data: StripeData, opts: { coercivity?: 'high' | 'low' } = {}, signal?: AbortSignal): Promise<void> {
    needOptions('EvolisPrinter.writeStripe', 'opts', opts);
    await this.expectOk(stripeSteps(data, opts.coercivity), signal);
  }

  /**
   * Smr;t reads track t (S1 p.55). The reply format is [UNK]: the SDK's Python sample takes the
   * reply itself as the track data (S15), which we do; an error reply is thrown.
   */
  async readStripe(track: 1 | 2 | 3, signal?: AbortSignal): Promise<string> {
    if (track !== 1 && track !== 2 && track !== 3) throw new PrinterError('BAD_DATA', `readStripe: track must be 1, 2 or 3, got ${String(track)}`);
    const r = await this.send({ command: 'Smr', params: [String(track)], timeout: 'mag' }, signal);
    if (r.type === 'error') throw replyError(r.what, r);
    return r.type === 'ok' ? 'OK' : r.text;
  }

  async printAndEject(front: MonoPanel, back?: MonoPanel, signal?: AbortSignal): Promise<void> {
    await this.expectOk(printSteps(front, back), signal);
  }

  /** Se: end of sequence, the card goes to the output tray (S1 p.42; S16 ejects a Sic card so). */
  async eject(signal?: AbortSignal): Promise<void> {
    await this.expectOk([{ command: 'Se', params: [], timeout: 'movement' }], signal);
  }

  /** Ser: the card goes into the reject box (S1 p.42; S7 l.1120-1123). */
  async reject(signal?: AbortSignal): Promise<void> {
    await this.expectOk([{ command: 'Ser', params: [], timeout: 'movement' }], signal);
  }

  /** Waits for the command in flight (never sends another), then closes the link. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.tail;
    await this.link.close();
  }
}

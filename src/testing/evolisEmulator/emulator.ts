/**
 * An Evolis card printer (Primacy, Zenius: the ESC ... CR command language, evolis.md) in memory,
 * for tests without a printer: it parses the command stream, moves the card from the feeder to the
 * print position, contactless or contact station and out to the output tray or reject box, records
 * the stripe tracks and the printed panels of each card, answers status, and injects errors. Each
 * rule cites its source next to it (frames.ts, machine.ts, magstripe.ts, panels.ts, commands.ts;
 * S1 = Evolis Programming Guide A5013 rev. E). No real printer was used to write or test it.
 *
 * Strictest documented behaviour by default. What the documents leave open [UNK] is an option or
 * a stated choice (evolis.md "Gaps"):
 * - reply words of current firmware: those of Evolis's SDK sample (S9), as the driver matches them;
 * - replies carry no terminator (S9, S16 compare the whole reply with "OK");
 * - `insertWhileInside` (an insert with a card inside): 'error' (`ERR CARD`) or 'move';
 * - `blankTrackReply` (`Smr` on a blank track): default `ERROR MAG` (S3 MAG_EBLANK has no words);
 * - the `Smr;t` reply: the track data without sentinels (S15 takes the reply as the data);
 * - `flip`: the flip-over module for `Sv` (default true; without it `OPT NOT AVAILABLE`, S9);
 * - `Rfv`, `Rtp`, `Rsn` values (`firmware`, `model`, `serial`): no real values are published;
 * - commands Evolis software sends with no documented meaning (Pdt, Mr, Ppws, Psync...): OK;
 * - where a card waits after Smw or printing (`Rlr;p` says CARD), whether Se without a card is an
 *   error (it answers OK), the Db bit order of colour levels, compressed colour (not decoded).
 * Not modelled: `Psc` (other frame characters: answered ERROR CDE), the ACK/NACK mode (`Pem` bit
 * 4, S1 p.7), the binary status words (their command is [UNK]), ribbon and counters.
 */
import { EMPTY_EVOLIS_STATE, feedEvolis, finishEvolis, type EvolisFrame, type EvolisParserState } from './frames.js';
import { commandInfo } from './commands.js';
import { Injections, PRINTER_ERRORS, type EvolisInjection } from './faults.js';
import { PrinterMachine, type EmulatedPrinterCard } from './machine.js';
import type { ContactlessField } from './field.js';
import { runCommand } from './dispatch.js';
import type { CardPosition } from '../../drivers/printer/types.js';
import { needBytes, needObject, needOptions } from '../../codec/guard.js';

export interface EvolisEmulatorOptions {
  /** Blank cards in the feeder (default 100). Each is a virtual MIFARE Classic 1K. */
  feeder?: number;
  /** The UID (hex) of the n-th blank, n from 1; default e1000001, e1000002, ... */
  uid?: (n: number) => string;
  /** The reader of the contactless station (contactlessField); none: the chip is nowhere. */
  field?: ContactlessField;
  /** The flip-over module for `Sv` (default true). */
  flip?: boolean;
  insertWhileInside?: 'error' | 'move';
  blankTrackReply?: string;
  model?: string;
  firmware?: string;
  serial?: string;
}

/** One command as the emulator read and answered it. */
export interface TranscriptEntry {
  offset: number;
  length: number;
  command: string;
  params: string[];
  /** Size of the Db/Dbc binary data. */
  payloadBytes?: number;
  meaning: string;
  source?: string;
  /** 'doc': documented; 'seen': sent by Evolis software, meaning unknown; 'unknown': not in the documents. */
  known: 'doc' | 'seen' | 'unknown';
  reply: string;
  /** What was wrong with the frame, or why it was refused. */
  problem?: string;
}

export interface EmulatorSettings {
  flip: boolean;
  blankTrackReply: string;
  model: string;
  firmware: string;
  serial: string;
}

export class EvolisEmulator {
  readonly transcript: TranscriptEntry[] = [];
  /** @internal */
  readonly machine: PrinterMachine;
  /** @internal */
  readonly settings: EmulatorSettings;
  private readonly injections = new Injections();
  private parser: EvolisParserState = EMPTY_EVOLIS_STATE;
  private queue: Promise<unknown> = Promise.resolve();

  constructor(opts: EvolisEmulatorOptions = {}) {
    needOptions('EvolisEmulator', 'opts', opts);
    this.machine = new PrinterMachine(
      { feeder: opts.feeder ?? 100, uid: opts.uid ?? ((n) => (0xe1000000 + n).toString(16)), field: opts.field, insertWhileInside: opts.insertWhileInside ?? 'error' },
      this.injections,
    );
    this.settings = {
      flip: opts.flip ?? true,
      blankTrackReply: opts.blankTrackReply ?? PRINTER_ERRORS.mag,
      model: opts.model ?? 'Evolis Primacy (hmskort emulator)',
      firmware: opts.firmware ?? 'hmskort-emulator',
      serial: opts.serial ?? 'EMU0000001',
    };
  }

  /** Every card taken from the feeder, in order, with its tracks, panels and where it went. */
  get cards(): readonly EmulatedPrinterCard[] {
    return this.machine.cards;
  }

  /** The card inside the printer, if any. */
  get cardInside(): EmulatedPrinterCard | undefined {
    return this.machine.card;
  }

  /** Where the card inside is (the `Rlr;p` answer as the contract's CardPosition). */
  get position(): CardPosition {
    return this.machine.position;
  }

  /** Blanks left in the feeder; set it to refill. */
  get feeder(): number {
    return this.machine.feeder;
  }
  set feeder(n: number) {
    this.machine.feeder = n;
  }

  /**
   * A standing condition answered to every card command until cleared (set it to undefined: the
   * operator closed the cover, loaded a ribbon): 'COVER OPEN', 'ERROR RIBBON', 'NEED CLEANING'.
   */
  get condition(): string | undefined {
    return this.machine.condition;
  }
  set condition(words: string | undefined) {
    this.machine.condition = words;
  }

  /** The commands not in the documents, in order. */
  get unknownCommands(): TranscriptEntry[] {
    return this.transcript.filter((e) => e.known === 'unknown');
  }

  inject(injection: EvolisInjection): void {
    needObject('EvolisEmulator.inject', 'injection', injection);
    this.injections.add(injection);
  }

  clearInjections(): void {
    this.injections.clear();
  }

  /** The operator clears a jam: the jammed card is taken out of the printer (fate 'removed'). */
  async clearJam(): Promise<void> {
    await this.machine.leave('removed');
    if (this.machine.condition === PRINTER_ERRORS.cardJam) this.machine.condition = undefined;
  }

  /** Feeds bytes of the command stream; resolves to the replies of the frames they completed. */
  write(bytes: Uint8Array): Promise<string[]> {
    needBytes('EvolisEmulator.write', 'bytes', bytes);
    const step = feedEvolis(this.parser, bytes);
    this.parser = step.state;
    return Promise.all(step.frames.map((f) => this.execute(f)));
  }

  /** The stream ends: a frame left unfinished is recorded (and answered). */
  end(): Promise<string[]> {
    const frames = finishEvolis(this.parser);
    this.parser = EMPTY_EVOLIS_STATE;
    return Promise.all(frames.map((f) => this.execute(f)));
  }

  /** Carries out one frame (in order with every other) and resolves to the printer's reply. */
  execute(frame: EvolisFrame): Promise<string> {
    const run = this.queue.then(() => this.run(frame));
    this.queue = run.catch(() => undefined);
    return run;
  }

  private async run(frame: EvolisFrame): Promise<string> {
    const info = commandInfo(frame.command);
    const entry: TranscriptEntry = {
      offset: frame.offset,
      length: frame.end - frame.offset,
      command: frame.command,
      params: frame.params,
      ...(frame.payload ? { payloadBytes: frame.payload.length } : {}),
      meaning: info?.meaning ?? 'unknown command',
      ...(info ? { source: info.source } : {}),
      known: info?.known ?? 'unknown',
      reply: '',
    };
    let result: { reply: string; problem?: string };
    if (!info) result = { reply: PRINTER_ERRORS.badCommand, problem: frame.problem };
    else if (frame.problem) result = { reply: PRINTER_ERRORS.badParameter, problem: frame.problem };
    else {
      try {
        result = await runCommand(this, frame, this.injections);
      } catch (e) {
        // A reader that fails (vpcd gone) must not stop the printer: the command fails, the stream goes on.
        result = { reply: 'ERROR', problem: `emulator: ${(e as Error).message}` };
      }
    }
    entry.reply = result.reply;
    if (result.problem) entry.problem = result.problem;
    this.transcript.push(entry);
    return result.reply;
  }
}

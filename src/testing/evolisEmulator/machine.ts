/**
 * The card's way through an Evolis printer, as a state machine with named states (STYLE.md): a
 * blank leaves the feeder, stops at the print position, the contactless station or the contact
 * station, and leaves into the output tray or the reject box. Rules and sources (evolis.md §2):
 *
 * - `Si` parks the card at the print position (S1 p.42); `Sic` at the contactless station (S1 p.43,
 *   p.61); `Sis` at the contact station (S1 p.57); `Se` ejects to the output tray (S1 p.42; also a
 *   card parked by Sic/Sis, S16, S7 l.1087); `Ser`/`Seb` into the reject box (S1 p.42).
 * - A command that needs a card and finds none takes one from the feeder: the guide's own program
 *   prints without any insert command (S1 p.69: Ss, Sr, Db..., Se), the official driver does the
 *   same (S10: Ss, Sr, Dbc, Se;1) and so does the SDK's magnetic sequence (S15: Ss, Dm, Smw).
 * - Magnetic writing and printing move the card off the contactless station, through the head: the
 *   card is then at the print position (where exactly it waits is [UNK]; `Rlr;p` says CARD).
 * - An insert while a card is inside: [UNK] (evolis.md "Gaps"). Default 'error', answered `ERR CARD`
 *   (S1 p.34: the reply for a card inside the printer); 'move' moves the card instead.
 * - An empty feeder answers `FEEDER EMPTY` (S9) and moves nothing.
 * - The chip is in the contactless reader's field exactly while the card is at the contactless
 *   station (issue 16 part 3).
 */
import { VirtualMifareClassic1K } from '../virtualCard.js';
import type { CardPosition } from '../../drivers/printer/types.js';
import type { ContactlessField } from './field.js';
import type { Injections } from './faults.js';
import { PRINTER_ERRORS } from './faults.js';
import { panelPng } from './panels.js';

/** Where a card is inside the printer. */
export type Station = Exclude<CardPosition, 'none'>;
/** Where a card from the feeder ended: still inside, output tray, reject box, or taken out by the operator after a jam. */
export type CardFate = 'inside' | 'output' | 'reject' | 'removed';

export interface PrintedPanel {
  readonly side: 'front' | 'back';
  /** y, m, c, k or o (S1 p.14). */
  readonly panel: string;
  /** 2 for K/O, 32/64/128 for colour (S1 p.14). */
  readonly levels: number;
  /** The panel in the printer's layout (1016 lines), or undefined when it could not be decoded. */
  readonly bitmap?: Uint8Array;
  /** Stream offset of the download command. */
  readonly offset: number;
  /** Why it was not decoded (compressed colour, a malformed payload). */
  readonly problem?: string;
}

export interface EmulatedPrinterCard {
  /** 1 for the first blank taken from the feeder. */
  readonly n: number;
  /** The card's MIFARE Classic 1K chip. */
  readonly chip: VirtualMifareClassic1K;
  readonly uid: string;
  fate: CardFate;
  /** Where it is while inside. */
  station?: Station;
  /** Every station and fate it went through, in order ('print', 'contactless', 'output'...). */
  readonly path: string[];
  readonly tracks: { 1?: string; 2?: string; 3?: string };
  coercivity?: string;
  readonly panels: PrintedPanel[];
  /** True when a chip injection made it dead: never put into the reader's field. */
  deadChip?: boolean;
}

export interface MachineOptions {
  feeder: number;
  uid: (n: number) => string;
  field?: ContactlessField;
  insertWhileInside: 'error' | 'move';
}

/** The landscape PNG of a recorded panel (S10 orientation; panels.ts). */
export function printedPanelPng(p: PrintedPanel): Buffer | undefined {
  if (!p.bitmap) return undefined;
  return panelPng(p.bitmap, p.levels === 2 ? 1 : Math.log2(p.levels));
}

export class PrinterMachine {
  feeder: number;
  readonly cards: EmulatedPrinterCard[] = [];
  card: EmulatedPrinterCard | undefined;
  /** A standing condition answered to every card command (COVER OPEN, ERROR RIBBON, NEED CLEANING, CARD JAM). */
  condition: string | undefined;
  private inField = false;
  /** The job's settings: the side being printed (Sr/Sv, S1 p.44), magnetic settings (S1 p.48-55), Pem (S1 p.20). */
  readonly job = {
    side: 'front' as 'front' | 'back',
    coercivity: 'h',
    formats: { 1: '1', 2: '2', 3: '3' } as Record<1 | 2 | 3, string>,
    downloaded: {} as { 1?: string; 2?: string; 3?: string },
    errorManagement: '0',
  };

  constructor(
    private readonly opts: MachineOptions,
    private readonly injections: Injections,
  ) {
    this.feeder = opts.feeder;
  }

  get position(): CardPosition {
    return this.card?.station ?? 'none';
  }

  /** Takes a blank from the feeder if no card is inside; the words of the failure, if any. */
  take(): string | undefined {
    if (this.card) return undefined;
    if (this.feeder <= 0) return PRINTER_ERRORS.feederEmpty;
    this.feeder--;
    const n = this.cards.length + 1;
    const uid = this.opts.uid(n);
    const card: EmulatedPrinterCard = { n, chip: new VirtualMifareClassic1K(uid), uid, fate: 'inside', path: [], tracks: {}, panels: [] };
    this.cards.push(card);
    this.card = card;
    return undefined;
  }

  /** An insert command: take a card and move it to `to`. */
  async insert(to: Station, command: string): Promise<string> {
    if (this.card && this.opts.insertWhileInside === 'error') return 'ERR CARD';
    const failed = this.take();
    if (failed) return failed;
    await this.moveTo(to, command);
    return 'OK';
  }

  /** Moves the card inside to `to`, entering or leaving the contactless reader's field. */
  async moveTo(to: Station, command: string): Promise<void> {
    const card = this.card;
    if (!card) return;
    if (card.station === to) return;
    await this.leaveField();
    card.station = to;
    card.path.push(to);
    if (to === 'contactless') await this.enterField(card, command);
  }

  /** The card inside leaves the printer: output tray, reject box, or taken out by the operator. */
  async leave(fate: Exclude<CardFate, 'inside'>): Promise<void> {
    const card = this.card;
    if (!card) return;
    await this.leaveField();
    card.station = undefined;
    card.fate = fate;
    card.path.push(fate);
    this.card = undefined;
  }

  /** A jam: the card stops between stations (off the contactless station), inside. */
  async jam(clears: 'operator' | 'next-command'): Promise<void> {
    if (this.card) {
      await this.leaveField();
      this.card.station = 'print';
      this.card.path.push('jam');
    }
    if (clears === 'operator') this.condition = PRINTER_ERRORS.cardJam;
  }

  private async enterField(card: EmulatedPrinterCard, command: string): Promise<void> {
    const inj = this.injections.take(command, 'chip');
    if (inj?.chip === 'dead') card.deadChip = true;
    else if (inj) inj.chip(card.chip);
    if (card.deadChip || !this.opts.field) return;
    await this.opts.field.present(card.chip);
    this.inField = true;
  }

  private async leaveField(): Promise<void> {
    if (!this.inField) return;
    this.inField = false;
    await this.opts.field?.remove();
  }
}

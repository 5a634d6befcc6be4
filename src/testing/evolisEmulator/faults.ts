/**
 * Error injection for the Evolis emulator: the error replies of issue 16 (no card, card jam at a
 * named step, ribbon out, cover open, needs cleaning, magnetic write or verify failure, chip
 * failure), each as the printer's own words (evolis.md §2 "Error reply strings": S9 CPrinter.vb
 * `analyzeAnswer`, Evolis's SDK sample; S1 p.34 for the `ERR ...` forms).
 *
 *   emulator.inject({ at: 'Sic', error: 'CARD JAM' })                 // the next Sic jams
 *   emulator.inject({ at: 'Smw', corruptTrack: 2 })                   // written wrong: read-back differs
 *   emulator.inject({ at: 'Sic', chip: 'dead' })                      // the chip never answers
 *   emulator.inject({ at: 'Sic', chip: (card) => card.failOperation(3) })
 *
 * `at` is a command (`Sic`, `Smw`, `Dbc`, `Se`...) or '*' for any command that acts on a card (not
 * parameters and reads). `after` skips that many matching commands first; `once` (default true)
 * removes the injection when it fires.
 */
import type { VirtualMifareClassic1K } from '../virtualCard.js';
import type { TrackNumber } from './magstripe.js';

/** The printer's words for the errors of issue 16 (S9; S1 p.34). */
export const PRINTER_ERRORS = {
  feederEmpty: 'FEEDER EMPTY',
  cardJam: 'CARD JAM',
  ribbon: 'ERROR RIBBON',
  coverOpen: 'COVER OPEN',
  needCleaning: 'NEED CLEANING',
  mag: 'ERROR MAG',
  magData: 'ERROR MAG DATA',
  magChecksum: 'ERROR MAG CHECKSUM',
  badCommand: 'ERROR CDE',
  badParameter: 'ERROR PARAMETRES',
  notAvailable: 'OPT NOT AVAILABLE',
} as const;

interface InjectionBase {
  /** The command it fires on, or '*' for any card-moving, printing or magnetic command. */
  at: string;
  /** Matching commands to let through first (default 0). */
  after?: number;
  /** Remove the injection when it fires (default true). */
  once?: boolean;
}

/** The command is answered with `error` instead of being carried out; see `effects` in emulator.ts. */
export interface ErrorInjection extends InjectionBase {
  error: string;
  /**
   * After a CARD JAM: 'operator' (default, the strict reading: the printer answers CARD JAM to
   * every card command until `clearJam()`, the operator taking the card out) or 'next-command'
   * (the jam is reported once and the card can then be rejected).
   */
  clears?: 'operator' | 'next-command';
}

/** `Smw` answers OK but one track is written wrong, so a read-back (`Smr`) differs (S11: the printer checks). */
export interface CorruptTrackInjection extends InjectionBase {
  corruptTrack: TrackNumber;
}

/** The chip of the card that reaches the contactless station fails: 'dead' never enters the field. */
export interface ChipInjection extends InjectionBase {
  chip: 'dead' | ((card: VirtualMifareClassic1K) => void);
}

export type EvolisInjection = ErrorInjection | CorruptTrackInjection | ChipInjection;

/** Commands that act on a card (what '*' matches): movements, downloads that print, magnetic I/O. */
export function actsOnCard(command: string): boolean {
  return /^(S|Db)/.test(command) && command !== 'Ss' && command !== 'Sr' && command !== 'Sv';
}

export class Injections {
  private readonly list: Array<EvolisInjection & { seen: number }> = [];

  add(inj: EvolisInjection): void {
    this.list.push({ ...inj, seen: 0 });
  }

  clear(): void {
    this.list.length = 0;
  }

  /** The injection of `kind` that fires on `command` now, if any (counting `after`, removing `once`). */
  take<K extends 'error' | 'corruptTrack' | 'chip'>(command: string, kind: K): Extract<EvolisInjection, Record<K, unknown>> | undefined {
    for (let i = 0; i < this.list.length; i++) {
      const inj = this.list[i];
      if (!(kind in inj)) continue;
      if (inj.at !== command && !(inj.at === '*' && actsOnCard(command))) continue;
      if (inj.seen++ < (inj.after ?? 0)) continue;
      if (inj.once ?? true) this.list.splice(i, 1);
      return inj as unknown as Extract<EvolisInjection, Record<K, unknown>>;
    }
    return undefined;
  }
}

/**
 * What a card printer with a contactless encoder and a magnetic-stripe head does for a production
 * line (issue 16): the contract between the batch and a printer driver. The Evolis driver
 * (evolis*.ts) and the printer emulator in hmskort/testing implement it; the batch sees only this.
 *
 * Geometry (Evolis Programming Guide A5013 rev. E p.4, p.14): 300 dpi, a panel is 648 x 1016 dots,
 * sent as 1016 lines of 81 bytes, MSB first, 1 = ink; line 0 is the left edge of the landscape face
 * (the face is rotated 90 degrees clockwise); docs/printers.md says more.
 */

/** Where the card inside the printer is (Evolis `Rlr;p`: OK / CARD / SMART CARD / CONTACTLESS CARD). */
export type CardPosition = 'none' | 'print' | 'contact' | 'contactless';

/** One monochrome panel in the printer's own layout. */
export interface MonoPanel {
  /** 1016 * 81 bytes: line by line, 81 bytes per line, bit 7 of byte 0 first, 1 = ink. */
  readonly data: Uint8Array;
}
export const PANEL_LINES = 1016;
export const PANEL_LINE_BYTES = 81;
export const PANEL_DOTS = 648;

export interface PrinterStatus {
  model: string;
  firmware: string;
  serial?: string;
  position: CardPosition;
  /** The printer's words for a condition that stops work (FEEDER EMPTY, COVER OPEN, ...), if any. */
  condition?: string;
}

/** Stripe data as the printer wants it in ISO modes: no start/end sentinel, no LRC (A5013 p.49). */
export interface StripeData {
  track1?: string;
  track2?: string;
  track3?: string;
}

/**
 * The card cycle. Every method waits for the printer's reply with a time-out and rejects with a
 * typed error carrying the printer's own words (PrinterError: code, kind, reply).
 */
export interface CardPrinter {
  status(signal?: AbortSignal): Promise<PrinterStatus>;
  /** Takes a blank from the feeder to the contactless station (Evolis `Sic`). */
  insertToContactless(signal?: AbortSignal): Promise<void>;
  /** Coercivity, track formats, download, write; the printer checks what it wrote (Evolis `Smw`). */
  writeStripe(data: StripeData, opts?: { coercivity?: 'high' | 'low' }, signal?: AbortSignal): Promise<void>;
  /** Reads a track back (Evolis `Smr;t`). */
  readStripe(track: 1 | 2 | 3, signal?: AbortSignal): Promise<string>;
  /** Prints the front (and the back, on a printer with a flip-over module) and ejects (`Ss` ... `Se`). */
  printAndEject(front: MonoPanel, back?: MonoPanel, signal?: AbortSignal): Promise<void>;
  /** Ejects the card in the printer to the output tray (`Se`). */
  eject(signal?: AbortSignal): Promise<void>;
  /** Drops the card in the printer into the reject box (`Ser`). */
  reject(signal?: AbortSignal): Promise<void>;
  close(): Promise<void>;
}

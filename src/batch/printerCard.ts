/**
 * Pieces of a card's trip through a printer (issue 16 part 5): the stripe as the printer wants it
 * and its read-back check, and which card the reader inside the printer sees.
 */
import { toHex } from '../codec/hex.js';
import { track1String, track2String } from '../codec/tracks.js';
import type { ValidHolder } from '../codec/holder.js';
import type { CardPrinter, StripeData } from '../drivers/printer/types.js';
import type { CardReader, MifareClassicCard } from '../transport/card.js';
import { waitFor } from '../transport/wait.js';
import type { ErrorKind } from '../codec/errors.js';

/**
 * Tracks 1 and 2 of the spec (section 4) as an Evolis printer wants them in ISO modes: without
 * start sentinel, end sentinel and LRC, which the printer adds itself (A5013 rev. E p.49; the
 * CardPrinter contract, src/drivers/printer/types.ts).
 */
export function printerTracks(holder: ValidHolder): Required<Pick<StripeData, 'track1' | 'track2'>> {
  // track1String/track2String are `%...?` and `;...?` with no LRC: drop the two sentinels.
  return { track1: track1String(holder).slice(1, -1), track2: track2String(holder).slice(1, -1) };
}

/** The stripe failed its read-back: what was read differs from what was written. */
export class StripeVerifyError extends Error {
  override readonly name = 'StripeVerifyError';
  readonly code = 'STRIPE_VERIFY';
  /** The card's stripe (or the printer's head) failed: a device fault; the batch rejects the card. */
  get kind(): ErrorKind {
    return 'device';
  }
  constructor(
    readonly track: 1 | 2,
    readonly wrote: string,
    readonly read: string,
  ) {
    super(`track ${track} reads back ${JSON.stringify(read)}, ${JSON.stringify(wrote)} was written`);
  }
}

/** Writes tracks 1 and 2 and reads each back through the printer's head; throws StripeVerifyError. */
export async function writeAndVerifyStripe(printer: CardPrinter, holder: ValidHolder, signal?: AbortSignal, coercivity: 'high' | 'low' = 'high'): Promise<void> {
  const tracks = printerTracks(holder);
  await printer.writeStripe(tracks, { coercivity }, signal);
  for (const track of [1, 2] as const) {
    const wrote = track === 1 ? tracks.track1 : tracks.track2;
    const read = await printer.readStripe(track, signal);
    if (read !== wrote) throw new StripeVerifyError(track, wrote, read);
  }
}

/**
 * The card the reader inside the printer sees, from its 'card' and 'removed' events. The batch
 * waits for a card to leave the reader after it left the contactless station, so the next
 * waitForCard cannot hand back the card before (a PC/SC reader notices a removal by polling).
 */
export class ReaderPresence {
  present: string | undefined;
  private readonly onCard = (c: MifareClassicCard) => (this.present = toHex(c.uid));
  private readonly onRemoved = () => (this.present = undefined);

  constructor(private readonly reader: CardReader) {
    reader.on('card', this.onCard);
    reader.on('removed', this.onRemoved);
  }

  /** Resolves once no card is in the field; rejects with `timeoutError` after `timeoutMs`. */
  async waitGone(timeoutMs: number, timeoutError: (uid: string) => Error, signal?: AbortSignal): Promise<void> {
    const uid = this.present;
    if (uid === undefined) return;
    await waitFor<void>({
      what: `card ${uid} leaving ${this.reader.name}`,
      timeoutMs,
      signal,
      timeoutError: () => timeoutError(uid),
      subscribe: (resolve) => {
        const done = () => resolve();
        this.reader.on('removed', done);
        if (this.present === undefined) resolve();
        return () => this.reader.off('removed', done);
      },
    });
  }

  dispose(): void {
    this.reader.off('card', this.onCard);
    this.reader.off('removed', this.onRemoved);
  }
}

/** The text of an error for the journal and the operator: a printer's own words when it gave them. */
export function errorText(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

/** A stable code for the journal: the error's own `code`, else ERROR. */
export function errorCode(e: unknown): string {
  const c = (e as { code?: unknown } | undefined)?.code;
  return typeof c === 'string' && c.length > 0 ? c : 'ERROR';
}

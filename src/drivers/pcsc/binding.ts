/**
 * The PC/SC binding interface: what the reader core (core.ts) needs from a PC/SC stack, as types
 * only, the way serialport's bindings-interface is (the stream takes `binding` as an option).
 * Implementations: nfcPcscBinding.ts (nfc-pcsc over @pokusew/pcsclite, the default) and the
 * in-memory binding of hmskort/testing (src/testing/pcscMemoryBinding.ts).
 *
 * Rules every binding keeps: callbacks stop the moment close() is called; close() may be called
 * from inside any callback (a binding that must not release native handles there defers it).
 */

export type ShareMode = 'shared' | 'exclusive';

export interface BindingReaderEvents {
  /** A card is in the field and connected (shared mode); `atr` is its answer to reset. */
  card(atr: Uint8Array): void;
  /** The card left the field. */
  cardOff(): void;
  /** The reader was unplugged. */
  end(): void;
  error(err: Error): void;
}

export interface BindingReader {
  readonly name: string;
  /** Installs the handlers; called once, before any card event is expected. */
  listen(events: BindingReaderEvents): void;
  /** Sends one APDU; resolves with the response including SW1 SW2. */
  transmit(apdu: Uint8Array, maxResponse: number): Promise<Uint8Array>;
  /**
   * Ends the card connection and connects again in `share` mode: with `reset`, SCardDisconnect
   * with SCARD_RESET_CARD (a field reset: the card is re-activated and re-selected), otherwise
   * SCARD_LEAVE_CARD. Rejects (CARD_REMOVED) when no card is there to connect to.
   */
  reconnect(opts: { reset: boolean; share: ShareMode }): Promise<void>;
}

export interface BindingContextEvents {
  reader(reader: BindingReader): void;
  /** The PC/SC service failed (pcscd stopped): the context is dead; open another. */
  error(err: Error): void;
}

export interface BindingContext {
  /** The names of the readers the service has announced so far. */
  readerNames(): string[];
  /** Stops every callback now and releases the stack's handles (possibly on a later turn). */
  close(): Promise<void>;
}

export interface PcscBinding {
  /** What this binding talks to, for messages ("pcscd at /run/pcscd/pcscd.comm"). */
  readonly describe: string;
  /** Connects to the PC/SC service; rejects with CardError IO when it does not answer. */
  open(events: BindingContextEvents): Promise<BindingContext>;
}

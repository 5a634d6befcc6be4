/**
 * Lazy loading of nfc-pcsc (an optionalDependency: it needs a native build against libpcsclite),
 * and the few members of its objects the driver uses, typed here because it ships no types.
 * Loaded only when a PC/SC reader is opened, so `hmskort vectors` never touches native code.
 */
import { CardError } from '../../transport/card.js';

/** nfc-pcsc's Reader (src/Reader.js), the members the driver uses. */
export interface NfcPcscReader {
  readonly name: string;
  autoProcessing: boolean;
  /** The pcsclite CardReader underneath (its 'end' and 'status' events). */
  readonly reader: { readonly name: string };
  transmit(data: Buffer, responseMaxLength: number): Promise<Buffer>;
  /** The library's own helpers (used by bench/cases/pcsc.ts as the comparison). */
  authenticate(block: number, keyType: number, key: Buffer | string): Promise<boolean>;
  read(block: number, length: number, blockSize?: number, packetSize?: number): Promise<Buffer>;
  on(event: string | symbol, listener: (...args: any[]) => void): unknown;
  emit(event: string | symbol, ...args: unknown[]): boolean;
  removeAllListeners(event?: string): unknown;
  close(): void;
}

/** nfc-pcsc's NFC (src/NFC.js): emits 'reader' (NfcPcscReader) and 'error'. */
export interface NfcPcsc {
  on(event: 'reader', listener: (reader: NfcPcscReader) => void): unknown;
  on(event: 'error', listener: (err: Error) => void): unknown;
  removeAllListeners(event?: string): unknown;
  close(): void;
}

export interface NfcPcscModule {
  NFC: new (logger?: unknown) => NfcPcsc;
  KEY_TYPE_A: number;
  KEY_TYPE_B: number;
}

let cached: Promise<NfcPcscModule> | undefined;

/** Imports nfc-pcsc once; a missing or unbuilt module is a clear CardError NOT_SUPPORTED. */
export function loadNfcPcsc(): Promise<NfcPcscModule> {
  cached ??= import('nfc-pcsc' as string).then(
    (m: { default?: NfcPcscModule } & Partial<NfcPcscModule>) => (m.NFC ? (m as NfcPcscModule) : (m.default as NfcPcscModule)),
    (e: unknown) => {
      cached = undefined;
      throw new CardError(
        'NOT_SUPPORTED',
        'PC/SC readers need the optional dependency nfc-pcsc (npm install nfc-pcsc; on Debian first apt-get install libpcsclite-dev pcscd)',
        { cause: e },
      );
    },
  );
  return cached;
}

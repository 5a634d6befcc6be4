/**
 * Opening a PC/SC reader (ACR122U, SCL3711, OMNIKEY 5x22, or pcscd's vpcd): the reader core
 * (core.ts) over a binding (binding.ts; default nfc-pcsc + pcsclite, nfcPcscBinding.ts), with the
 * reader profile chosen by name or by the `profile` option (profiles/).
 */
import type { PcscBinding } from './binding.js';
import { PcscCardReader } from './core.js';
import { nfcPcscBinding } from './nfcPcscBinding.js';
import type { NfcPcsc } from './nfcPcsc.js';
import { readProfileOption, type ProfileChoice } from './profiles/index.js';
import { needOptions } from '../../codec/guard.js';

export { PcscCardReader } from './core.js';
export { probePcscd } from './nfcPcscBinding.js';

export interface PcscReaderOptions {
  /** Use the first reader whose name contains this (case-insensitive); default: the first reader. */
  name?: string;
  /** The PC/SC stack; default nfcPcscBinding() (pcscd through nfc-pcsc). */
  binding?: PcscBinding;
  /** For the default binding: creates the nfc-pcsc NFC object. */
  createNfc?: () => Promise<NfcPcsc>;
  /** For the default binding: pcscd's client socket. */
  socketPath?: string;
  /** A family id (acs, identiv, omnikey, generic), the path of a `reader probe --json` file, or a parsed choice. */
  profile?: string | ProfileChoice;
  /** Hold the card in SCARD_SHARE_EXCLUSIVE mode (encode and batch set it). */
  exclusive?: boolean;
  /** Re-activate a silent card before its next command (default true). */
  autoReactivate?: boolean;
  /** Probe period while pcscd is gone, ms. */
  recoverMs?: number;
  /** Window for the card-off/on of the driver's own reset, ms (default 1000); a quarter of it spaces detection retries. */
  resetEchoMs?: number;
  /** With `name`: how long to wait for that reader to be announced before failing with the list, ms (default 3000). */
  readerWaitMs?: number;
}

/** The reader core for `opts`, not yet started. */
export async function createPcscReader(opts: PcscReaderOptions = {}): Promise<PcscCardReader> {
  needOptions('createPcscReader', 'opts', opts);
  const profile = typeof opts.profile === 'object' ? opts.profile : await readProfileOption(opts.profile);
  return new PcscCardReader({
    binding: opts.binding ?? nfcPcscBinding({ createNfc: opts.createNfc, socketPath: opts.socketPath }),
    name: opts.name,
    profile,
    exclusive: opts.exclusive,
    autoReactivate: opts.autoReactivate,
    recoverMs: opts.recoverMs,
    resetEchoMs: opts.resetEchoMs,
  });
}

/**
 * Opens the PC/SC reader: connects to pcscd now; cards arrive as 'card' events / waitForCard.
 * With a `name`, waits (bounded) until that reader is announced, and fails with CardError IO
 * listing the readers pcscd has when none matches.
 */
export async function openPcscReader(opts: PcscReaderOptions = {}): Promise<PcscCardReader> {
  needOptions('openPcscReader', 'opts', opts);
  const reader = await createPcscReader(opts);
  await reader.start();
  if (opts.name) {
    try {
      await reader.whenAttached(opts.readerWaitMs ?? 3000);
    } catch (e) {
      await reader.close();
      throw e;
    }
  }
  return reader;
}

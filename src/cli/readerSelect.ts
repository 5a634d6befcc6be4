/**
 * `--reader SPEC` of the card commands: opens a CardReader (src/transport/card.ts) by name.
 *
 *   virtual        an in-process virtual MIFARE Classic 1K reader with one card presented: a blank
 *                  card with `uid` (default 04a1b2c3), or the card image `image` (64 blocks)
 *   pcsc[:NAME]    a PC/SC reader (added by the PC/SC driver; NAME picks one reader by substring)
 *
 * Kept in one small function so another driver adds one branch here; the device is opened only
 * when asked for, never at import time.
 */
import { UsageError } from './command.js';
import { VirtualCardReader } from '../testing/virtualReader.js';
import { VirtualMifareClassic1K } from '../testing/virtualCard.js';
import type { CardReader } from '../transport/card.js';

export interface OpenReaderOptions {
  /** UID of the blank virtual card (4 or 7 bytes). */
  uid?: Uint8Array;
  /** Memory of the virtual card (64 blocks, hex or bytes) instead of a blank card. */
  image?: ReadonlyArray<string | Uint8Array>;
  signal?: AbortSignal;
  env?: NodeJS.ProcessEnv;
  /** `--profile`: a reader family (acs, identiv, omnikey, generic) or a `reader probe --json` file; PC/SC only. */
  profile?: string;
  /** Hold the card exclusively (SCARD_SHARE_EXCLUSIVE) while it is served: encode and batch. PC/SC only. */
  exclusive?: boolean;
}

export const DEFAULT_VIRTUAL_UID = '04a1b2c3';

/** The reader specs this build understands, for --help texts and error messages. */
export const READER_SPECS = ['virtual', 'pcsc[:NAME]'];

export async function openReader(spec: string, opts: OpenReaderOptions = {}): Promise<CardReader> {
  const [kind, ...rest] = spec.split(':');
  const name = rest.join(':');
  switch (kind) {
    case 'virtual': {
      if (opts.profile !== undefined) throw new UsageError('--profile is for PC/SC readers (--reader pcsc[:NAME])');
      if (name) throw new UsageError(`--reader virtual takes no name (got "${spec}")`);
      const reader = new VirtualCardReader();
      const card = opts.image
        ? VirtualMifareClassic1K.fromBlocks(opts.image, opts.uid ? { uid: opts.uid } : {})
        : new VirtualMifareClassic1K(opts.uid ?? DEFAULT_VIRTUAL_UID);
      reader.present(card);
      return reader;
    }
    case 'pcsc': {
      // The PC/SC driver loads nfc-pcsc (an optionalDependency) only here; it connects to pcscd now
      // and presents cards through waitForCard (src/drivers/pcsc/reader.ts).
      // A name that matches no reader fails within a bounded wait, listing pcscd's readers (issue 19 item 20).
      const { openPcscReader } = await import('../drivers/pcsc/reader.js');
      return openPcscReader({ ...(name ? { name } : {}), profile: opts.profile, exclusive: opts.exclusive });
    }
    default:
      throw new UsageError(`unknown reader "${spec}"; use one of: ${READER_SPECS.join(', ')}`);
  }
}

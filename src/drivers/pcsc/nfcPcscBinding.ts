/**
 * The default PcscBinding (binding.ts): nfc-pcsc with autoProcessing off, over @pokusew/pcsclite
 * and pcscd. The only file of the driver that touches nfc-pcsc or pcsclite objects.
 *
 * nfc-pcsc tells us that a card arrived (after its SCardConnect, shared mode) or left; everything
 * the card is asked goes through transmit(). Its Reader.js emits some connect errors with the
 * error object as the event name (`this.emit(err)`): re-routed to 'error' here.
 *
 * Nothing is closed inside a pcsclite callback. @pokusew/pcsclite's
 * CardReader::HandleReaderStatusChange holds the reader's mutex while it calls into JS ('status',
 * 'error', '_end'), and CardReader::Close locks that same non-recursive mutex: a close() reached
 * synchronously from one of those events (pcscd stopped -> 'error' -> the core closes the context,
 * or a user's 'error' listener calling close()) blocks the main thread for ever. Seen in CI and
 * reproduced (gdb: main thread in CardReader::Close -> uv_mutex_lock, no other thread in
 * pcsclite). So close() detaches every listener at once and calls the native close() on a later
 * turn (setImmediate).
 *
 * pcsclite's constructor spins in SCardEstablishContext while pcscd is down, so open() first
 * probes pcscd's socket and constructs nothing when it does not answer.
 */
import { connect } from 'node:net';
import { CardError } from '../../transport/card.js';
import type { BindingContext, BindingContextEvents, BindingReader, BindingReaderEvents, PcscBinding, ShareMode } from './binding.js';
import { loadNfcPcsc, type NfcPcsc, type NfcPcscReader } from './nfcPcsc.js';
import { needOptions, needString } from '../../codec/guard.js';

export interface NfcPcscBindingOptions {
  /** Creates the nfc-pcsc NFC object; default: `new NFC()` from the lazily loaded nfc-pcsc. */
  createNfc?: () => Promise<NfcPcsc>;
  /** pcscd's client socket, probed before connecting. Default $PCSCLITE_CSOCK_NAME or /run/pcscd/pcscd.comm. */
  socketPath?: string;
}

const noop = () => {};

/** True when pcscd accepts a connection on its socket. */
export function probePcscd(path: string): Promise<boolean> {
  needString('probePcscd', 'path', path);
  return new Promise((resolve) => {
    const s = connect({ path });
    s.once('connect', () => {
      s.destroy();
      resolve(true);
    });
    s.once('error', () => resolve(false));
  });
}

/** The pcsclite CardReader under an nfc-pcsc Reader: the members reconnect() needs. */
interface PcscliteReader {
  connected?: boolean;
  SCARD_SHARE_SHARED: number;
  SCARD_SHARE_EXCLUSIVE: number;
  SCARD_LEAVE_CARD: number;
  SCARD_RESET_CARD: number;
  connect(opts: { share_mode: number }, cb: (err: Error | null, protocol: number) => void): void;
  disconnect(disposition: number, cb: (err: Error | null) => void): void;
}

export function nfcPcscBinding(opts: NfcPcscBindingOptions = {}): PcscBinding {
  needOptions('nfcPcscBinding', 'opts', opts);
  const socketPath = opts.socketPath ?? process.env.PCSCLITE_CSOCK_NAME ?? '/run/pcscd/pcscd.comm';
  const createNfc = opts.createNfc ?? (async () => new (await loadNfcPcsc()).NFC());
  return {
    describe: `pcscd at ${socketPath}`,
    async open(events: BindingContextEvents): Promise<BindingContext> {
      if (!(await probePcscd(socketPath))) throw new CardError('IO', `pcscd is not running (no answer on ${socketPath}); start it with \`pcscd\` or scripts/pcscd-test-env.sh`);
      const nfc = await createNfc();
      const readers: NfcPcscReader[] = [];
      let open = true;
      nfc.on('reader', (r) => {
        readers.push(r);
        r.on('error', noop); // until listen(): an unwatched reader must not throw
        if (open) events.reader(wrapReader(r, () => open));
      });
      nfc.on('error', (err) => open && events.error(err));
      return {
        readerNames: () => readers.map((r) => r.name),
        close(): Promise<void> {
          open = false;
          for (const r of readers) {
            r.removeAllListeners();
            r.on('error', noop); // the native side may still emit
          }
          nfc.removeAllListeners();
          nfc.on('error', noop);
          return new Promise((resolve) =>
            setImmediate(() => {
              for (const r of readers.splice(0)) {
                try {
                  // Let go of the card first: an exclusive connection outlives close() otherwise
                  // (until the process exits), and every other program's SCardConnect is refused.
                  const pr = r.reader as unknown as PcscliteReader;
                  if (pr.connected) pr.disconnect(pr.SCARD_LEAVE_CARD, noop);
                  r.close();
                } catch {
                  /* already ended */
                }
              }
              try {
                nfc.close();
              } catch {
                /* already stopped */
              }
              resolve();
            }),
          );
        },
      };
    },
  };
}

function wrapReader(r: NfcPcscReader, isOpen: () => boolean): BindingReader {
  const pr = r.reader as unknown as PcscliteReader;
  const conn = r as unknown as { connection: { type: number; protocol: number | undefined } | null };
  /** The connection reconnect() made: nfc-pcsc's own connect() on a card-on while pcsclite is
   * still connected gets no protocol back (pcsclite calls back with nothing) and would lose it. */
  let ours: { type: number; protocol: number } | undefined;
  const restore = () => {
    if (ours && pr.connected && conn.connection && conn.connection.protocol === undefined) conn.connection = { ...ours };
  };
  return {
    name: r.name,
    listen(h: BindingReaderEvents) {
      r.autoProcessing = false;
      // Guard: nfc-pcsc's Reader.js does `this.emit(err)` for connect/disconnect failures.
      const emit = r.emit.bind(r);
      r.emit = (event: string | symbol, ...args: unknown[]) => ((event as unknown) instanceof Error ? emit('error', event) : emit(event, ...args));
      r.removeAllListeners('error');
      r.on('error', (err: Error) => isOpen() && h.error(err));
      r.on('card', (info: { atr?: Buffer }) => {
        restore();
        if (isOpen()) h.card(new Uint8Array(info.atr ?? []));
      });
      r.on('card.off', () => isOpen() && h.cardOff());
      r.on('end', () => isOpen() && h.end());
    },
    async transmit(apdu, max) {
      return new Uint8Array(await r.transmit(Buffer.from(apdu), max));
    },
    async reconnect({ reset, share }: { reset: boolean; share: ShareMode }) {
      ours = undefined;
      if (pr.connected) await new Promise<void>((ok, no) => pr.disconnect(reset ? pr.SCARD_RESET_CARD : pr.SCARD_LEAVE_CARD, (err) => (err ? no(err) : ok())));
      conn.connection = null;
      const mode = share === 'exclusive' ? pr.SCARD_SHARE_EXCLUSIVE : pr.SCARD_SHARE_SHARED;
      const protocol = await new Promise<number>((ok, no) => pr.connect({ share_mode: mode }, (err, p) => (err ? no(err) : ok(p))));
      ours = { type: mode, protocol };
      conn.connection = { ...ours };
    },
  };
}

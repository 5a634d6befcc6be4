/**
 * An emulated contactless PC/SC reader in memory: a card (normally the virtual MIFARE Classic 1K)
 * behind the firmware of one reader family (src/drivers/vpcd/profiles.ts), reached by raw APDUs.
 * The same firmware answers through pcscd + vpcd (`hmskort simulate --profile`); this one needs no
 * pcscd, for users' tests and for `hmskort reader probe --reader emulated:FAMILY`.
 *
 * It implements the probe's ProbeTarget (src/drivers/pcsc/probe.ts). `reactivate()` is what a
 * PC/SC reset does to a vpcd card (src/drivers/vpcd/client.ts): the chip is re-activated and the
 * reader's volatile key memory is cleared.
 */
import { MIFARE_CLASSIC_1K_ATR, vpcdCardFromVirtual, type VirtualCardLike, type VpcdCard } from '../drivers/vpcd/client.js';
import { answerApdu, clearVolatileKeys, newReaderKeys, type ReaderKeys } from '../drivers/vpcd/apdu.js';
import { firmwareProfile, type EmulatedFamily, type FirmwareOptions, type FirmwareProfile } from '../drivers/vpcd/profiles.js';
import type { ProbeTarget } from '../drivers/pcsc/probe.js';
import { needObject, needOptions, needString } from '../codec/guard.js';

export interface EmulatedReaderOptions extends FirmwareOptions {
  /** The PC/SC reader name to show; default the name vpcd gives its reader. */
  readerName?: string;
  atr?: Uint8Array;
}

export class EmulatedReader implements ProbeTarget {
  readonly readerName: string;
  readonly atr: Uint8Array;
  readonly profile: FirmwareProfile;
  /** Every command APDU sent, in order (tests assert what was, and was not, sent). */
  readonly sent: Uint8Array[] = [];
  private readonly keys: ReaderKeys = newReaderKeys();
  private readonly card: VpcdCard;

  constructor(family: EmulatedFamily, card: VirtualCardLike, opts: EmulatedReaderOptions = {}) {
    needString('EmulatedReader', 'family', family);
    needObject('EmulatedReader', 'card', card);
    needOptions('EmulatedReader', 'opts', opts);
    this.profile = firmwareProfile(family, opts);
    this.card = vpcdCardFromVirtual(card);
    this.readerName = opts.readerName ?? 'Virtual PCD 00 00';
    this.atr = opts.atr ?? MIFARE_CLASSIC_1K_ATR;
  }

  get uid(): Uint8Array {
    return this.card.uid;
  }

  async transmit(apdu: Uint8Array): Promise<Uint8Array> {
    this.sent.push(apdu.slice());
    return answerApdu(this.card, this.keys, apdu, this.profile);
  }

  async reactivate(): Promise<void> {
    this.card.powerReset();
    clearVolatileKeys(this.keys);
  }
}

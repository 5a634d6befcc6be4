/**
 * The contactless station's reader: where the emulator puts the chip of the card it moves to the
 * contactless station (`Sic`, S1 p.43) and takes it away when the card moves on. The chip is in a
 * reader's field only there: issue 16 part 3.
 *
 * Three readers, as the present tests use them:
 * - pcscd + vpcd (`hmskort simulate`, test/integration/drivers/pcsc/*): a VpcdSlot connects the
 *   card to vpcd and disconnects it (src/drivers/vpcd/client.ts);
 * - the in-process VirtualCardReader / VirtualCardStack of the batch tests (present / remove);
 * - the in-memory PC/SC binding (src/testing/pcscMemoryBinding.ts: present / remove).
 */
import { vpcdCardFromVirtual, VpcdSlot } from '../../drivers/vpcd/client.js';
import type { VirtualMifareClassic1K } from '../virtualCard.js';
import { VirtualCardReader } from '../virtualReader.js';
import { MemoryPcscBinding } from '../pcscMemoryBinding.js';
import { argumentError } from '../../codec/guard.js';

/** A reader the emulator can put a chip into and take it out of. */
export interface ContactlessField {
  present(card: VirtualMifareClassic1K): void | Promise<void>;
  remove(): void | Promise<void>;
}

/**
 * The contactless station's field on `reader`: a VpcdSlot (pcscd + vpcd), a VirtualCardReader, or
 * a MemoryPcscBinding (its first reader, or the one named `readerName`).
 */
export function contactlessField(reader: VpcdSlot | VirtualCardReader | MemoryPcscBinding, readerName?: string): ContactlessField {
  if (reader instanceof VpcdSlot) return { present: (card) => reader.present(vpcdCardFromVirtual(card)), remove: () => reader.remove() };
  if (reader instanceof VirtualCardReader) return { present: (card) => reader.present(card), remove: () => reader.remove() };
  if (reader instanceof MemoryPcscBinding) return { present: (card) => reader.present(card, { reader: readerName }), remove: () => reader.remove(readerName) };
  throw argumentError('contactlessField', 'reader', 'a VpcdSlot, VirtualCardReader or MemoryPcscBinding', reader);
}

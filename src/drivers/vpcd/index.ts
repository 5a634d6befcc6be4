/**
 * `hmskort/drivers/vpcd`: a virtual contactless card for vsmartcard's vpcd reader in pcscd, so that
 * PC/SC applications (and this library's PC/SC driver) can be tested without a plastic card.
 * Framing names say they frame vpcd's protocol (encodeVpcdFrame), not the bridge's; the reader
 * family type is hmskort/drivers/pcsc's. The snapshot is test/unit/project/exports.test.ts.
 */
// The slot: connects to vpcd and answers for a card
export { VpcdSlot, vpcdCardFromVirtual, MIFARE_CLASSIC_1K_ATR, VPCD_DEFAULT_PORT, type VpcdCard, type VpcdSlotOptions, type VirtualCardLike, type VpcdCounters } from './client.js';
// The card's answers to PC/SC Part 3 APDUs
export { answerApdu, newReaderKeys, clearVolatileKeys, SW, type ApduCard, type ReaderKeys } from './apdu.js';
// Emulated reader firmware, one profile per family (docs/readers.md)
export { firmwareProfile, ReaderProfileError, FIRMWARE_PROFILES, EMULATED_FAMILIES, type FirmwareProfile, type FirmwareWords, type FirmwareOptions, type KeyAddressing, type EmulatedFamily } from './profiles.js';
// vpcd's framing: two length bytes, then the payload
export { feedVpcdFrames, encodeVpcdFrame, EMPTY_VPCD_FRAME_STATE, VPCD_CTRL, type VpcdFrameState } from './frame.js';

/**
 * `hmskort/drivers/vpcd`: a virtual contactless card for vsmartcard's vpcd reader in pcscd, so that
 * PC/SC applications (and this library's PC/SC driver) can be tested without a plastic card.
 */
export { VpcdSlot, vpcdCardFromVirtual, MIFARE_CLASSIC_1K_ATR, VPCD_DEFAULT_PORT, type VpcdCard, type VpcdSlotOptions, type VirtualCardLike, type VpcdCounters } from './client.js';
export { answerApdu, newReaderKeys, clearVolatileKeys, SW, type ApduCard, type ReaderKeys } from './apdu.js';
export { firmwareProfile, ReaderProfileError, FIRMWARE_PROFILES, EMULATED_FAMILIES, type FirmwareProfile, type FirmwareWords, type FirmwareOptions, type KeyAddressing, type ReaderFamily, type EmulatedFamily } from './profiles.js';
export { feedFrames, encodeFrame, EMPTY_FRAME_STATE, VPCD_CTRL, type FrameState } from './frame.js';

/**
 * `hmskort/drivers/pcsc`: MIFARE Classic cards in PC/SC readers (ACS, Identiv/SCM, HID OMNIKEY,
 * any PC/SC Part 3 reader, pcscd's vpcd) over the optional dependency nfc-pcsc, which is loaded
 * only when the default binding opens. The recovery state machine, the APDU builders and the
 * nfc-pcsc loader are internals (tests import them from their modules); the snapshot is
 * test/unit/project/exports.test.ts.
 */
// Opening a reader
export { openPcscReader, createPcscReader, probePcscd, PcscCardReader, type PcscReaderOptions } from './reader.js';
// The card in it
export { PcscMifareCard, type PcscCardCounters, type PcscCardOptions, type CardLink } from './card.js';
// Bindings: nfc-pcsc by default, or your own (MemoryPcscBinding in hmskort/testing)
export type { PcscBinding, BindingContext, BindingContextEvents, BindingReader, BindingReaderEvents, ShareMode } from './binding.js';
export { nfcPcscBinding, type NfcPcscBindingOptions } from './nfcPcscBinding.js';
// The states a reader and its card go through (PcscCardReader's state)
export type { ServiceState, CardState } from './recovery.js';
// Reader profiles: one table per family (docs/readers.md)
export {
  PROFILES,
  ACS,
  IDENTIV,
  OMNIKEY,
  GENERIC,
  READER_FAMILIES,
  profileForReaderName,
  parseProfileFile,
  ProfileFileError,
  PROFILE_FILE_FORMAT,
  PROFILE_FILE_VERSION,
  type ReaderFamily,
  type ReaderProfile,
  type ReaderProfileFile,
  type ProfileChoice,
  type SwRow,
  type SwMeaning,
} from './profiles/index.js';

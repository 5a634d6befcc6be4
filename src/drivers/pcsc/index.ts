/**
 * `hmskort/drivers/pcsc`: MIFARE Classic cards in PC/SC readers (ACS, Identiv/SCM, HID OMNIKEY,
 * any PC/SC Part 3 reader, pcscd's vpcd) over the optional dependency nfc-pcsc, which is loaded
 * only when the default binding opens.
 */
export { openPcscReader, createPcscReader, probePcscd, PcscCardReader, type PcscReaderOptions } from './reader.js';
export { PcscMifareCard, type PcscCardCounters, type PcscCardOptions, type CardLink } from './card.js';
export type { PcscBinding, BindingContext, BindingContextEvents, BindingReader, BindingReaderEvents, ShareMode } from './binding.js';
export { nfcPcscBinding, type NfcPcscBindingOptions } from './nfcPcscBinding.js';
export { SERVICE_TRANSITIONS, CARD_TRANSITIONS, StateMachine, type ServiceState, type ServiceEvent, type CardState, type CardEvent } from './recovery.js';
export {
  PROFILES,
  ACS,
  IDENTIV,
  OMNIKEY,
  GENERIC,
  READER_FAMILIES,
  profileForReaderName,
  chooseProfile,
  readProfileOption,
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
export { classifyAtr, type AtrKind } from './atr.js';
export { transmitError, getUidApdu, loadKeyApdu, authenticateApdu, readBinaryApdu, updateBinaryApdu, type ApduOp } from './apdus.js';
export { loadNfcPcsc, type NfcPcsc, type NfcPcscReader } from './nfcPcsc.js';

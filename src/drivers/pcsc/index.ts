/**
 * `hmskort/drivers/pcsc`: MIFARE Classic cards in PC/SC readers (ACR122U, ACR1252U, OMNIKEY 5x21,
 * pcscd's vpcd) over the optional dependency nfc-pcsc, which is loaded only by openPcscReader.
 */
export { openPcscReader, probePcscd, PcscCardReader, type PcscReaderOptions } from './reader.js';
export { PcscMifareCard, type PcscCardCounters } from './card.js';
export { classifyAtr, type AtrKind } from './atr.js';
export { statusError, transmitError, getUidApdu, loadKeyApdu, authenticateApdu, readBinaryApdu, updateBinaryApdu, type ApduOp } from './apdus.js';
export { loadNfcPcsc, type NfcPcsc, type NfcPcscReader } from './nfcPcsc.js';

/**
 * `hmskort/testing`: in-memory devices with fault injection, for users' own tests. The vpcd slot
 * and firmware profiles are the same objects as hmskort/drivers/vpcd's. The Evolis card printer
 * emulator is evolisEmulator/ (issue 16). The snapshot of these names
 * is test/unit/project/exports.test.ts.
 */
export { VirtualMifareClassic1K, BLOCKS_1K, type OperationCounters, type OperationRecord, type VirtualCardOptions, type AfterFailure } from './virtualCard.js';
export { RANDOM_ID_UID0, type UidKind } from './uidKinds.js';
export { VirtualCardReader } from './virtualReader.js';
export { VirtualCardStack, type CardStackOptions } from './cardStack.js';
export { Msr605Emulator, blankCard, type EmulatedCard, type Coercivity } from './msr605Emulator.js';
export { MemorySerialLink, type SerialLink, type SerialFaults } from '../transport/serial.js';
export { MemoryHidLink, type HidLink, type HidDeviceInfo } from '../transport/hid.js';
export { VpcdSlot, vpcdCardFromVirtual, MIFARE_CLASSIC_1K_ATR, VPCD_DEFAULT_PORT } from '../drivers/vpcd/client.js';
export { firmwareProfile, EMULATED_FAMILIES, type FirmwareProfile, type EmulatedFamily } from '../drivers/vpcd/profiles.js';
export { attachMsr605xHid, FakeNodeHidDevice, magtekReport, idtechReport } from './msr605xHid.js';
export { EmulatedReader, type EmulatedReaderOptions } from './emulatedReader.js';
export { MemoryPcscBinding, type MemoryPcscCard, type MemoryApduAnswer, type MemoryPcscCounters } from './pcscMemoryBinding.js';
export {
  EvolisEmulator,
  contactlessField,
  serveEvolisEmulator,
  emulatorDuplex,
  replayEvolisStream,
  PRINTER_ERRORS,
  type EvolisEmulatorOptions,
  type TranscriptEntry,
  type EvolisInjection,
  type ErrorInjection,
  type CorruptTrackInjection,
  type ChipInjection,
  type ContactlessField,
  type EvolisServer,
  type ReplayResult,
  type ReplayedPanel,
  type EmulatedPrinterCard,
  type PrintedPanel,
  type CardFate,
  type Station,
  type EvolisFrame,
} from './evolisEmulator/index.js';

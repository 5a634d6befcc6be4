/**
 * `hmskort/testing`: in-memory devices with fault injection, for users' own tests.
 */
export { VirtualMifareClassic1K, BLOCKS_1K, type OperationCounters, type OperationRecord, type VirtualCardOptions } from './virtualCard.js';
export { VirtualCardReader } from './virtualReader.js';
export { VirtualCardStack, type CardStackOptions } from './cardStack.js';

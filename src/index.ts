/**
 * hmskort: the Norwegian HMS card (HSE card) format, version 1. The root entry is pure: importing it
 * loads no native module and opens no device. Drivers are imported from their own modules.
 */
export * from './codec/errors.js';
export * from './codec/types.js';
export * from './codec/hex.js';
export * from './codec/crc.js';
export * from './codec/checkDigits.js';
export * from './codec/holder.js';
export * from './codec/record.js';
export * from './codec/barcode.js';
export * from './transport/card.js';

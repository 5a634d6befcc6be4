/**
 * hmskort: the Norwegian HMS card (HSE card) format, version 1. The root entry is pure: importing it
 * loads no native module and opens no device (node:crypto, a built-in, serves the card keys and
 * signatures). Drivers are imported from their own modules, `hmskort/testing` has the virtual devices.
 */
// Codec (spec sections 1, 2, 4, 6, 7)
export * from './codec/errors.js';
export * from './codec/types.js';
export * from './codec/hex.js';
export * from './codec/crc.js';
export * from './codec/checkDigits.js';
export * from './codec/holder.js';
export * from './codec/record.js';
export { decodeGateBlockInto, newGateBlockOut, statusCode, type GateBlockOut } from './codec/gateBlockDecode.js';
export { decodeRecordInto, newRecordOut, type RecordOut } from './codec/recordDecode.js';
export * from './codec/barcode.js';
export * from './codec/tracks.js';
export * from './codec/encodeAll.js';
export * from './codec/msrRaw.js';
// Card layer (sections 3 and 5)
export * from './transport/card.js';
export * from './card/accessBits.js';
export * from './card/mad.js';
export * from './card/kdf.js';
export * from './card/layout.js';
export * from './card/trailer.js';
export * from './card/signature.js';
export * from './card/image.js';
export * from './card/verify.js';
export * from './card/keys.js';
export * from './card/dumps/index.js';
export { encodeCard, EncodeError, assertTrailerSafe, ENCODE_STEPS, type EncodeInput, type EncodeReport, type EncodeStepReport, type EncodeProgress, type EncodeCardOptions, type EncodeStepName, type EncodeCardErrorCode } from './card/encoder.js';
export { gateRead, fullRead, type GateRead, type FullRead, type FullReadOptions } from './card/readers.js';
export { voidCard, type VoidReport } from './card/void.js';
// Vectors (section 8)
export { runVector, runVectors, parseVectorFile, KINDS, type Vector, type VectorResult } from './vectors/runner.js';

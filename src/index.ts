/**
 * hmskort: the Norwegian HMS card (HSE card) format, version 1. The root entry is pure: importing it
 * loads no native module and opens no device (node:crypto, a built-in, serves the card keys and
 * signatures). Drivers are imported from their own modules, `hmskort/testing` has the virtual devices.
 *
 * The export list is a decision (issue 15 item 5): one line per module, grouped by the section of
 * spec/hmsk-card-format-v1.md it implements, internal helpers left out (tests import those from
 * their module). test/unit/project/exports.test.ts holds the names every entry point exports: a change here
 * changes that snapshot, on purpose.
 */

// Errors (section 8, "Error codes")
export { API_CODES, DECODE_CODES, ENCODE_CODES, ERROR_CODES, HmskError, isHmskError, type ApiErrorCode, type DecodeErrorCode, type EncodeErrorCode, type ErrorKind, type ErrorLocation, type HmskErrorCode } from './codec/errors.js';

// The holder (section 1)
export { type CardCategory, type Category, type DecodedHolder, type EncodeOptions, type GateFields, type Gender, type HolderInput } from './codec/types.js';
export { HOLDER_FIELDS, isValidatedHolder, MAX_CARD_NUMBER, MAX_TEXT_INPUT, TEXT_AREA_BYTES, validateHolder, type ValidHolder } from './codec/holder.js';
export { isValidLuhn, isValidOrgNumber, luhnCheckDigit, orgCheckDigit } from './codec/checkDigits.js';

// The record and its gate block (section 2)
export { decodeGateBlock, decodeRecord, encodeRecord, FLAG_SIGNED, FLAG_TRUNCATED, GATE_BLOCK_LENGTH, RECORD_LENGTH, voidGateBlock } from './codec/record.js';
export { decodeGateBlockInto, newGateBlockOut, statusCode, type GateBlockOut } from './codec/gateBlockDecode.js';
export { decodeRecordInto, newRecordOut, type RecordOut } from './codec/recordDecode.js';
export { crc16CcittFalse, crc32, crc8Mad } from './codec/crc.js';
export { fromHex, toHex } from './codec/hex.js';

// MIFARE Classic 1K (section 3): layout, access bits, MAD, keys, card images, dumps
export { BLOCK_SIZE, BLOCKS, BLOCKS_PER_SECTOR, CARD_BYTES, firstBlock, GATE_BLOCK, GPB_HMSK, GPB_MAD, GPB_TRANSPORT, HMSK_ACCESS_BYTES, HMSK_DATA_CONDITION, HMSK_TRAILER_CONDITION, isTrailer, MAD_BLOCKS, MAD_KEY_A, RECORD_BLOCKS, RECORD_SECTORS, sectorOf, SECTORS, SIGNATURE_BLOCKS, SIGNATURE_SECTORS, trailerBlock, TRANSPORT_ACCESS_BYTES, TRANSPORT_KEY } from './card/layout.js';
export { accessBitsValid, dataBlockPermissions, decodeAccessBits, describeDataBlock, describeTrailer, encodeAccessBits, rawAccessConditions, trailerPermissions, type AccessConditions, type Bit, type Condition, type DataBlockPermissions, type KeyRights, type TrailerPermissions } from './card/accessBits.js';
export { buildMad, FREE_AID, HMSK_AID, HMSK_SIGNATURE_AID, hmskMad, parseMad, type Mad } from './card/mad.js';
export { deriveKey } from './card/kdf.js';
export { buildTrailer, hmskSectorKeys, hmskTrailer, parseTrailer, transportTrailer, type Trailer } from './card/trailer.js';
export { KeyRing, KeysFileError, parseKeysFile, type KeysFileJson } from './card/keys.js';
export { blankCardImage, buildCardImage, cardPayload, type CardImageInput } from './card/image.js';
export { verifyCardImage, type CardVerification } from './card/verify.js';
export { detectDumpFormat, DumpFormatError, parseBinaryDump, parseMctDump, parseProxmarkDump, readDump, writeBinaryDump, writeDump, writeMctDump, writeProxmarkDump, type CardDump, type DumpErrorCode, type DumpFormat } from './card/dumps/index.js';

// Cards in a reader (section 3, "Encoding order"; section 7 reads): over the MifareClassicCard interface
export { CardError, isCardError, type CardErrorCode, type CardErrorDetails, type CardReader, type KeyType, type MifareClassicCard } from './transport/card.js';
export { encodeCard, EncodeError, ENCODE_STEPS, type EncodeInput, type EncodeReport, type EncodeStepReport, type EncodeProgress, type EncodeCardOptions, type EncodeStepName, type EncodeCardErrorCode } from './card/encoder.js';
export { gateRead, fullRead, type GateRead, type FullRead, type FullReadOptions } from './card/readers.js';
export { voidCard, type VoidReport } from './card/void.js';

// Magnetic stripe (section 4)
export { decodeTrack, decodeTrackBits, lrcChar, track1Name, track1String, track2String, trackToBits, transliterateName, type TrackBitsOptions, type TrackFields, type TrackNumber } from './codec/tracks.js';
export { packRawRead, packRawWrite, unpackRawRead, unpackRawWrite } from './codec/msrRaw.js';

// Issuer signature (section 5)
export { ALGORITHM_ED25519, buildSignatureArea, parseSignatureArea, publicKeyOf, SIGNATURE_AREA_BYTES, SIGNATURE_TAG, SIGNATURE_VERSION, signedMessage, verifySignatureArea, type PublicKeys, type SignatureArea } from './card/signature.js';

// Barcode payload (section 6; printing and reading are in hmskort/barcode)
export { barcodePayload, cardDigits, parseBarcodePayload, type BarcodeFields } from './codec/barcode.js';

// All media of one holder (sections 2, 4, 6)
export { encodeAllMedia, type EncodedMedia } from './codec/encodeAll.js';

// Vector files (section 8)
export { runVector, runVectors, parseVectorFile, KINDS, type Vector, type VectorResult } from './vectors/runner.js';

/**
 * `hmskort/bridge`: the serial bridge between a reader's microcontroller and a host
 * (firmware-bridge/PROTOCOL.md): pure framing and messages, and the host wrapper. Names say what
 * they frame (encodeBridgeFrame, BridgeFrameState) so they cannot be mistaken for vpcd's
 * (hmskort/drivers/vpcd); the snapshot is test/unit/project/exports.test.ts.
 */
// Errors
export { BridgeError, type BridgeErrorCode } from './errors.js';
// Framing: COBS and the 0x00 delimiter (PROTOCOL.md "Framing")
export { cobsDecode, cobsEncode, decodeBridgeFrame, encodeBridgeFrame, feed, newBridgeFrameState, MAX_ENCODED_FRAME, type FeedResult, type BridgeFrameState } from './cobs.js';
// Messages and their wire tables (PROTOCOL.md "Messages")
export { decodeMessage, encodeMessage, HOT_STATUSES, LINK_ERRORS, MAX_DELTA_ITEMS, MAX_PAYLOAD, MSG_CARD, MSG_DECISION, MSG_ERROR, MSG_HEARTBEAT, MSG_HOTLIST, WIRE_ERRORS, WIRE_REASONS, type BridgeMessage, type HotlistItem, type HotStatus, type LinkErrorCode, type WireError, type WireReason } from './messages.js';
// The host end over a SerialLink
export { BridgeHost, openSerialBridge, type BridgeHostOptions, type CardPresented, type HostDecision } from './host.js';

/**
 * The serial bridge between a reader's microcontroller and a host (firmware-bridge/PROTOCOL.md):
 * pure framing and messages, and the host wrapper.
 */
export { BridgeError, type BridgeErrorCode } from './errors.js';
export { cobsDecode, cobsEncode, decodeFrame, encodeFrame, feed, newFrameState, MAX_ENCODED_FRAME, type FeedResult, type FrameState } from './cobs.js';
export * from './messages.js';
export { BridgeHost, openSerialBridge, type BridgeHostOptions, type CardPresented, type HostDecision } from './host.js';

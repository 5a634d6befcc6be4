/**
 * `hmskort/drivers/msr`: magnetic-stripe devices. MSR206/605/606 serial encoders (serialport),
 * MSR605X over HID and HID swipe readers (node-hid), keyboard wedges. serialport and node-hid are
 * optional dependencies, loaded only when a port or device is opened. The snapshot of these names
 * is test/unit/project/exports.test.ts.
 */
// Errors (the encoder's status byte)
export { MsrError, STATUS_CODES, type MsrErrorCode } from './errors.js';
// MSR206/605/606 over a SerialLink, and the stripe encoder on top of it
export { Msr206, type CallOptions, type IsoRead, type Led, type MsrOptions, type RawRead } from './msr206.js';
export { MsrStripeEncoder, type StripeRead, type WriteCardOptions } from './stripeEncoder.js';
// MSR605X over HID: its 64-byte reports framed as a serial link
export { findMsr605x, frameReports, hidSerialLink, initialUnframeState, MSR605X_PRODUCT_ID, MSR605X_USAGE_PAGE, MSR605X_VENDOR_ID, REPORT_SIZE, unframeReport, type UnframeState } from './msr605x.js';
// Swipe readers: HID (MagTek, ID TECH) and keyboard wedges, and the swipe they give
export { HidSwipeReader, IDTECH_VENDOR_ID, MAGTEK_VENDOR_ID, parseIdtechReport, parseMagtekReport, type HidSwipeFormat } from './hidSwipe.js';
export { feedWedge, initialWedgeState, parseWedgeLine, type WedgeState } from './keyboardWedge.js';
export { decodeSwipe, type Swipe, type SwipeFields, type SwipeTrack } from './swipe.js';
// Opening the devices (optional dependencies)
export { openSerialLink, listSerialPorts, type SerialOpenOptions, type SerialPortEntry } from './serialportLink.js';
export { openNodeHidLink } from './nodeHidLink.js';

/**
 * `hmskort/drivers/msr`: magnetic-stripe devices. MSR206/605/606 serial encoders (serialport),
 * MSR605X over HID and HID swipe readers (node-hid), keyboard wedges. serialport and node-hid are
 * optional dependencies, loaded only when a port or device is opened.
 */
export * from './errors.js';
export * from './msr206.js';
export * from './stripeEncoder.js';
export * from './msr605x.js';
export * from './hidSwipe.js';
export * from './keyboardWedge.js';
export * from './swipe.js';
export { openSerialLink, listSerialPorts, type SerialOpenOptions, type SerialPortEntry } from './serialportLink.js';
export { openNodeHidLink } from './nodeHidLink.js';

/**
 * `hmskort/drivers/printer`: Evolis card printers (Primacy, Zenius; the ESC ... CR command set of
 * the Evolis Programming Guide A5013) on the USB printer class device or the network, behind the
 * CardPrinter contract. Tested only against scripted replies and the emulator, never a real
 * printer (docs/printers.md). The snapshot of these names is test/unit/project/exports.test.ts.
 */
// The contract
export { PANEL_DOTS, PANEL_LINE_BYTES, PANEL_LINES, type CardPosition, type CardPrinter, type MonoPanel, type PrinterStatus, type StripeData } from './types.js';
// Errors and replies
export { classifyReply, PrinterError, REPLY_CODES, type PrinterErrorCode, type ReplyClass } from './errors.js';
// Frames, replies as a step function, the panel compression
export { encodeCommand } from './frame.js';
export { endOfReply, feedReply, initialReplyState, MAX_REPLY_BYTES, QUIET_GAP_MS, type ReplyState, type ReplyStep } from './replyReader.js';
export { compressPanel, decompressPanel } from './panelCompression.js';
// The driver, its command sequences and its links
export { DEFAULT_TIMEOUTS, EvolisPrinter, type EvolisOptions } from './evolis.js';
export { printSteps, stripeSteps, TRACK_RULES, type PrinterCommand, type TimeoutClass } from './sequences.js';
export type { ExchangeOptions, PrinterLink } from './link.js';
export { openTcpLink, type TcpLinkOptions } from './tcpLink.js';
export { openUsbLink } from './usbLink.js';
export { streamLink, type StreamLinkOptions } from './streamLink.js';
export { openPrinter, parsePrinterUrl, type OpenPrinterOptions, type PrinterUrl } from './url.js';

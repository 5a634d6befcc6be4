/**
 * `hmskort/barcode` (suggested sub-path export): the HMS barcode of spec section 6 printed, read
 * back and graded. Not pure: bwip-js, zxing-wasm (loads its .wasm from node_modules), pngjs,
 * jpeg-js, and Chromium for screenshots. The pure parts (Code 128 table and reference decoder,
 * ISO/IEC 15416 grading over grey pixels) are safe for the root entry.
 */
export * from './render.js';
export * from './read.js';
export * from './image.js';
export * from './cardBack.js';
export * from './rasterize.js';
export * from './chromium.js';
export * from './code128Decoder.js';
export { CODE128_PATTERNS, MIN_QUIET_ZONE } from './code128Table.js';
export * from './grade/index.js';
export * from './grade/fromImage.js';

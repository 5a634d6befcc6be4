/**
 * `hmskort/barcode`: the HMS barcode of spec section 6 printed, read back and graded. Not pure:
 * bwip-js, zxing-wasm (loads its .wasm from node_modules), pngjs, jpeg-js, and Chromium for
 * screenshots. The snapshot of these names is test/unit/project/exports.test.ts.
 */
// Rendering the Code 128 symbol
export { barcodeElements, barcodeGeometry, barsSvg, MAX_QUIET_ZONE, pngDpi, renderBarcodePng, renderBarcodeSvg, withDpi, type BarcodeGeometry, type BarcodeRenderOptions } from './render.js';
export { CODE128_PATTERNS, MIN_QUIET_ZONE } from './code128Table.js';
// Reading it back: zxing-wasm, and the reference decoder over bar widths
export { checkHmsBarcode, findSymbols, readHmsBarcode, zxingWasmPath, type FoundSymbol, type HmsBarcodeCheck, type HmsBarcodeRead, type SymbolFormat } from './read.js';
export { code128Widths, decodeCode128, type Code128Decode, type Code128Failure } from './code128Decoder.js';
// Grading a scan (ISO/IEC 15416)
export { gradeDecodability, gradeDefects, gradeEdgeContrast, gradeGrayImage, gradeModulation, gradeRmin, gradeSymbolContrast, letter, type GradeOptions, type Letter, type ParameterGrades, type ScanLineResult, type SymbolGrade } from './grade/index.js';
export { gradeImage } from './grade/fromImage.js';
// Images in and out
export { decodeImage, encodeJpeg, encodePng, grayToRgba, IMAGE_LIMITS, ImageError, readImageHeader, toGray, type GrayImage, type ImageErrorCode, type ImageHeader, type RgbaImage } from './image.js';
// The card back (ID-1), as SVG, PNG, or a Chromium screenshot
export { CARD_HEIGHT_MM, CARD_WIDTH_MM, cardBackLayout, cardBackSvg, EDGE_MM, expandQrTemplate, type Box, type CardBackHolder, type CardBackLayout, type CardBackOptions, type LayoutItem } from './cardBack.js';
export { cardBackPng, rasterizeCardBack } from './rasterize.js';
export { findChromium, screenshotSvg, type ScreenshotOptions } from './chromium.js';
// The card front and both faces as the printer's monochrome panel (src/faces, issue 16)
export { cardFrontLayout, cardFrontSvg, CATEGORY_WORDS, PHOTO_DOTS, type CardFrontHolder, type CardFrontLayout, type CardFrontOptions, type FrontField, type FrontItem } from '../faces/cardFront.js';
export { fitText, LINE_PITCH, type FitOptions, type FittedLine, type FittedText } from '../faces/textFit.js';
export { FaceFontError } from '../faces/font.js';
export { floydSteinberg } from '../faces/dither.js';
export { facePhoto } from '../faces/photo.js';
export { backPanel, frontPanel, packPanel, PANEL_HEIGHT, PANEL_WIDTH, panelPng, renderFaceImage, renderFacePanel, unpackPanel } from '../faces/panel.js';

/**
 * The Code 128 symbol character table of ISO/IEC 15417 (Table 1): for each value 0..106 the widths
 * in modules of bar, space, bar, space, bar, space (stop: 7 elements, ending with a 2-module bar).
 *
 * Written from the standard's table independently of bwip-js, so that our reference decoder is a
 * second opinion on what bwip-js draws. Every pattern is 11 modules with an even bar sum (the
 * symbology's self-check); test/unit/barcode/barcode-code128.test.ts checks both properties.
 */

/** Patterns of values 0..105 (103/104/105 = Start A/B/C) and 106 = Stop. */
export const CODE128_PATTERNS: readonly string[] = [
  '212222', '222122', '222221', '121223', '121322', '131222', '122213', '122312', '132212', '221213',
  '221312', '231212', '112232', '122132', '122231', '113222', '123122', '123221', '223211', '221132',
  '221231', '213212', '223112', '312131', '311222', '321122', '321221', '312212', '322112', '322211',
  '212123', '212321', '232121', '111323', '131123', '131321', '112313', '132113', '132311', '211313',
  '231113', '231311', '112133', '112331', '132131', '113123', '113321', '133121', '313121', '211331',
  '231131', '213113', '213311', '213131', '311123', '311321', '331121', '312113', '312311', '332111',
  '314111', '221411', '431111', '111224', '111422', '121124', '121421', '141122', '141221', '112214',
  '112412', '122114', '122411', '142112', '142211', '241211', '221114', '413111', '241112', '134111',
  '111242', '121142', '121241', '114212', '124112', '124211', '411212', '421112', '421211', '212141',
  '214121', '412121', '111143', '111341', '131141', '114113', '114311', '411113', '411311', '113141',
  '114131', '311141', '411131', '211412', '211214', '211232', '2331112',
];

/** Minimum quiet zone each side of a Code 128 symbol, in modules (ISO/IEC 15417). */
export const MIN_QUIET_ZONE = 10;

export const START_A = 103;
export const START_B = 104;
export const START_C = 105;
export const STOP = 106;
/** Code-set switches (ISO/IEC 15417 Table 1): value 99 = Code C, 100 = Code B (FNC4 in B), 101 = Code A (FNC4 in A). */
export const CODE_C = 99;
export const CODE_B = 100;
export const CODE_A = 101;
export const SHIFT = 98;
export const FNC1 = 102;

/** Element widths (modules) of a value's pattern. */
export function patternWidths(value: number): number[] {
  return [...CODE128_PATTERNS[value]].map(Number);
}

/** The four edge-to-similar-edge sums e1..e4 (modules) of a 6-element pattern (ISO/IEC 15417 reference decode). */
export function edgeSums(w: readonly number[]): [number, number, number, number] {
  return [w[0] + w[1], w[1] + w[2], w[2] + w[3], w[3] + w[4]];
}

/**
 * Hex for tests, on Node's Buffer rather than src/codec/hex.ts: expected bytes in a test come from
 * an independent source, not from the code under test (and mutation testing mutates src/codec).
 */

/** Bytes of a hex string; whitespace between digits is allowed (APDUs are written spaced). */
export function fromHex(text: string): Uint8Array {
  const digits = text.replace(/\s+/g, '');
  // Buffer.from(s, 'hex') stops silently at the first bad digit: a typo in a test must fail instead.
  if (!/^(?:[0-9a-fA-F]{2})*$/.test(digits)) throw new Error(`not hex: ${JSON.stringify(text)}`);
  return Uint8Array.from(Buffer.from(digits, 'hex'));
}

/** Lower-case hex of bytes. */
export function toHex(bytes: Uint8Array): string {
  return Buffer.from(bytes).toString('hex');
}

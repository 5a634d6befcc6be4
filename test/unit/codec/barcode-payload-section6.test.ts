/**
 * Spec section 6: the barcode payload is orgNumber (9) + cardNumber (12, zero-padded) + the Luhn
 * check digit of those 21 digits (ISO/IEC 7812-1, the same digit as on the stripe, section 4).
 * Expected payloads are the spec's own examples (test-vectors/spec-examples.json, `barcode`); the
 * error cases are built with a Luhn digit computed here, independently of src/codec/checkDigits.ts.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { barcodePayload, cardDigits, parseBarcodePayload } from '../../../src/codec/barcode.js';
import { HmskError } from '../../../src/codec/errors.js';
import { luhn } from '../../helpers/luhn.js';
import { thrown as thrownHelper } from '../../helpers/thrown.js';

interface Example {
  id: string;
  input: { holder?: { orgNumber: string; cardNumber: string } };
  expect: { barcode?: string };
}
const examples = (JSON.parse(readFileSync(resolve(import.meta.dirname, '../../../test-vectors/spec-examples.json'), 'utf8')) as { vectors: Example[] }).vectors.filter(
  (v) => v.expect.barcode && v.input.holder,
);

const error = (f: () => unknown) => thrownHelper(f, HmskError);

describe('barcode payload of the spec examples', () => {
  it('there are examples to test', () => expect(examples.length).toBeGreaterThanOrEqual(2));
  for (const v of examples) {
    it(`${v.id}: ${v.expect.barcode}`, () => {
      const h = v.input.holder!;
      expect(barcodePayload(h)).toBe(v.expect.barcode);
      expect(luhn(v.expect.barcode!.slice(0, 21))).toBe(v.expect.barcode!.slice(21));
      // Leading zeros of the card number do not change the payload.
      expect(barcodePayload({ orgNumber: h.orgNumber, cardNumber: `000${h.cardNumber}` })).toBe(v.expect.barcode);
      expect(parseBarcodePayload(v.expect.barcode!)).toEqual({ orgNumber: h.orgNumber, cardNumber: h.cardNumber.replace(/^0+/, '') });
    });
  }
  it('the largest card number, 12 digits, fills the field', () => {
    const body = '974760673' + '999999999999';
    expect(cardDigits('974760673', '999999999999')).toBe(body + luhn(body));
    expect(cardDigits('974760673', '7')).toBe('974760673000000000007' + luhn('974760673000000000007'));
  });
});

describe('parseBarcodePayload: the checks of a scanned payload, in order', () => {
  const good = '974760673' + '000000123456';
  const payload = good + luhn(good);
  it('BAD_FORMAT unless exactly 22 digits', () => {
    for (const t of [payload.slice(1), payload + '0', `x${payload.slice(1)}`, `${payload.slice(0, 21)}x`, ` ${payload}`, '']) {
      const e = error(() => parseBarcodePayload(t));
      expect([e.code, e.where.offset], JSON.stringify(t)).toEqual(['BAD_FORMAT', 0]);
    }
  });
  it('BAD_CHECK_DIGIT at offset 21 for every wrong last digit', () => {
    for (let d = 0; d <= 9; d++) {
      if (String(d) === payload[21]) continue;
      const e = error(() => parseBarcodePayload(payload.slice(0, 21) + d));
      expect([e.code, e.where.offset]).toEqual(['BAD_CHECK_DIGIT', 21]);
    }
  });
  it('BAD_FIELD orgNumber when the org number fails mod-11 (Luhn right)', () => {
    const body = '987654321' + '000000000001'; // 987654321: its mod-11 check digit would be 5
    const e = error(() => parseBarcodePayload(body + luhn(body)));
    expect([e.code, e.where]).toEqual(['BAD_FIELD', { field: 'orgNumber', offset: 0 }]);
  });
  it('BAD_FIELD cardNumber when the card number is 0 (Luhn right)', () => {
    const body = '974760673' + '000000000000';
    const e = error(() => parseBarcodePayload(body + luhn(body)));
    expect([e.code, e.where]).toEqual(['BAD_FIELD', { field: 'cardNumber', offset: 9 }]);
  });
  it('a card number of 12 digits keeps all of them', () => {
    const body = '974760673' + '100000000000';
    expect(parseBarcodePayload(body + luhn(body))).toEqual({ orgNumber: '974760673', cardNumber: '100000000000' });
  });
});

describe('cardDigits and barcodePayload refuse what is not digits of the right length', () => {
  it('orgNumber: exactly 9 digits', () => {
    for (const org of ['97476067', '9747606730', 'x974760673', '974760673x', 974760673])
      expect(error(() => cardDigits(org as string, '1')).code, String(org)).toBe('INVALID_ARGUMENT');
  });
  it('cardNumber: 1 to 12 digits', () => {
    for (const card of ['', '1234567890123', 'x1', '1x', 1])
      expect(error(() => cardDigits('974760673', card as string)).code, String(card)).toBe('INVALID_ARGUMENT');
  });
  it('barcodePayload: a holder object with a string card number', () => {
    for (const h of [null, 'x', 7]) expect(error(() => barcodePayload(h as never)).code).toBe('INVALID_ARGUMENT');
    expect(error(() => barcodePayload({ orgNumber: '974760673', cardNumber: 5 as never })).where.field).toBe('holder.cardNumber');
    // Only leading zeros go: "0" stays a card number of one digit.
    expect(barcodePayload({ orgNumber: '974760673', cardNumber: '0' })).toBe(cardDigits('974760673', '0'));
    expect(barcodePayload({ orgNumber: '974760673', cardNumber: '1020' })).toBe(cardDigits('974760673', '1020'));
  });
});

/**
 * Spec sections 1, 2 and 8: random and mutated input fed to every decoder of the record and to the
 * holder validator only ever yields HmskError with one of the spec's codes for that step (never a
 * TypeError, a RangeError or a result for bytes that break a rule); the fast path never throws and
 * returns a status that names a section-2 code. The fast path's UTF-8 check is compared with the
 * WHATWG decoder (TextDecoder, fatal) as the independent oracle.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { HmskError } from '../../../src/codec/errors.js';
import { decodeGateBlockInto, newGateBlockOut, statusCode } from '../../../src/codec/gateBlockDecode.js';
import { decodeRecordInto, invalidUtf8At, newRecordOut } from '../../../src/codec/recordDecode.js';
import { validateHolder } from '../../../src/codec/holder.js';
import { decodeGateBlock, decodeRecord, encodeRecord, voidGateBlock } from '../../../src/codec/record.js';
import { handler as decodeGateKind } from '../../../src/vectors/kinds/decodeGate.js';
import { handler as decodeRecordKind } from '../../../src/vectors/kinds/decodeRecord.js';
import { decodeGateBlockLayout, decodeRecordLayout } from '../../../formats/record-layout.js';
import { mutate, mutations, validHolder } from '../../helpers/holderArbitraries.js';

const SECTION2 = ['BAD_LENGTH', 'BLANK', 'UNKNOWN_FORMAT', 'UNSUPPORTED_VERSION', 'BAD_CRC', 'BAD_FIELD'];
const SECTION1 = ['INVALID_CATEGORY', 'INVALID_CARD_NUMBER', 'INVALID_ORG_NUMBER', 'INVALID_DATE', 'INVALID_GENDER', 'INVALID_ISSUE', 'INVALID_TEXT', 'TOO_LONG'];

function onlySpecErrors(codes: string[], f: () => unknown, what = ''): void {
  try {
    f();
  } catch (e) {
    if (!(e instanceof HmskError)) throw new Error(`${what} threw ${String(e)}`, { cause: e });
    expect(codes, what).toContain(e.code);
  }
}

const decoders: [string, (b: Uint8Array) => unknown][] = [
  ['decodeGateBlock', decodeGateBlock],
  ['decodeRecord', decodeRecord],
  ['decodeGateBlockLayout', decodeGateBlockLayout],
  ['decodeRecordLayout', decodeRecordLayout],
  ['voidGateBlock', voidGateBlock],
];
const gateOut = newGateBlockOut();
const recordOut = newRecordOut();

/** Bytes: random of any length, or a valid record (or its gate block) with a few bytes changed. */
const fuzzBytes = fc.oneof(
  fc.uint8Array({ minLength: 0, maxLength: 200 }),
  fc.tuple(validHolder(8), mutations, fc.boolean()).map(([h, m, gate]) => {
    const r = mutate(encodeRecord(h, { truncate: true }), m);
    return gate ? r.subarray(0, 16) : r;
  }),
);

describe('decoders only fail with the spec codes of section 2', () => {
  it('every decoder, on random and mutated bytes', () => {
    fc.assert(
      fc.property(fuzzBytes, (b) => {
        for (const [name, d] of decoders) onlySpecErrors(SECTION2, () => d(b), name);
        const gs = decodeGateBlockInto(b, gateOut);
        const rs = decodeRecordInto(b, recordOut);
        for (const s of [gs, rs]) {
          expect(Number.isInteger(s) && s >= 0 && s <= SECTION2.length).toBe(true);
          if (s !== 0) expect(SECTION2).toContain(statusCode(s));
        }
      }),
      { numRuns: 3000 },
    );
  });

  it('the vector kinds, on any JSON input', () => {
    fc.assert(
      fc.property(fc.oneof(fc.anything(), fc.record({ record: fc.oneof(fc.string(), fc.uint8Array().map((u) => Buffer.from(u).toString('hex'))), gateBlock: fc.string() })), (input) => {
        const obj = (input !== null && typeof input === 'object' ? input : { record: input, gateBlock: input }) as Record<string, unknown>;
        onlySpecErrors(SECTION2, () => decodeRecordKind(obj));
        onlySpecErrors(SECTION2, () => decodeGateKind(obj));
      }),
      { numRuns: 1000 },
    );
  });

  it('the fast UTF-8 check agrees with TextDecoder (fatal) on random and near-UTF-8 bytes', () => {
    const td = new TextDecoder('utf-8', { fatal: true });
    const byte = fc.oneof(fc.integer({ min: 0, max: 255 }), fc.constantFrom(0x80, 0xbf, 0xc0, 0xc2, 0xdf, 0xe0, 0xed, 0xef, 0xf0, 0xf4, 0xf5, 0x9f, 0xa0, 0x8f, 0x90));
    fc.assert(
      fc.property(fc.array(byte, { maxLength: 12 }), (arr) => {
        const b = Uint8Array.from(arr);
        let ok = true;
        try {
          td.decode(b);
        } catch {
          ok = false;
        }
        expect(invalidUtf8At(b, 0, b.length) < 0).toBe(ok);
      }),
      { numRuns: 20_000 },
    );
  });
});

describe('holder validation only fails with the spec codes of section 1', () => {
  it('on arbitrary values and on valid holders with one field replaced by anything', () => {
    const fields = ['category', 'cardNumber', 'orgNumber', 'orgName', 'givenName', 'familyName', 'birthDate', 'gender', 'expiry', 'issue'];
    fc.assert(
      fc.property(fc.anything(), validHolder(8), fc.constantFrom(...fields), fc.oneof(fc.anything(), fc.string(), fc.string({ unit: 'binary' })), fc.boolean(), (any, h, field, value, truncate) => {
        // Anything that is not a holder object, or has a key that is not a field, is INVALID_ARGUMENT (issue 19 items 9, 17).
        onlySpecErrors([...SECTION1, 'INVALID_ARGUMENT'], () => validateHolder(any, { truncate }));
        onlySpecErrors(SECTION1, () => encodeRecord({ ...h, [field]: value } as never, { truncate }));
      }),
      { numRuns: 3000 },
    );
  });
});

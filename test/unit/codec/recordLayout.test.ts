/**
 * src/codec/recordLayout.ts is the one source of the record's numbers (spec section 2, issue 15
 * item 3). Two kinds of check:
 * - its values against independent descriptions of the same bytes: the buffer-layout reference
 *   (formats/record-layout.ts, which does not import it) and the record derived by hand from the
 *   spec's tables (test/helpers/recordBytes.ts HAND_RECORD);
 * - the source of src/: no other file defines one of its names again, writes the largest card
 *   number, or indexes the record with a bare number in the encoder and the decoders.
 */
import { describe, expect, it } from 'vitest';
import { join, relative } from 'node:path';
import * as L from '../../../src/codec/recordLayout.js';
import { encodeRecordLayout, gateBlockLayout, holderAreaLayout, recordLayout } from '../../../formats/record-layout.js';
import { HAND_HOLDER, HAND_RECORD } from '../../helpers/recordBytes.js';
import { SRC as src, codeOf as code, tsFiles as files } from '../../helpers/sourceText.js';

const LAYOUT_FILE = join(src, 'codec', 'recordLayout.ts');

describe('recordLayout.ts against the buffer-layout reference (formats/record-layout.ts)', () => {
  const gate = (k: string) => gateBlockLayout.offsetOf(k);
  const holder = (k: string) => gateBlockLayout.span + holderAreaLayout.offsetOf(k)!;

  it('lengths', () => {
    expect(L.RECORD_LENGTH).toBe(recordLayout.span);
    expect(L.GATE_BLOCK_LENGTH).toBe(gateBlockLayout.span);
    expect(L.TEXT_AREA_BYTES).toBe(holderAreaLayout.fields.find((f) => f.property === 'texts')!.span);
  });

  it('the offset of every field of the gate block and the holder area', () => {
    expect([L.OFFSET_TAG, L.OFFSET_VERSION_CATEGORY, L.OFFSET_CARD_NUMBER, L.OFFSET_ORG_NUMBER, L.OFFSET_EXPIRY, L.OFFSET_ISSUE, L.OFFSET_GATE_CRC]).toEqual(
      ['tag', 'versionCategory', 'cardNumber', 'orgNumber', 'expiryDay', 'issue', 'crc16'].map(gate),
    );
    expect([L.OFFSET_BIRTH_DATE, L.OFFSET_GENDER, L.OFFSET_FLAGS, L.OFFSET_GIVEN_LENGTH, L.OFFSET_FAMILY_LENGTH, L.OFFSET_ORG_LENGTH, L.OFFSET_RESERVED, L.TEXT_OFFSET, L.OFFSET_RECORD_CRC]).toEqual(
      ['birthDay', 'gender', 'flags', 'givenLength', 'familyLength', 'orgLength', 'reserved', 'texts', 'crc32'].map(holder),
    );
    expect(L.TEXT_AREA_END).toBe(holder('crc32'));
  });

  it('tag, version, category nibbles and flag bits as the reference encoder writes them', () => {
    const h = { ...HAND_HOLDER, category: 'construction' as const };
    const signed = encodeRecordLayout(h, { signed: true });
    expect(signed[L.OFFSET_TAG]).toBe(L.FORMAT_TAG);
    expect(signed[L.OFFSET_VERSION_CATEGORY]).toBe((L.FORMAT_VERSION << 4) | L.CATEGORY_CONSTRUCTION);
    expect(encodeRecordLayout(HAND_HOLDER)[L.OFFSET_VERSION_CATEGORY] & 0xf).toBe(L.CATEGORY_CLEANING);
    expect(signed[L.OFFSET_FLAGS]).toBe(L.FLAG_SIGNED);
    expect(L.FLAG_RESERVED_BITS).toBe(0xff & ~(L.FLAG_SIGNED | L.FLAG_TRUNCATED));
    expect(L.CATEGORY_VOID).toBe(0xf); // section 3, "Voiding a card"
  });
});

describe('recordLayout.ts against the record derived by hand (section 2 tables)', () => {
  const rec = Uint8Array.from(HAND_RECORD.match(/../g)!, (x) => parseInt(x, 16));
  it('reads the hand record through its offsets', () => {
    expect(rec.length).toBe(L.RECORD_LENGTH);
    expect(rec[L.OFFSET_TAG]).toBe(L.FORMAT_TAG);
    // Card 999 999 999 999 = 0xE8D4A50FFF, the largest: MAX_CARD_NUMBER is that number.
    const card = rec.subarray(L.OFFSET_CARD_NUMBER, L.OFFSET_ORG_NUMBER).reduce((v, b) => v * 256 + b, 0);
    expect(card).toBe(Number(HAND_HOLDER.cardNumber));
    expect(card).toBe(L.MAX_CARD_NUMBER);
    expect(new TextDecoder().decode(rec.subarray(L.TEXT_OFFSET, L.TEXT_OFFSET + rec[L.OFFSET_GIVEN_LENGTH]))).toBe(HAND_HOLDER.givenName);
    expect(L.GENDER_CODES[rec[L.OFFSET_GENDER]]).toBe(HAND_HOLDER.gender);
  });
});

describe('no file of src/ writes the record layout down a second time', () => {
  const others = files(src).filter((f) => f !== LAYOUT_FILE);

  // `const FORMAT_TAG = Layout.FORMAT_TAG` is a copy of the import (the decoders keep them for
  // speed, gateBlockDecode.ts says why), not a second definition.
  it('no other file defines a name of recordLayout.ts (or the old RECORD_BYTES)', () => {
    const names = [...Object.keys(L), 'RECORD_BYTES', 'MAX_CARD'];
    const found: string[] = [];
    for (const f of others) {
      const text = code(f);
      for (const n of names) if (new RegExp(`\\b(const|let|var)\\s+${n}\\s*=(?!\\s*\\w+\\.${n}\\s*;)`).test(text)) found.push(`${relative(src, f)}: ${n}`);
    }
    expect(found).toEqual([]);
  });

  it('no other file writes the largest card number or defines a constant of 144, 140, 116 or 0x48', () => {
    const found: string[] = [];
    for (const f of others) {
      const text = code(f);
      for (const m of text.matchAll(/\b999_?999_?999_?999\b|\b(const|let)\s+\w+\s*=\s*(144|140|116|0x48)\s*;/g)) found.push(`${relative(src, f)}: ${m[0]}`);
    }
    expect(found).toEqual([]);
  });

  it('the encoder and the decoders index the record only through the layout (no b[19])', () => {
    const found: string[] = [];
    for (const name of ['record.ts', 'gateBlockDecode.ts', 'recordDecode.ts']) {
      for (const m of code(join(src, 'codec', name)).matchAll(/\w\[\s*\d+\s*\]/g)) found.push(`${name}: ${m[0]}`);
    }
    expect(found).toEqual([]);
  });
});

/**
 * Hot-list JSON reader: an array of `{"cardNumber": "...", "status": "...", "minIssue": n}`, the
 * shape of a section 8 `gate` vector's `hotlist`. A byte-level reader for exactly that shape (any
 * JSON spacing, strings with escapes, numbers in any JSON notation) so a million entries load
 * without building a million objects (JSON.parse would: about 150 MB of heap at that size).
 * Unknown keys, missing keys and wrong types are errors naming the line. An `expiry` key (the
 * card's expiry, YYYY-MM-DD, as `hotlist publish` reads it) is checked and not kept (see csv.ts).
 */
import { GateConfigError, lineAt } from '../gate/errors.js';
import { Hotlist } from './table.js';
import { digitsCardNumber, excerpt, isoDate, statusIndex } from './fields.js';
import { CARD_NUMBER_RANGE, MIN_ISSUE_RANGE, STATUS_CHOICES, isCardNumberValue, isMinIssue } from '../codec/hotlistEntry.js';
import { quoteExcerpt } from '../codec/printable.js';

const enc = (s: string) => Uint8Array.from(s, (c) => c.charCodeAt(0));
const K_CARD = enc('cardNumber');
const K_STATUS = enc('status');
const K_ISSUE = enc('minIssue');
const K_EXPIRY = enc('expiry');

export function parseHotlistJson(b: Uint8Array, file = 'hot list'): Hotlist {
  let p = 0;
  const fail = (msg: string, at = p): never => {
    const line = lineAt(b, at);
    throw new GateConfigError('HOTLIST_FORMAT', `${file}:${line}: ${msg}`, { file, line });
  };
  // `p` is shared by these closures, so V8 keeps it in a context object: the scanning loops work on
  // a local copy and store it back once (measured: 1M entries 0.94 s -> see bench hotlist-load-1m).
  const n = b.length;
  const ws = () => {
    let q = p;
    while (q < n && (b[q] === 0x20 || b[q] === 0x0a || b[q] === 0x0d || b[q] === 0x09)) q++;
    p = q;
  };
  const expect = (c: number, what: string) => {
    ws();
    if (b[p] !== c) fail(`expected ${what}, found ${p < b.length ? excerpt(b, p, p + 10) : 'end of file'}`);
    p++;
  };
  // A string at p: returns [start, end) of its raw bytes, or decodes it when it has escapes.
  let strS = 0, strE = 0;
  let strText: string | undefined;
  const string = () => {
    ws();
    if (b[p] !== 0x22) fail('expected a string');
    const start = ++p;
    let escaped = false;
    let q = p;
    while (q < n && b[q] !== 0x22) {
      if (b[q] === 0x5c) {
        escaped = true;
        q++;
      } else if (b[q] < 0x20) fail('control character in a string', q);
      q++;
    }
    p = q;
    if (p >= n) fail('unterminated string', start);
    strS = start;
    strE = p++;
    strText = undefined;
    if (escaped) {
      try {
        strText = JSON.parse(new TextDecoder().decode(b.subarray(strS - 1, strE + 1))) as string;
      } catch {
        fail('bad escape in a string', start);
      }
    }
  };
  const sameBytes = (k: Uint8Array): boolean => {
    if (strText !== undefined) return strText === String.fromCharCode(...k);
    if (strE - strS !== k.length) return false;
    for (let i = 0; i < k.length; i++) if (b[strS + i] !== k[i]) return false;
    return true;
  };
  const text = () => strText ?? new TextDecoder().decode(b.subarray(strS, strE));
  // A JSON number at p (strict grammar); returns its value.
  const number = (): number => {
    ws();
    const start = p;
    if (b[p] === 0x2d) p++;
    const digitsFrom = p;
    let q = p;
    while (b[q] >= 0x30 && b[q] <= 0x39) q++;
    p = q;
    if (p === digitsFrom || (b[digitsFrom] === 0x30 && p - digitsFrom > 1)) fail('expected a number', start);
    let simple = b[start] !== 0x2d;
    if (b[p] === 0x2e || b[p] === 0x65 || b[p] === 0x45) {
      simple = false;
      const m = /^-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?/.exec(new TextDecoder().decode(b.subarray(start, Math.min(b.length, start + 40))));
      if (!m) fail('expected a number', start);
      p = start + m![0].length;
    }
    if (simple && p - start <= 15) {
      let v = 0;
      for (let i = start; i < p; i++) v = v * 10 + (b[i] - 0x30);
      return v;
    }
    return Number(new TextDecoder().decode(b.subarray(start, p)));
  };

  let commas = 0;
  for (let i = 0; i < b.length; i++) if (b[i] === 0x7b) commas++;
  const h = new Hotlist(commas);
  expect(0x5b, '"[" (the hot list is an array of entries)');
  ws();
  if (b[p] === 0x5d) p++;
  else
    for (;;) {
      ws();
      const entryAt = p;
      expect(0x7b, '"{" (an entry object)');
      let card = NaN;
      let status = -1;
      let minIssue: number | undefined;
      let seen = 0;
      ws();
      if (b[p] === 0x7d) p++;
      else
        for (;;) {
          ws();
          const keyAt = p;
          string();
          const key = sameBytes(K_CARD) ? 1 : sameBytes(K_STATUS) ? 2 : sameBytes(K_ISSUE) ? 4 : sameBytes(K_EXPIRY) ? 8 : 0;
          if (key === 0) fail(`unknown key ${quoteExcerpt(text(), 40)} (cardNumber, status, minIssue, expiry)`, keyAt);
          if (seen & key) fail(`repeated key ${quoteExcerpt(text(), 40)}`, keyAt);
          seen |= key;
          expect(0x3a, '":"');
          ws();
          const valueAt = p;
          if (key === 1) {
            if (b[p] === 0x22) {
              string();
              card = strText === undefined ? digitsCardNumber(b, strS, strE) : digitsCardNumber(enc(strText), 0, strText.length);
            } else {
              const v = number();
              card = isCardNumberValue(v) ? v : NaN;
            }
            if (Number.isNaN(card)) fail(`cardNumber ${excerpt(b, valueAt, p)} is not ${CARD_NUMBER_RANGE}`, valueAt);
          } else if (key === 2) {
            string();
            status = strText === undefined ? statusIndex(b, strS, strE) : statusIndex(enc(strText), 0, strText.length);
            if (status < 0) fail(`status ${quoteExcerpt(text(), 40)} is not ${STATUS_CHOICES}`, valueAt);
          } else if (key === 8) {
            if (b[p] !== 0x22) fail(`expiry ${excerpt(b, valueAt, valueAt + 12)} is not a date YYYY-MM-DD`, valueAt);
            string();
            if (!(strText === undefined ? isoDate(b, strS, strE) : isoDate(enc(strText), 0, strText.length))) fail(`expiry ${quoteExcerpt(text(), 40)} is not a date YYYY-MM-DD`, valueAt);
          } else {
            const v = b[p] === 0x2d || (b[p] >= 0x30 && b[p] <= 0x39) ? number() : NaN;
            if (!isMinIssue(v)) fail(`minIssue ${excerpt(b, valueAt, Math.max(p, valueAt + 8))} is not ${MIN_ISSUE_RANGE}`, valueAt);
            minIssue = v;
          }
          ws();
          if (b[p] === 0x2c) {
            p++;
            continue;
          }
          expect(0x7d, '"," or "}"');
          break;
        }
      if ((seen & 3) !== 3) fail(`entry lacks ${seen & 1 ? 'status' : 'cardNumber'}`, entryAt);
      h.add(card, minIssue);
      ws();
      if (b[p] === 0x2c) {
        p++;
        continue;
      }
      expect(0x5d, '"," or "]"');
      break;
    }
  ws();
  if (p !== b.length) fail('text after the end of the array');
  return h;
}

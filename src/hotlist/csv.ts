/**
 * Hot-list CSV reader (spec section 7 rule 3 entries): `cardNumber,status[,minIssue]` per line.
 * An optional header line names the columns in any order (cardNumber, status, minIssue, expiry); an
 * `expiry` column (the card's expiry, YYYY-MM-DD, which `hotlist publish` reads to prune the fleet's
 * entries, src/fleet/nats/hotlistFile.ts) is checked and not kept: the gate refuses an expired card
 * from the card itself, so one file serves both `hotlist publish` and `gate --hotlist`; blank
 * lines and `#` comments are skipped; a field may be wrapped in double quotes; `;` is accepted as
 * the separator when the first line uses it (spreadsheets with a decimal comma export that way).
 * Parsed straight from the bytes: no string or object per line (a million lines: see bench/).
 */
import { GateConfigError } from '../gate/errors.js';
import { Hotlist } from './table.js';
import { digitsCardNumber, digitsIssue, excerpt, isoDate, statusIndex } from './fields.js';
import { CARD_NUMBER_RANGE, MIN_ISSUE_RANGE, STATUS_CHOICES } from '../codec/hotlistEntry.js';
import { quoteExcerpt } from '../codec/printable.js';

const LF = 0x0a, CR = 0x0d, SP = 0x20, TAB = 0x09, QUOTE = 0x22, HASH = 0x23;

export function parseHotlistCsv(b: Uint8Array, file = 'hot list'): Hotlist {
  let newlines = 0;
  for (let i = 0; i < b.length; i++) if (b[i] === LF) newlines++;
  const h = new Hotlist(newlines + 1);
  // Column positions of cardNumber, status, minIssue (-1: absent); the default order without header.
  let colCard = 0, colStatus = 1, colIssue = 2, colExpiry = -1, columns = 3;
  let sep = 0x2c;
  let first = true;
  const fs = new Int32Array(16); // field starts
  const fe = new Int32Array(16); // field ends
  let line = 0;
  let pos = 0;
  const fail = (msg: string, s: number, e: number): never => {
    throw new GateConfigError('HOTLIST_FORMAT', `${file}:${line}: ${msg} (line ${excerpt(b, s, e)})`, { file, line });
  };
  while (pos < b.length) {
    line++;
    let lineEnd = b.indexOf(LF, pos);
    if (lineEnd < 0) lineEnd = b.length;
    const next = lineEnd + 1;
    let s = pos;
    let e = lineEnd;
    if (e > s && b[e - 1] === CR) e--;
    pos = next;
    while (s < e && (b[s] === SP || b[s] === TAB)) s++;
    if (s === e || b[s] === HASH) continue;
    if (first && b.subarray(s, e).indexOf(0x3b) >= 0 && b.subarray(s, e).indexOf(0x2c) < 0) sep = 0x3b;
    // Split into fields, trimmed, quotes removed.
    let n = 0;
    let fStart = s;
    for (let i = s; i <= e; i++) {
      if (i === e || b[i] === sep) {
        if (n === 16) fail('too many fields', s, e);
        let a = fStart, z = i;
        while (a < z && (b[a] === SP || b[a] === TAB)) a++;
        while (z > a && (b[z - 1] === SP || b[z - 1] === TAB)) z--;
        if (z - a >= 2 && b[a] === QUOTE && b[z - 1] === QUOTE) {
          a++;
          z--;
        }
        fs[n] = a;
        fe[n] = z;
        n++;
        fStart = i + 1;
      }
    }
    if (first) {
      first = false;
      const c0 = b[fs[0]];
      if (!(c0 >= 0x30 && c0 <= 0x39)) {
        // A header line: map the column names.
        colCard = colStatus = colIssue = colExpiry = -1;
        columns = n;
        for (let k = 0; k < n; k++) {
          const name = new TextDecoder().decode(b.subarray(fs[k], fe[k])).toLowerCase();
          if (name === 'cardnumber' && colCard < 0) colCard = k;
          else if (name === 'status' && colStatus < 0) colStatus = k;
          else if (name === 'minissue' && colIssue < 0) colIssue = k;
          else if (name === 'expiry' && colExpiry < 0) colExpiry = k;
          else fail(`unknown or repeated column ${quoteExcerpt(name, 40)} in the header (cardNumber, status, minIssue, expiry)`, s, e);
        }
        if (colCard < 0 || colStatus < 0) fail('the header must name the columns cardNumber and status', s, e);
        continue;
      }
    }
    const need = Math.max(colCard, colStatus) + 1;
    if (n < need || n > columns) fail(`expected ${need === columns ? need : `${need} to ${columns}`} fields, found ${n}`, s, e);
    const card = digitsCardNumber(b, fs[colCard], fe[colCard]);
    if (Number.isNaN(card)) fail(`card number ${excerpt(b, fs[colCard], fe[colCard])} is not ${CARD_NUMBER_RANGE}`, s, e);
    if (statusIndex(b, fs[colStatus], fe[colStatus]) < 0) fail(`status ${excerpt(b, fs[colStatus], fe[colStatus])} is not ${STATUS_CHOICES}`, s, e);
    let minIssue: number | undefined;
    if (colIssue >= 0 && colIssue < n && fe[colIssue] > fs[colIssue]) {
      minIssue = digitsIssue(b, fs[colIssue], fe[colIssue]);
      if (minIssue < 0) fail(`minIssue ${excerpt(b, fs[colIssue], fe[colIssue])} is not ${MIN_ISSUE_RANGE}`, s, e);
    }
    if (colExpiry >= 0 && colExpiry < n && fe[colExpiry] > fs[colExpiry] && !isoDate(b, fs[colExpiry], fe[colExpiry])) {
      fail(`expiry ${excerpt(b, fs[colExpiry], fe[colExpiry])} is not a date YYYY-MM-DD`, s, e);
    }
    h.add(card, minIssue);
  }
  return h;
}

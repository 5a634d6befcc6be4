/**
 * The text fields of a decision event (UID hex, decision instant, expiry date) written into one
 * reused byte buffer and decoded to a string in one step: each field costs the string it is and
 * nothing more. Built the usual way (toHex's concatenations, new Date().toISOString(), daysToIso)
 * these three fields were about 570 of the bytes allocated per tap (issue 14 item 4; measured with
 * bench/allocProbe.ts, a fixed young generation). ASCII bytes decode to a one-byte string.
 *
 * The calendar arithmetic is H. Hinnant's civil_from_days ("chrono-Compatible Low-Level Date
 * Algorithms", howardhinnant.github.io/date_algorithms.html), proleptic Gregorian as
 * Date.prototype.toISOString (ECMA-262 21.4.1) is; test/unit/gate/gate-tap-text.test.ts compares both over
 * random instants. Years outside 0000-9999 (an ISO string with a sign) go to Date.
 */
import { toHex } from '../codec/hex.js';

const MS_PER_DAY = 86_400_000;
/** Date's range, ±8.64e15 ms (ECMA-262 21.4.1.31): 0000-01-01 to 9999-12-31 here, Date beyond. */
const MIN_MS = -62_167_219_200_000; // 0000-01-01T00:00:00Z
const MAX_MS = 253_402_300_800_000; // 10000-01-01T00:00:00Z
const HEX_DIGITS = [48, 49, 50, 51, 52, 53, 54, 55, 56, 57, 97, 98, 99, 100, 101, 102];

export class TapText {
  private readonly buf = new Uint8Array(24);
  /** buf.subarray(0, n), made once per length (a subarray is an object). */
  private readonly views: Uint8Array[] = [];
  private readonly decoder = new TextDecoder();

  /** Lower-case hex of a UID (4, 7 or 10 bytes; longer ones through toHex). */
  uidHex(uid: Uint8Array): string {
    if (uid.length > 12) return toHex(uid);
    const b = this.buf;
    for (let i = 0; i < uid.length; i++) {
      b[2 * i] = HEX_DIGITS[uid[i] >> 4];
      b[2 * i + 1] = HEX_DIGITS[uid[i] & 15];
    }
    return this.text(2 * uid.length);
  }

  /** `YYYY-MM-DDTHH:MM:SS.mmmZ`, as new Date(ms).toISOString(). */
  isoInstant(ms: number): string {
    if (!(ms >= MIN_MS && ms < MAX_MS)) return new Date(ms).toISOString();
    const t = Math.trunc(ms); // TimeClip truncates toward zero (ECMA-262 21.4.1.31)
    const days = Math.floor(t / MS_PER_DAY);
    let rest = t - days * MS_PER_DAY;
    this.date(days);
    const b = this.buf;
    b[10] = 0x54; // T
    const h = Math.floor(rest / 3_600_000);
    rest -= h * 3_600_000;
    const mi = Math.floor(rest / 60_000);
    rest -= mi * 60_000;
    const s = Math.floor(rest / 1000);
    this.digits(11, h, 2);
    b[13] = 0x3a;
    this.digits(14, mi, 2);
    b[16] = 0x3a;
    this.digits(17, s, 2);
    b[19] = 0x2e;
    this.digits(20, rest - s * 1000, 3);
    b[23] = 0x5a; // Z
    return this.text(24);
  }

  /** `YYYY-MM-DD` of a day count since 1970-01-01 (years 0-9999), as daysToIso. */
  isoDate(days: number): string {
    this.date(days);
    return this.text(10);
  }

  /** Writes YYYY-MM-DD of `days` (since 1970-01-01) at buf[0..9]: civil_from_days. */
  private date(days: number): void {
    const z = days + 719_468;
    const era = Math.floor(z / 146_097);
    const doe = z - era * 146_097;
    const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36_524) - Math.floor(doe / 146_096)) / 365);
    const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
    const mp = Math.floor((5 * doy + 2) / 153);
    const d = doy - Math.floor((153 * mp + 2) / 5) + 1;
    const m = mp < 10 ? mp + 3 : mp - 9;
    const y = yoe + era * 400 + (m <= 2 ? 1 : 0);
    this.digits(0, y, 4);
    this.buf[4] = 0x2d;
    this.digits(5, m, 2);
    this.buf[7] = 0x2d;
    this.digits(8, d, 2);
  }

  private digits(at: number, v: number, n: number): void {
    for (let i = at + n - 1; i >= at; i--) {
      this.buf[i] = 0x30 + (v % 10);
      v = Math.floor(v / 10);
    }
  }

  private text(n: number): string {
    const v = (this.views[n] ??= this.buf.subarray(0, n));
    return this.decoder.decode(v);
  }
}

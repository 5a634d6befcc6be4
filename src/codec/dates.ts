/**
 * Calendar dates as the spec uses them (section 1): proleptic Gregorian `YYYY-MM-DD`, stored as a
 * day number since an epoch (day 0 = the epoch itself). Pure arithmetic on UTC milliseconds; no
 * clock is read here.
 */

const MS_PER_DAY = 86_400_000;

/** Epochs of the record: expiry counts from 2000-01-01, birth date from 1900-01-01 (section 2). */
export const EXPIRY_EPOCH = '2000-01-01';
export const BIRTH_EPOCH = '1900-01-01';

/** Parses a strict `YYYY-MM-DD` that names a real date; returns days since 1970-01-01, or undefined. */
export function parseIsoDate(s: string): number | undefined {
  if (typeof s !== 'string' || !/^[0-9]{4}-[0-9]{2}-[0-9]{2}$/.test(s)) return undefined;
  const y = +s.slice(0, 4);
  const m = +s.slice(5, 7);
  const d = +s.slice(8, 10);
  if (m < 1 || m > 12 || d < 1 || d > daysInMonth(y, m)) return undefined;
  return civilToDays(y, m, d);
}

export function isLeapYear(y: number): boolean {
  return (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
}

export function daysInMonth(y: number, m: number): number {
  return m === 2 ? (isLeapYear(y) ? 29 : 28) : [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][m - 1];
}

/** Days since 1970-01-01 of a proleptic Gregorian date. Date.UTC is exact for years 0-9999. */
export function civilToDays(y: number, m: number, d: number): number {
  const dt = new Date(0);
  dt.setUTCFullYear(y, m - 1, d);
  return Math.round(dt.getTime() / MS_PER_DAY);
}

/** `YYYY-MM-DD` of a day count since 1970-01-01. */
export function daysToIso(days: number): string {
  const dt = new Date(days * MS_PER_DAY);
  const y = dt.getUTCFullYear();
  const m = dt.getUTCMonth() + 1;
  const d = dt.getUTCDate();
  return `${String(y).padStart(4, '0')}-${m < 10 ? '0' : ''}${m}-${d < 10 ? '0' : ''}${d}`;
}

/** 2000-01-01 and 1900-01-01 as days since 1970-01-01. */
export const EXPIRY_EPOCH_DAYS = civilToDays(2000, 1, 1); // 10957
export const BIRTH_EPOCH_DAYS = civilToDays(1900, 1, 1); // -25567

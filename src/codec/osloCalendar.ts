/**
 * The calendar date in Europe/Oslo at an instant (spec section 7, rule 6: "the date in Europe/Oslo
 * at the current instant"). Pure: the instant is always an argument, no clock is read here.
 *
 * Two ways, which must agree:
 * - `osloDayIntl(ms)`: the IANA time zone database through Intl.DateTimeFormat. The reference; it
 *   allocates (a Date and the parts array) and costs about 10 us a call (measured, Node 20).
 * - `OsloCalendar.day(ms)`: the gate's hot path, no allocation. A one-day cache (the UTC bounds of
 *   the Oslo day last asked for) answers almost every tap with two comparisons; on a miss, the EU
 *   summer-time rule Norway follows (tzdata "EU" rule since 1996: UTC+2 from the last Sunday of March
 *   01:00 UTC to the last Sunday of October 01:00 UTC, else UTC+1) gives the offset by arithmetic.
 *   Outside 1996..2099, or if the rule does not match the zone data this Node carries (checked at
 *   construction at every transition of 1996..2099, in case Norway changes its rules), it falls back
 *   to Intl. test/unit/codec/gate-decision-section7.test.ts compares both over random instants and every DST
 *   transition.
 */

export const MS_PER_DAY = 86_400_000;
const MS_PER_HOUR = 3_600_000;

/** Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant, "days_from_civil"). No allocation. */
export function daysFromCivil(y: number, m: number, d: number): number {
  y -= m <= 2 ? 1 : 0;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const doy = Math.floor((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5) + d - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

/** The proleptic Gregorian year of a day count since 1970-01-01 ("civil_from_days"). No allocation. */
export function yearOfDays(z: number): number {
  z += 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  return yoe + era * 400 + (mp >= 10 ? 1 : 0);
}

/** Day (since 1970) of the last Sunday of a month: 1970-01-01 was a Thursday (weekday 4, Sunday 0). */
function lastSunday(y: number, m: number, lastDayOfMonth: number): number {
  const d = daysFromCivil(y, m, lastDayOfMonth);
  return d - ((((d + 4) % 7) + 7) % 7);
}

const intlParts = new Intl.DateTimeFormat('en-US', {
  timeZone: 'Europe/Oslo',
  year: 'numeric',
  month: 'numeric',
  day: 'numeric',
  hour: 'numeric',
  minute: 'numeric',
  second: 'numeric',
  hourCycle: 'h23',
  era: 'short',
});

/** Wall clock in Oslo at `ms` as UTC-based milliseconds (whole seconds), through Intl. */
function osloWallMs(ms: number): number {
  let y = 0, mo = 0, d = 0, h = 0, mi = 0, s = 0, bc = false;
  for (const p of intlParts.formatToParts(new Date(ms))) {
    if (p.type === 'year') y = +p.value;
    else if (p.type === 'month') mo = +p.value;
    else if (p.type === 'day') d = +p.value;
    else if (p.type === 'hour') h = +p.value;
    else if (p.type === 'minute') mi = +p.value;
    else if (p.type === 'second') s = +p.value;
    else if (p.type === 'era') bc = p.value === 'BC';
  }
  if (bc) y = 1 - y;
  return daysFromCivil(y, mo, d) * MS_PER_DAY + h * MS_PER_HOUR + mi * 60_000 + s * 1000;
}

/** UTC offset of Europe/Oslo at `ms`, in ms, from the IANA data through Intl. */
export function osloOffsetIntl(ms: number): number {
  const whole = Math.floor(ms / 1000) * 1000;
  return osloWallMs(whole) - whole;
}

/** The Oslo calendar day (days since 1970-01-01) at the instant `ms` (epoch ms), through Intl. */
export function osloDayIntl(ms: number): number {
  if (!Number.isFinite(ms) || Math.abs(ms) > 8.64e15) throw new RangeError(`not a valid instant: ${ms}`);
  return Math.floor(osloWallMs(ms) / MS_PER_DAY);
}

/** A day since 1970-01-01 as YYYY-MM-DD (the site list's day, `--date`). */
export function dayText(daysSinceEpoch: number): string {
  return new Date(daysSinceEpoch * MS_PER_DAY).toISOString().slice(0, 10);
}

/** The Oslo calendar day at the instant `ms` as YYYY-MM-DD, through Intl. */
export function osloDateText(ms: number): string {
  return dayText(osloDayIntl(ms));
}

const RULE_FIRST_YEAR = 1996;
const RULE_LAST_YEAR = 2099;
const RULE_FROM_MS = daysFromCivil(RULE_FIRST_YEAR, 1, 1) * MS_PER_DAY;
const RULE_UNTIL_MS = daysFromCivil(RULE_LAST_YEAR + 1, 1, 1) * MS_PER_DAY;

/** Summer time start and end (UTC ms) per year of the rule: [start0, end0, start1, end1, ...]. */
const SUMMER = (() => {
  const t = new Float64Array(2 * (RULE_LAST_YEAR - RULE_FIRST_YEAR + 1));
  for (let y = RULE_FIRST_YEAR; y <= RULE_LAST_YEAR; y++) {
    t[2 * (y - RULE_FIRST_YEAR)] = lastSunday(y, 3, 31) * MS_PER_DAY + MS_PER_HOUR;
    t[2 * (y - RULE_FIRST_YEAR) + 1] = lastSunday(y, 10, 31) * MS_PER_DAY + MS_PER_HOUR;
  }
  return t;
})();

/** The rule's offset at `ms` (which must lie in 1996..2099 UTC). */
function ruleOffset(ms: number): number {
  const i = 2 * (yearOfDays(Math.floor(ms / MS_PER_DAY)) - RULE_FIRST_YEAR);
  return ms >= SUMMER[i] && ms < SUMMER[i + 1] ? 2 * MS_PER_HOUR : MS_PER_HOUR;
}

/**
 * True when the summer-time rule matches the zone data Intl carries, one ms either side of every
 * transition of 1996..2099 and mid-winter/mid-summer of each year (624 Intl calls, a few ms).
 */
export function osloRuleMatchesIntl(): boolean {
  for (let k = 0; k < SUMMER.length; k += 2) {
    const probes = [SUMMER[k] - 1, SUMMER[k], SUMMER[k + 1] - 1, SUMMER[k + 1], (SUMMER[k] + SUMMER[k + 1]) / 2, SUMMER[k] - 60 * MS_PER_DAY];
    for (const p of probes) if (osloOffsetIntl(p) !== ruleOffset(p)) return false;
  }
  return true;
}

/**
 * Oslo calendar day at an instant, without allocation on the hot path. Not shared between threads;
 * one per gate. `day(ms)` returns days since 1970-01-01.
 */
export class OsloCalendar {
  /** UTC bounds [start, end) of the Oslo day in the cache, and that day. */
  private start = NaN;
  private end = NaN;
  private cached = 0;
  /** False when the rule disagreed with Intl at construction: every miss then asks Intl. */
  readonly ruleUsable: boolean;

  constructor(opts: { verifyRule?: boolean } = {}) {
    this.ruleUsable = opts.verifyRule === false ? true : osloRuleMatchesIntl();
  }

  day(ms: number): number {
    if (ms >= this.start && ms < this.end) return this.cached;
    return this.miss(ms);
  }

  private miss(ms: number): number {
    if (!this.ruleUsable || !(ms >= RULE_FROM_MS + 3 * MS_PER_HOUR && ms < RULE_UNTIL_MS - 3 * MS_PER_HOUR)) return osloDayIntl(ms);
    const day = Math.floor((ms + ruleOffset(ms)) / MS_PER_DAY);
    // Oslo midnight is 22:00 or 23:00 UTC; transitions fall at 01:00 UTC, so the offset is constant
    // over the three hours before each UTC midnight and the bounds follow from it.
    const start = day * MS_PER_DAY;
    const end = start + MS_PER_DAY;
    this.start = start - ruleOffset(start - 3 * MS_PER_HOUR);
    this.end = end - ruleOffset(end - 3 * MS_PER_HOUR);
    this.cached = day;
    return day;
  }
}

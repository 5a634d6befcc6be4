/**
 * The field checks of the site configuration file (src/fleet/site/config.ts, hiredWorkers.ts):
 * each throws Bad naming the key and, when known, the JSON path of the wrong value, which
 * parseSiteConfig turns into a SiteError SITE_CONFIG with the file and line.
 * Organisation numbers are 9 digits with the mod-11 check digit (Enhetsregisteret; src/codec/checkDigits.ts).
 */
import { isValidOrgNumber } from '../../codec/checkDigits.js';
import type { ErrorKind } from '../../codec/errors.js';

export interface Company {
  name: string;
  orgNumber: string;
}

/**
 * A mistake at `key` (dotted, for the message and SiteError.field); `path` locates its value in the
 * text. Internal: parseSiteConfig rethrows it as SiteError SITE_CONFIG with the file and line.
 */
export class Bad extends Error {
  readonly code = 'SITE_CONFIG';
  readonly kind: ErrorKind = 'config';
  constructor(readonly key: string, readonly detail: string, readonly path?: readonly (string | number)[]) {
    super(detail);
  }
}

export function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export function text(v: unknown, key: string, max = 200, path?: readonly (string | number)[]): string {
  if (typeof v !== 'string' || v.trim() === '' || v.length > max || /[\u0000-\u001f\u007f]/.test(v)) throw new Bad(key, `${key}: expected text of 1..${max} characters without control characters`, path);
  return v;
}

export function org(v: unknown, key: string, path?: readonly (string | number)[]): string {
  if (typeof v !== 'string' || !isValidOrgNumber(v)) throw new Bad(key, `${key}: expected an organisation number (9 digits, mod-11 check digit), got ${JSON.stringify(v)}`, path);
  return v;
}

export function company(v: unknown, key: string, path?: readonly (string | number)[]): Company {
  if (!isRecord(v)) throw new Bad(key, `${key}: expected {"name": ..., "orgNumber": ...}`, path);
  return { name: text(v.name, `${key}.name`, 200, path && [...path, 'name']), orgNumber: org(v.orgNumber, `${key}.orgNumber`, path && [...path, 'orgNumber']) };
}

/**
 * The site configuration file (issue 18 part 2: "Site facts (name, address, byggherre) come from a
 * small site configuration file"): JSON, checked key by key; every mistake is a SiteError
 * SITE_CONFIG naming the file, the line of the key and what was expected, like the gate's policy
 * file (src/gate/policy.ts).
 *
 *   { "siteId": "kvartal7", "name": "Kvartal 7", "address": "Storgata 7, 0155 Oslo",
 *     "byggherre": { "name": "Eiendom AS", "orgNumber": "974760673" },
 *     "buildingWorkEnd": "2027-06-30", "rawEventRetentionDays": 30,
 *     "hiredWorkers": [{ "employerOrgNumber": "...", "hiringCompany": { "name": "...", "orgNumber": "..." } },
 *                      { "cardNumbers": ["..."], "hiringCompany": {...} }] }   (src/fleet/site/hiredWorkers.ts)
 *
 * Organisation numbers are 9 digits with the mod-11 check digit (Enhetsregisteret; src/codec/checkDigits.ts).
 */
import { readFile } from 'node:fs/promises';
import { printable } from '../../codec/printable.js';
import { jsonErrorLine } from '../../gate/jsonErrorAt.js';
import { ID_RE } from '../store/eventShape.js';
import { needString } from '../../codec/guard.js';
import { SiteError, isCalendarDay } from './errors.js';
import { Bad, company, isRecord, text, type Company } from './configFields.js';
import { jsonPathLine } from '../../gate/jsonPathLine.js';
import { RAW_EVENT_RETENTION_DAYS } from '../retention.js';
import { parseHiredWorkers, type HiredWorkersRule } from './hiredWorkers.js';

export type { Company, HiredWorkersRule };

export interface SiteConfig {
  siteId: string;
  name: string;
  address: string;
  byggherre: Company;
  /** The day the building work ends (YYYY-MM-DD): the list is kept until six months after it. */
  buildingWorkEnd?: string;
  /** Raw tap events are deleted this many days after the tap (default 30). */
  rawEventRetentionDays: number;
  hiredWorkers: HiredWorkersRule[];
  /** The site's project number in HMSREG (`HmsRegnr` of each registration; `site export --hmsreg`). */
  hmsregNumber?: string;
  /** Per gate id, the direction HMSREG is told (`Retning`); a gate not named is "Inn" (docs/site.md). */
  gateDirections: Record<string, GateDirection>;
}

export type GateDirection = 'Inn' | 'Ut';

const KEYS = ['siteId', 'name', 'address', 'byggherre', 'buildingWorkEnd', 'rawEventRetentionDays', 'hiredWorkers', 'hmsregNumber', 'gateDirections'];

/** The pure check of a parsed value; throws Bad naming the key. */
function validate(json: unknown): SiteConfig {
  if (!isRecord(json)) throw new Bad('', 'expected a JSON object');
  for (const k of Object.keys(json)) if (!KEYS.includes(k)) throw new Bad(k, `unknown key ${JSON.stringify(k)} (known: ${KEYS.join(', ')})`);
  if (typeof json.siteId !== 'string' || !ID_RE.test(json.siteId)) throw new Bad('siteId', `siteId: expected the gates' site id (${ID_RE.source}), got ${JSON.stringify(json.siteId)}`);
  const cfg: SiteConfig = {
    siteId: json.siteId,
    name: text(json.name, 'name'),
    address: text(json.address, 'address'),
    byggherre: company(json.byggherre, 'byggherre'),
    rawEventRetentionDays: RAW_EVENT_RETENTION_DAYS,
    hiredWorkers: [],
    gateDirections: {},
  };
  if (json.hmsregNumber !== undefined) cfg.hmsregNumber = text(json.hmsregNumber, 'hmsregNumber', 40);
  if (json.gateDirections !== undefined) {
    const g = json.gateDirections;
    if (!isRecord(g)) throw new Bad('gateDirections', 'gateDirections: expected {"<gate id>": "Inn" | "Ut", ...}');
    for (const [gate, dir] of Object.entries(g)) {
      if (!ID_RE.test(gate)) throw new Bad('gateDirections', `gateDirections: ${JSON.stringify(gate)} is not a gate id (${ID_RE.source})`);
      if (dir !== 'Inn' && dir !== 'Ut') throw new Bad('gateDirections', `gateDirections.${gate}: expected "Inn" or "Ut", got ${JSON.stringify(dir)}`);
      cfg.gateDirections[gate] = dir;
    }
  }
  if (json.buildingWorkEnd !== undefined) {
    if (!isCalendarDay(json.buildingWorkEnd)) throw new Bad('buildingWorkEnd', `buildingWorkEnd: expected a date YYYY-MM-DD, got ${JSON.stringify(json.buildingWorkEnd)}`);
    cfg.buildingWorkEnd = json.buildingWorkEnd;
  }
  const days = json.rawEventRetentionDays;
  if (days !== undefined) {
    if (typeof days !== 'number' || !Number.isInteger(days) || days < 1 || days > 3650) throw new Bad('rawEventRetentionDays', `rawEventRetentionDays: expected a whole number of days 1..3650, got ${JSON.stringify(days)}`);
    cfg.rawEventRetentionDays = days;
  }
  if (json.hiredWorkers !== undefined) cfg.hiredWorkers = parseHiredWorkers(json.hiredWorkers);
  return cfg;
}

/** Parses the text of a site configuration file; `file` names it in errors. */
export function parseSiteConfig(source: string, file = 'site config'): SiteConfig {
  needString('parseSiteConfig', 'source', source);
  needString('parseSiteConfig', 'file', file);
  let json: unknown;
  try {
    json = JSON.parse(source);
  } catch (e) {
    const line = jsonErrorLine(source);
    throw new SiteError('SITE_CONFIG', `${file}${line ? `:${line}` : ''}: not valid JSON: ${printable((e as Error).message, 120)}`, { file, line, cause: e });
  }
  try {
    return validate(json);
  } catch (e) {
    if (!(e instanceof Bad)) throw e;
    // The line of the wrong value, by its path (a hiredWorkers entry's, or the key's own:
    // `byggherre.orgNumber`), not the first text that looks like its name (a `name` inside
    // `byggherre` written before the top-level one).
    const path = e.path ?? e.key.split(/[.[\]]/).filter(Boolean).map((k) => (/^\d+$/.test(k) ? Number(k) : k));
    const line = path.length ? jsonPathLine(source, path) : undefined;
    throw new SiteError('SITE_CONFIG', `${file}${line ? `:${line}` : ''}: ${printable(e.detail, 200)}`, { file, line, field: e.key || undefined });
  }
}

export async function loadSiteConfig(path: string): Promise<SiteConfig> {
  needString('loadSiteConfig', 'path', path);
  let source: string;
  try {
    source = await readFile(path, 'utf8');
  } catch (e) {
    throw new SiteError('FILE_UNREADABLE', `${path}: ${(e as Error).message}`, { file: path, cause: e });
  }
  return parseSiteConfig(source, path);
}

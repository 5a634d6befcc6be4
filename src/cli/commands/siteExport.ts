/**
 * `hmskort site export --hmsreg URL --user U --password-file F --db ... --config FILE [--site ID]`
 * (issue 18 part 3): one registration per allowed tap to HMSREG's registration API, resumable
 * (src/fleet/site/hmsreg/export.ts). The password is read from the file and lives only in the
 * Authorization header: no message, progress line or error carries it (issue 18 part 4).
 */
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { EXIT, UsageError, type CliContext } from '../command.js';
import { declare, type Values } from '../declare.js';
import { SiteError } from '../../fleet/site/errors.js';
import { exportToHmsreg, formatExportProgress } from '../../fleet/site/hmsreg/export.js';
import { withSite } from './siteList.js';

const CONFIG = { help: 'the site configuration JSON (with hmsregNumber; gateDirections optional)', required: true } as const;

const EXPORT = {
  hmsreg: { required: true }, user: { required: true }, 'password-file': { required: true }, 'request-timeout': {},
  site: {}, db: { required: true }, config: CONFIG,
} as const;

/** The base URL, checked without ever echoing a URL that may hold a password. */
function baseUrl(text: string): string {
  let u: URL;
  try {
    u = new URL(text);
  } catch {
    throw new UsageError('--hmsreg: expected an http:// or https:// URL');
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:') throw new UsageError('--hmsreg: expected an http:// or https:// URL');
  if (u.username || u.password) throw new UsageError('--hmsreg: the URL holds credentials; give the user with --user and the password in --password-file');
  if (u.search || u.hash) throw new UsageError('--hmsreg: give the base URL only (no ?query or #fragment)');
  return u.href;
}

async function readPassword(path: string, cwd: string): Promise<string> {
  let text: string;
  try {
    text = await readFile(resolve(cwd, path), 'utf8');
  } catch (e) {
    throw new SiteError('FILE_UNREADABLE', `--password-file ${path}: ${(e as NodeJS.ErrnoException).code ?? 'unreadable'}`, { file: path });
  }
  // One line: the file's final newline (an editor's, or `echo`'s) is not part of the password.
  const password = text.replace(/\r?\n$/, '');
  if (password === '' || /[\r\n]/.test(password)) throw new UsageError(`--password-file ${path}: expected the password on one line`);
  return password;
}

async function exportCmd(values: Values<typeof EXPORT>, _p: string[], ctx: CliContext): Promise<number> {
  const url = baseUrl(values.hmsreg);
  if (values.user.includes(':')) throw new UsageError('--user: HTTP Basic authentication allows no ":" in the user id (RFC 7617)');
  const password = await readPassword(values['password-file'], ctx.cwd);
  const target = { url, user: values.user, password, timeoutMs: values['request-timeout'] };
  const last = await withSite(values, ctx, async (db, cfg) => {
    ctx.stderr(`hmskort site export: ${cfg.siteId} -> ${url} as ${values.user}\n`);
    return exportToHmsreg(db, cfg, target, {
      signal: ctx.signal,
      onProgress: (p) => ctx.stderr(`${formatExportProgress(p)}\n`),
      onRetry: (reason, ms) => ctx.stderr(`hmskort site export: ${reason}; retrying in ${Math.round(ms)} ms\n`),
    });
  });
  ctx.stdout(`${formatExportProgress(last)}\n`);
  return EXIT.OK;
}

export const exportDescription = `export: sends each allowed tap of the site to HMSREG as one registration
(POST URL/api/registreringer, HTTP Basic authentication, JSON Kortnr, Retning, Tidspunkt, Navn,
Orgnr, HmsRegnr, Kilde, Korttype, Fødselsdato), oldest first. What was sent is recorded in the
store, so the next run sends only the rest (a run killed between HMSREG's answer and the record
sends that one registration again). 5xx, 429, network errors and time-outs are retried with
backoff (Retry-After honoured); another 4xx marks the tap failed with HMSREG's answer; 401/403
stops the run. The password is read from --password-file and never printed.
Exit status (export): 0 done; 2 usage; 3 a bad config (no hmsregNumber) or credentials refused;
4 a file unreadable, the database or HMSREG unreachable (the rest is sent by the next run).`;

export const siteExportCommands = {
  export: declare({ options: EXPORT, run: exportCmd }),
};

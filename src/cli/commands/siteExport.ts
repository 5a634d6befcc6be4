/**
 * `hmskort site export --hmsreg URL --user U --password-file F --db ... --config FILE [--site ID]`
 * (issue 18 part 3): one registration per allowed tap to HMSREG's registration API, at most once
 * (src/fleet/site/hmsreg/export.ts). The taps in doubt (sent, no answer) are settled by the
 * operator: `--list-unknown`, then `--mark-sent GATE:SEQ` for those HMSREG has and
 * `--resend-unknown` for the rest. The password is read from the file and lives only in the
 * Authorization header: no message, progress line or error carries it (issue 18 part 4).
 */
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { EXIT, UsageError, type CliContext } from '../command.js';
import { declare, type Values } from '../declare.js';
import { SiteError } from '../../fleet/site/errors.js';
import { exportToHmsreg, formatExportProgress } from '../../fleet/site/hmsreg/export.js';
import { countUnknown, listUnknown, markSent, reclaimCrashed, type TapKey } from '../../fleet/site/hmsreg/ledger.js';
import type { SqlDb } from '../../fleet/store/db.js';
import type { SiteConfig } from '../../fleet/site/config.js';
import { withSite } from './siteList.js';

const CONFIG = { help: 'the site configuration JSON (with hmsregNumber; gateDirections optional)', required: true } as const;

const EXPORT = {
  hmsreg: {}, user: {}, 'password-file': {}, 'request-timeout': {},
  site: {}, db: { required: true }, config: CONFIG, 'list-unknown': {}, 'resend-unknown': {}, 'mark-sent': {},
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
  // Its content is a file's, not the command line's: exit 3 as for a bad token file (never quoted).
  if (password === '' || /[\r\n]/.test(password)) throw new SiteError('BAD_PASSWORD_FILE', `--password-file ${path}: expected the password on one line`, { file: path, field: 'password-file' });
  return password;
}

function tapKey(text: string): TapKey {
  const m = /^(.+):([0-9]{1,15})$/.exec(text);
  if (!m) throw new UsageError(`--mark-sent ${text}: expected GATE:SEQ (as --list-unknown prints them)`);
  return { gate_id: m[1], seq: Number(m[2]) };
}

/** Prints the taps in doubt (stdout, one per line) and returns the exit status: 1 while any remain. */
async function reportUnknown(db: SqlDb, cfg: SiteConfig, ctx: CliContext, list: boolean): Promise<number> {
  if (list) {
    for (const t of await listUnknown(db, cfg.siteId)) ctx.stdout(`${t.gate_id}:${t.seq}\t${t.card_number ?? '-'}\t${new Date(t.at).toISOString()}\t${t.answer ?? ''}\n`);
  }
  const n = await countUnknown(db, cfg.siteId);
  ctx.stderr(`hmskort site export: ${n} in doubt on ${cfg.siteId}${n ? ' (check them in HMSREG, then --mark-sent GATE:SEQ or --resend-unknown)' : ''}\n`);
  return n ? EXIT.FAILED : EXIT.OK;
}

async function exportCmd(values: Values<typeof EXPORT>, _p: string[], ctx: CliContext): Promise<number> {
  const marks = (values['mark-sent'] ?? []).map(tapKey);
  if ((values['list-unknown'] || marks.length) && values['resend-unknown']) throw new UsageError('--resend-unknown sends; --list-unknown and --mark-sent do not: give them in separate runs');
  if (values['list-unknown'] || marks.length) {
    return withSite(values, ctx, async (db, cfg) => {
      await reclaimCrashed(db, cfg.siteId);
      const missed = await markSent(db, cfg.siteId, marks);
      if (missed.length) throw new SiteError('NOT_IN_DOUBT', `--mark-sent: ${missed.map((t) => `${t.gate_id}:${t.seq}`).join(', ')} ${missed.length === 1 ? 'is' : 'are'} not in doubt on ${cfg.siteId} (see --list-unknown); the others were marked`, { field: 'mark-sent' });
      return reportUnknown(db, cfg, ctx, values['list-unknown'] ?? false);
    }, 'export');
  }
  if (values.hmsreg === undefined || values.user === undefined || values['password-file'] === undefined) throw new UsageError('site export: --hmsreg, --user and --password-file are required to send (not with --list-unknown or --mark-sent)');
  const url = baseUrl(values.hmsreg);
  if (values.user.includes(':')) throw new UsageError('--user: HTTP Basic authentication allows no ":" in the user id (RFC 7617)');
  const password = await readPassword(values['password-file'], ctx.cwd);
  const target = { url, user: values.user, password, timeoutMs: values['request-timeout'] };
  const last = await withSite(values, ctx, async (db, cfg) => {
    ctx.stderr(`hmskort site export: ${cfg.siteId} -> ${url} as ${values.user}\n`);
    return exportToHmsreg(db, cfg, target, {
      signal: ctx.signal,
      resendUnknown: values['resend-unknown'],
      onProgress: (p) => ctx.stderr(`${formatExportProgress(p)}\n`),
      onRetry: (reason, ms) => ctx.stderr(`hmskort site export: ${reason}; retrying in ${Math.round(ms)} ms\n`),
    });
  }, 'export');
  ctx.stdout(`${formatExportProgress(last)}\n`);
  // Taps in doubt are a check that failed (EXIT.FAILED, docs/contributing.md "Errors and exit
  // status"): the run did all it could, and the operator has to settle them.
  return last.inDoubt ? EXIT.FAILED : EXIT.OK;
}

export const exportDescription = `export: sends each allowed tap of the site to HMSREG as one registration
(POST URL/api/registreringer, HTTP Basic authentication, Idempotency-Key, JSON Kortnr, Retning,
Tidspunkt, Navn, Orgnr, HmsRegnr, Kilde, Korttype, Fødselsdato), oldest first, at most once: each
tap is recorded as sending before its request, so the next run sends only the rest. 5xx, 429 and
requests that never left (connection refused, no such host, TLS, connect time-out) are retried
with backoff (Retry-After honoured); another 4xx marks the tap failed with HMSREG's answer;
401/403 stops the run. A request without an answer (a time-out, a reset, a killed run) is in
doubt: never sent again by itself. Settle those after checking HMSREG's own records:
--list-unknown prints them, --mark-sent GATE:SEQ marks one HMSREG has, --resend-unknown sends the
rest once more. The password is read from --password-file and never printed.
Exit status (export): 0 done, none in doubt; 1 taps in doubt remain (--list-unknown); 2 usage;
3 a bad config (no hmsregNumber), credentials refused, --mark-sent of a tap not in doubt;
4 a file unreadable, the database or HMSREG unreachable (the rest is sent by the next run).`;

export const siteExportCommands = {
  export: declare({ options: EXPORT, run: exportCmd }),
};

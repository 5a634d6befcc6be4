/**
 * `hmskort site serve --db ... --config FILE --port N [--host H] --token-file F` (issue 18 part 5):
 * the site page for the site office (src/fleet/site/serve/). Read-only, bound to 127.0.0.1 unless
 * --host says otherwise, every request needs the token from the token file. Runs until Ctrl-C.
 */
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { EXIT, type CliContext } from '../command.js';
import { declare, type Values } from '../declare.js';
import { untilAborted } from '../../transport/wait.js';
import { openEventStore } from '../../fleet/store/open.js';
import { redact } from '../../fleet/store/pgDb.js';
import { loadSiteConfig } from '../../fleet/site/config.js';
import { SiteError } from '../../fleet/site/errors.js';
import { startSiteServer } from '../../fleet/site/serve/server.js';

/** The token of `file`: its content without the line end; refused when shorter than 16 characters. */
export async function readToken(file: string): Promise<string> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (e) {
    throw new SiteError('FILE_UNREADABLE', `--token-file ${file}: cannot read it (${(e as NodeJS.ErrnoException).code ?? 'error'})`, { file, cause: e });
  }
  const token = text.replace(/\r?\n$/, '');
  // The content is never quoted in a message: a wrong file may still hold a secret.
  if (token.length < 16 || /\s/.test(token)) throw new SiteError('BAD_TOKEN', `--token-file ${file}: expected one line of at least 16 characters without spaces (e.g. openssl rand -hex 16)`, { file, field: 'token-file' });
  return token;
}

const SERVE = {
  db: { required: true },
  config: { help: 'the site configuration JSON: the site the page shows', required: true },
  'serve-port': { required: true },
  host: { help: 'the address to listen on; anything but 127.0.0.1 or ::1 makes the page reachable from the network', default: '127.0.0.1' },
  'token-file': { required: true },
} as const;

async function serve(values: Values<typeof SERVE>, _p: string[], ctx: CliContext): Promise<number> {
  const token = await readToken(resolve(ctx.cwd, values['token-file']));
  const cfg = await loadSiteConfig(resolve(ctx.cwd, values.config));
  const log = (e: Error) => ctx.stderr(`hmskort site serve: ${redact(e.message)}\n`);
  const db = await openEventStore(values.db, { cwd: ctx.cwd, onIdleError: log });
  try {
    const s = await startSiteServer({ db, cfg, token, host: values.host, port: values['serve-port'], onError: log });
    const where = db.driver === 'postgres' ? redact(values.db) : `PGlite ${values.db}`;
    ctx.stdout(`hmskort site serve: ${s.url} (site ${cfg.siteId}, ${where}); open it once with ?token=<the token file's content>; Ctrl-C stops\n`);
    await untilAborted(ctx.signal);
    await s.close();
  } finally {
    await db.close();
  }
  return EXIT.OK;
}

export const serveDescription = `serve: a read-only web page for the site office: today's list (Oslo day; ?date=YYYY-MM-DD
for another), sortable and searchable, with a CSV download identical to site list --csv; the
gates with their hot-list revision, its age and their last tap; the latest decisions as they
arrive (server-sent events, the events table polled every second). Listens on --host (default
127.0.0.1) and --port. Every request needs the token of --token-file: Authorization: Bearer
TOKEN, or open http://HOST:PORT/?token=TOKEN once (an HttpOnly, SameSite=Strict cookie keeps it).
Exit status (serve): 0 stopped by Ctrl-C; 2 usage; 3 a bad config or token file; 4 a file
unreadable, the database unreachable or the port taken.`;

export const siteServeCommands = { serve: declare({ options: SERVE, run: serve }) };

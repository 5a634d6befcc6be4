/**
 * The event store as `site ingest` and `site serve` open it (issue 18 part 5). A PGlite directory is
 * one process's at a time (src/fleet/store/dirLock.ts), and the usual way to meet that lock is to
 * start the site page beside a running `site ingest` (or the reverse). The refusal names the
 * holder (pid and command, from its lock file) and the one-process way out: `site serve --outbox`
 * or `--nats`, which ingests on the store it serves. Exit 4 (DB_LOCKED is a device error).
 */
import { openEventStore } from '../../fleet/store/open.js';
import { StoreError } from '../../fleet/store/errors.js';
import type { SqlDb } from '../../fleet/store/db.js';
import { redact } from '../../fleet/redact.js';

/** The label a site command writes beside its pid in a PGlite directory's lock file. */
const siteOwner = (command: string): string => `hmskort site ${command}`;

/**
 * Opens `--db` for `hmskort site <command>`; a held PGlite directory is refused with the way out:
 * for ingest and serve, one process doing both; for the other commands (list, export, prune, the
 * workers), stopping the holder for the moment, or what the page itself offers when it is the
 * holder (its CSV download, --prune-daily).
 */
export async function openSiteStore(target: string, command: string, o: { cwd: string; onIdleError: (e: Error) => void }): Promise<SqlDb> {
  try {
    return await openEventStore(target, { ...o, owner: siteOwner(command) });
  } catch (e) {
    if (!(e instanceof StoreError) || e.code !== 'DB_LOCKED') throw e;
    const pid = e.holder ? `process ${e.holder.pid}` : 'the other process';
    const pageHolds = e.holder?.owner === siteOwner('serve');
    const howto =
      command === 'ingest' || command === 'serve'
        ? `one process can serve the page and ingest: stop ${pid} and run hmskort site serve --db ${target} --outbox DIR (or --nats URL) --config ... --port N --token-file ...`
        : `stop ${pid} while this command runs, or keep the store on PostgreSQL${pageHolds ? " (the page's Download CSV gives a day's list, and site serve --prune-daily applies the retention while it runs)" : ''}`;
    throw new StoreError('DB_LOCKED', `${e.message.replace(/^DB_LOCKED: /, '')}; ${howto}`, { holder: e.holder, cause: e });
  }
}

/** How a message names the store: a PostgreSQL URL with its password masked, or the PGlite directory. */
export function storeName(db: SqlDb, target: string): string {
  return db.driver === 'postgres' ? redact(target) : `PGlite ${target}`;
}

/** The child of postgres.test.ts: starts a server with the helper, prints its pid, then ends without stop(), as a crashed test worker would. */
import { startPostgres } from '../../helpers/postgres.js';

const pg = await startPostgres();
process.stdout.write(`${pg.pid} ${pg.dir}\n`);
process.exit(1);

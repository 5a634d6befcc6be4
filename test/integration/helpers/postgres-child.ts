/** The child of postgres.test.ts: starts a server with the helper, prints its pid, then ends without stop(), as a crashed test worker would: process.exit, or SIGKILL (argv[2]). */
import { startPostgres } from '../../helpers/postgres.js';

const pg = await startPostgres();
process.stdout.write(`${pg.pid} ${pg.dir}\n`);
if (process.argv[2] === 'SIGKILL') process.kill(process.pid, 'SIGKILL');
else process.exit(1);

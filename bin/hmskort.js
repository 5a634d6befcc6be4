#!/usr/bin/env node
// The `hmskort` command. Runs the compiled CLI (npm ci / npm install build it through `prepare`).
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const entry = new URL('../dist/src/cli/main.js', import.meta.url);
if (!existsSync(fileURLToPath(entry))) {
  process.stderr.write("hmskort: not built yet; run 'npm run build' in the package folder\n");
  process.exit(4);
}
const { main } = await import(entry.href);
process.exitCode = await main(process.argv.slice(2));

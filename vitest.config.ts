import { defineConfig } from 'vitest/config';
import { fileURLToPath } from 'node:url';

const src = fileURLToPath(new URL('./src/', import.meta.url));

export default defineConfig({
  // examples/ import the package by name, as users do: resolve it to the sources.
  resolve: {
    alias: [
      { find: /^hmskort$/, replacement: `${src}index.ts` },
      { find: /^hmskort\/(.*)$/, replacement: `${src}$1/index.ts` },
    ],
  },
  test: {
    include: ['test/**/*.test.ts'],
    // Integration suites (pcscd, socat ptys, chromium) start real processes; 2 cores in CI.
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // A worker blocked in native code never fires its own timeouts: the watchdog fails the run
    // with the stuck file named and its stacks printed, instead of hanging until CI's limit.
    reporters: ['default', './test/helpers/stallWatchdog.ts'],
  },
});

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
    // Two projects, one run: `npm test` runs both, `npm run test:unit` / `test:integration` one.
    // unit: in-process, seconds. integration: starts processes (pcscd/vpcd, socat ptys, chromium,
    // node or the built CLI, a C compiler) or listens on sockets. Both inherit the settings below.
    projects: [
      { extends: true, test: { name: 'unit', include: ['test/unit/**/*.test.ts'] } },
      // globalSetup: the built CLI some tests run is rebuilt first when src/ is newer (distFresh.ts).
      { extends: true, test: { name: 'integration', include: ['test/integration/**/*.test.ts'], globalSetup: ['test/helpers/distFresh.ts'] } },
    ],
    // Integration suites (pcscd, socat ptys, chromium) start real processes; 2 cores in CI.
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // A worker blocked in native code never fires its own timeouts: the watchdog fails the run
    // with the stuck file named and its stacks printed, instead of hanging until CI's limit.
    reporters: ['default', './test/helpers/stallWatchdog.ts'],
  },
});

import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Integration suites (pcscd, socat ptys, chromium) start real processes; 2 cores in CI.
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
  },
});

/**
 * Mutation testing (StrykerJS, vitest runner) over the core folders: `npm run mutate`, outside
 * `npm test`. Scores and survivors: docs/mutation.md.
 *
 * - Only the in-process unit tests run (vitest.mutate.config.ts): no pcscd, ptys or browsers.
 * - concurrency 1: the machine this was set up on has 2 cores shared by several jobs; raise it on
 *   your own machine (`npm run mutate -- --concurrency 4`).
 * - A folder at a time: `npm run mutate -- --mutate 'src/gate/**\/*.ts'` (a full run of the three
 *   folders takes hours at concurrency 1).
 * @type {import('@stryker-mutator/api/core').PartialStrykerOptions}
 */
export default {
  testRunner: 'vitest',
  vitest: { configFile: 'vitest.mutate.config.ts', related: true },
  mutate: ['src/codec/**/*.ts', 'src/card/**/*.ts', 'src/hotlist/**/*.ts', 'src/gate/**/*.ts', '!src/**/index.ts'],
  coverageAnalysis: 'perTest',
  concurrency: 1,
  // A mutant that loops is cut after its tests' own time x 1.5 + 3 s (the slowest unit file, the 1 M
  // hot list, takes about 3 s).
  timeoutMS: 3_000,
  reporters: ['clear-text', 'progress-append-only', 'json', 'html'],
  jsonReporter: { fileName: 'reports/mutation/mutation.json' },
  htmlReporter: { fileName: 'reports/mutation/mutation.html' },
  ignorePatterns: ['dist', 'coverage', 'reports', 'firmware-bridge/build'],
  tempDirName: '.stryker-tmp',
  cleanTempDir: 'always',
};

/**
 * The vitest configuration `npm run mutate` (StrykerJS, stryker.config.json) runs: the unit tests
 * that exercise src/codec, src/card and src/gate in-process. Left out: files that start real
 * processes or devices (pcscd/vpcd, socat ptys, chromium, the built CLI, serial bridges), whose
 * run time per mutant would be seconds and whose failures would be the environment's, and the
 * allocation test (it measures a child process, which runs the unmutated sources).
 */
import { defineConfig } from 'vitest/config';
import base from './vitest.config.js';

export const MUTATION_TESTS = [
  'card-image-section3',
  'cli-gate',
  'crc-sliced',
  'dumps',
  'dumps-incomplete',
  'encoder-section3',
  'error-excerpts-printable',
  'gate-decision-log',
  'gate-decision-section7',
  'gate-engine',
  'gate-reload',
  'gate-tap-text',
  'holder-section1',
  'hotlist',
  'hotlist-empty-file',
  'kdf-cmac-rfc4493',
  'keys-file',
  'mifare-access-bits-section3',
  'mifare-mad-section3',
  'msr-raw-manual',
  'msr-replies-feed',
  'org-check-section1',
  'readers',
  'record-fuzz',
  'record-layout-vs-fast',
  'record-section2',
  'record-section2-errors',
  'signature-section5',
  'tear-section3',
  'track-section4',
  'tracks-backwards',
  'vectors',
  'virtual-card-mf1s50',
  'wiegand-osdp',
];

// Not mergeConfig: it concatenates arrays, and the main config's include (every test) would stay.
export default defineConfig({
  ...base,
  test: {
    ...base.test,
    include: MUTATION_TESTS.map((t) => `test/${t}.test.ts`),
    // Stryker reports; the stall watchdog of the main config is for the full suite.
    reporters: ['default'],
  },
});

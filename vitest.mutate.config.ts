/**
 * The vitest configuration `npm run mutate` (StrykerJS, stryker.config.json) runs: the unit tests
 * that exercise src/codec, src/card and src/gate in-process. Left out: files that start real
 * processes or devices (pcscd/vpcd, socat ptys, chromium, the built CLI, serial bridges), whose
 * run time per mutant would be seconds and whose failures would be the environment's, and the
 * allocation test (it measures a child process, which runs the unmutated sources).
 */
import { defineConfig } from 'vitest/config';
import base from './vitest.config.js';

// Without the main config's projects: they would replace the include below with every unit and
// integration test.
const { projects: _projects, ...baseTest } = base.test ?? {};

/** Under test/unit/, without `.test.ts`. */
export const MUTATION_TESTS = [
  'card/card-image-section3',
  'card/card-image-copies',
  'cli/cli-gate',
  'codec/barcode-payload-section6',
  'codec/crc-sliced',
  'codec/crc',
  'codec/guard-describe-value',
  'codec/orgNumber',
  'codec/recordLayout',
  'gate/policy',
  'hotlist/entryRules',
  'card/dumps/dumps',
  'card/dumps/dumps-incomplete',
  'card/dumps/dumps-blocks-to-verify',
  'card/dumps/dumps-hostile',
  'card/dumps/dumps-mct-lines',
  'card/encoder-section3',
  'card/encoder-find-keys-section3',
  'card/encoder-verify-section3',
  'project/error-excerpts-printable',
  'project/exports-wrong-types',
  'gate/gate-decision-log',
  'codec/gate-decision-section7',
  'gate/gate-engine',
  'gate/gate-reload',
  'gate/gate-tap-text',
  'gate/gate-tap-runs',
  'gate/uid-cache',
  'gate/json-error-at',
  'gate/osdp-wiegand-ranges',
  'gate/policy-file-errors',
  'gate/reload-atomic',
  'gate/gate-event-fields',
  'codec/holder-section1',
  'codec/holder-truncation-section1',
  'gate/hotlist',
  'gate/hotlist-empty-file',
  'card/kdf-cmac-rfc4493',
  'card/keys-file',
  'card/mifare-access-bits-section3',
  'card/mifare-access-tables-mf1s50',
  'card/mifare-mad-section3',
  'codec/msr-raw-manual',
  'drivers/msr/msr-replies-feed',
  'codec/org-check-section1',
  'card/readers',
  'codec/record-fuzz',
  'codec/record-layout-vs-decoders',
  'codec/record-section2',
  'codec/record-section2-errors',
  'codec/record-section2-error-where',
  'card/signature-section5',
  'card/signature-section5-error-where',
  'card/tear-section3',
  'codec/track-section4',
  'codec/track-section4-error-where',
  'codec/tracks-backwards',
  'project/vectors',
  'testing/virtual-card-mf1s50',
  'gate/wiegand-osdp',
  // issue 18: the holder read after the decision, and the air-time model it is measured by
  'gate/gate-holder',
  'cli/commands/gateHolder',
  'card/airTime-mf1s50',
];

// Not mergeConfig: it concatenates arrays, and the main config's include (every test) would stay.
export default defineConfig({
  ...base,
  test: {
    ...baseTest,
    include: MUTATION_TESTS.map((t) => `test/unit/${t}.test.ts`),
    // Stryker reports; the stall watchdog of the main config is for the full suite.
    reporters: ['default'],
  },
});

/**
 * Issue 15 item 2: `card encode` does not choose a device error's exit status itself. A step the
 * reader or the card failed (EncodeError STEP_FAILED, kind "device") goes to main.ts, which gives
 * it the documented status 4 (src/cli/command.ts EXIT_TABLE); a card that fails the check
 * (FOREIGN_CARD) is exit 1. The encoder is replaced by one that throws, so that the test does not
 * depend on where a virtual card can be made to fail.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { runMain } from '../../../helpers/cli.js';

const thrown = vi.hoisted(() => ({ code: 'STEP_FAILED' }));
vi.mock('../../../../src/card/encoder.js', async (load) => {
  const real = await load<typeof import('../../../../src/card/encoder.js')>();
  const report = { uid: '04a1b2c3', signed: false, found: 'blank', steps: [], operations: 7, auths: 2, reads: 3, writes: 2, failedAuths: 0, reactivations: 0, cleared: [], ms: 1 };
  return {
    ...real,
    encodeCard: () => Promise.reject(new real.EncodeError(thrown.code as 'STEP_FAILED', 'write-mad', 'the card left the field', report as never)),
  };
});

const dir = mkdtempSync(join(tmpdir(), 'hmskort-card-encode-'));
writeFileSync(join(dir, 'keys.json'), JSON.stringify({ readMaster: '000102030405060708090a0b0c0d0e0f', writeMaster: '101112131415161718191a1b1c1d1e1f' }));
writeFileSync(join(dir, 'holder.json'), '{}');
const argv = ['card', 'encode', 'holder.json', '--keys', 'keys.json', '--reader', 'virtual'];

describe('card encode: exit status from the error kind', () => {
  it('STEP_FAILED: exit 4 through main.ts, the message once, the resume hint and the counts', async () => {
    thrown.code = 'STEP_FAILED';
    const r = await runMain(dir, argv);
    expect(r.status).toBe(4);
    expect(r.err).toBe(
      'The card is not finished: present it again and run the same command to complete it.\n' +
        '  card commands so far: 7 (2 auth, 0 failed auth, 0 re-activations, 3 read, 2 write)\n' +
        'hmskort card: STEP_FAILED at step write-mad: the card left the field\n',
    );
  });

  it('FOREIGN_CARD: the check failed, exit 1', async () => {
    thrown.code = 'FOREIGN_CARD';
    const r = await runMain(dir, argv);
    expect(r.status).toBe(1);
    expect(r.err).toMatch(/^hmskort card encode: FOREIGN_CARD at step write-mad: the card left the field\n {2}card commands so far: 7 /);
  });
});

/**
 * Issue 9: the examples in examples/ run against the virtual devices, importing the package by
 * name as a user would. Expected outcomes come from the spec: section 7's order of reasons, the
 * spec examples' cards.
 */
import { describe, expect, it } from 'vitest';
import { main as productionLine } from '../../../examples/production-line.js';
import { main as gate } from '../../../examples/gate.js';
import { main as testLab } from '../../../examples/test-lab.js';

const quiet = () => {};

describe('examples', () => {
  it('production-line.ts encodes and verifies a card per order', async () => {
    expect(await productionLine(quiet)).toEqual([
      { uid: 'f0000001', cardNumber: '123456', verified: true },
      { uid: 'f0000002', cardNumber: '4711', verified: true },
    ]);
  });

  it('gate.ts: valid card opens, hot-listed card and blank card are denied', async () => {
    const d = await gate(quiet);
    expect(d.map((x) => [x.cardNumber, x.allow, x.reason, x.error])).toEqual([
      ['123456', true, 'ok', undefined],
      ['777', false, 'hotlisted', undefined],
      // A blank card: the derived key A does not open sector 1 (transport key): invalid.
      [undefined, false, 'invalid', 'AUTH_FAILED'],
    ]);
  });

  it('test-lab.ts passes the spec example cards', async () => {
    const { results, junit } = await testLab(quiet);
    expect(results.map((r) => [r.uid, r.pass])).toEqual([
      ['04a1b2c3', true],
      ['04112233445566', true],
    ]);
    expect(junit).toContain('failures="0"');
  });
});

/** The gate's known-card set for --holder-read (src/cli/commands/gateHolder.ts): bounded, oldest out. */
import { describe, expect, test } from 'vitest';
import { KnownCards, KNOWN_MAX } from '../../../../src/cli/commands/gateHolder.js';

describe('KnownCards', () => {
  test('never holds more than its bound; the oldest goes first', () => {
    const k = new KnownCards(3);
    for (const n of ['1', '2', '3', '4']) k.add(n);
    expect(k.size).toBe(3);
    expect(k.has('1')).toBe(false);
    expect(['2', '3', '4'].every((n) => k.has(n))).toBe(true);
  });

  test('a card read again moves to the newest end', () => {
    const k = new KnownCards(3);
    for (const n of ['1', '2', '3', '1', '4']) k.add(n);
    expect(k.has('1')).toBe(true);
    expect(k.has('2')).toBe(false);
  });

  test('the default bound is 100 000 and holds', () => {
    expect(KNOWN_MAX).toBe(100_000);
    const k = new KnownCards();
    for (let i = 0; i < KNOWN_MAX + 10; i++) k.add(String(i));
    expect(k.size).toBe(KNOWN_MAX);
    expect(k.has('9')).toBe(false);
    expect(k.has('10')).toBe(true);
  });
});

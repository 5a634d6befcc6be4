/** URL passwords masked in every message (issue 18 part 4: "Secrets ... never appear in logs or output"). */
import { describe, expect, it } from 'vitest';
import { redact } from '../../../../src/fleet/redact.js';

describe('redact', () => {
  it.each([
    ['postgres://hms:s3cret@127.0.0.1:5432/site', 'postgres://hms:***@127.0.0.1:5432/site'],
    // WHATWG URL: userinfo runs to the last '@' of the authority; a regex stopping at the first leaked "@t".
    ['postgresql://hms:s3cr@t@db.local/site', 'postgresql://hms:***@db.local/site'],
    ['postgres://hms@db.local/site?sslmode=require&password=s3cret', 'postgres://hms@db.local/site?sslmode=require&password=***'],
    ['cannot connect to postgres://a:s3cret@h:1/x: ECONNREFUSED', 'cannot connect to postgres://a:***@h:1/x: ECONNREFUSED'],
    ['postgres://hms@db.local/site', 'postgres://hms@db.local/site'],
    ['./pglite-dir', './pglite-dir'],
  ])('%s', (input, masked) => {
    expect(redact(input)).toBe(masked);
    expect(redact(input)).not.toMatch(/s3cr/);
  });
});

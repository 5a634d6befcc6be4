/**
 * `hmskort simulate` in-process against a stand-in for vpcd (test/helpers/fakeVpcd.ts), so the
 * command's flags are checked without pcscd: --profile picks the firmware's status words,
 * --reselects is the lenient reader that re-activates the card itself, "presented" is said only
 * once vpcd speaks, and a vpcd that never speaks (its one slot taken) is reported as busy (issue 19
 * item 14). The real pcscd path: test/integration/drivers/pcsc/reader-probe-pcscd.test.ts.
 */
import { expect, it } from 'vitest';
import { main } from '../../../src/cli/main.js';
import { fakeContext, type FakeContext } from '../../helpers/cli.js';
import { asker, closeFake, fakeVpcd } from '../../helpers/fakeVpcd.js';

/** Waits (at most `ms`) until `ctx` printed a line matching `re`; says what it waited for. */
async function printed(ctx: FakeContext, re: RegExp, ms: number): Promise<string> {
  const until = Date.now() + ms;
  for (;;) {
    const line = ctx.out().split('\n').find((l) => re.test(l));
    if (line) return line;
    if (Date.now() > until) throw new Error(`waited ${ms} ms for ${re} in: ${JSON.stringify(ctx.out())}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

async function run(args: string[], script: (v: ReturnType<typeof asker>, ctx: FakeContext) => Promise<void>) {
  const vpcd = await fakeVpcd();
  const ac = new AbortController();
  const ctx = fakeContext({ signal: ac.signal });
  const done = main(['simulate', '--host', '127.0.0.1', '--port', String(vpcd.port), ...args], ctx);
  try {
    await script(asker(await vpcd.client), ctx);
  } finally {
    ac.abort();
    expect(await done).toBe(0);
    await closeFake(vpcd);
  }
  return ctx;
}

const WRONG_THEN_RIGHT = ['ff82000006a0a1a2a3a4a5', 'ff860000050100046000', 'ff82000006ffffffffffff', 'ff860000050100046000'];

it.each([
  [['--profile', 'omnikey'], ['9000', '6982', '9000', '6400']], // OMNIKEY: 69 82 wrong key, 64 00 silent chip
  [['--profile', 'identiv'], ['6988', '6984', '6988', '6984']], // Identiv: FF 82 00 00 is no key type (69 88), so no key A: 69 84
  [['--profile', 'acs'], ['9000', '6300', '9000', '6300']],
  [['--profile', 'omnikey', '--reselects'], ['9000', '6982', '9000', '9000']], // the reader reselected by itself
])('simulate %j answers with that firmware', async (args, want) => {
  const ctx = await run(args, async (v, c) => {
    expect(c.out()).not.toMatch(/presented/); // connected, but vpcd has not spoken yet
    await v.ask('04');
    await printed(c, /presented to vpcd 127\.0\.0\.1/, 2000);
    const got: string[] = [];
    for (const apdu of WRONG_THEN_RIGHT) got.push(await v.ask(apdu));
    expect(got).toEqual(want);
  });
  expect(ctx.out()).toContain(`(${args[1]} reader firmware)`);
});

it('says the vpcd slot is busy when vpcd never asks for the card, then presented when it does', async () => {
  await run(['--json'], async (v, c) => {
    const busy = JSON.parse(await printed(c, /"event":"busy"/, 6000));
    expect(busy).toMatchObject({ event: 'busy', host: '127.0.0.1', waitedMs: 3000 });
    expect(c.out()).not.toMatch(/"presented"/);
    await v.ask('04');
    expect(JSON.parse(await printed(c, /"event":"presented"/, 2000))).toMatchObject({ uid: '04a1b2c3', profile: 'acs' });
  });
});

it('refuses an unknown --profile with exit 2', async () => {
  const ctx = fakeContext();
  expect(await main(['simulate', '--profile', 'pn533'], ctx)).toBe(2);
  expect(ctx.err()).toMatch(/--profile: one of acs, identiv, omnikey/);
});

it('a dump with blocks missing is refused, naming them, before vpcd is reached (issue 19 item 18)', async () => {
  const { mkdtempSync, writeFileSync, rmSync } = await import('node:fs');
  const { join } = await import('node:path');
  const { tmpdir } = await import('node:os');
  const dir = mkdtempSync(join(tmpdir(), 'hmskort-sim-'));
  try {
    // Proxmark3 JSON of a blank 1K card with block 5 left out, as the tool writes unread blocks.
    const blocks: Record<string, string> = {};
    for (let i = 0; i < 64; i++) blocks[String(i)] = i % 4 === 3 ? 'FFFFFFFFFFFFFF078069FFFFFFFFFFFF' : i === 0 ? '04A1B2C3D4080400626364656667686A' : '00'.repeat(16);
    delete blocks['5'];
    writeFileSync(join(dir, 'pm.json'), JSON.stringify({ Created: 'proxmark3', FileType: 'mfcard', Card: { UID: '04A1B2C3' }, blocks }));
    const ctx = fakeContext({ cwd: dir });
    // Port 1 on loopback: nothing listens, so reaching vpcd would fail with exit 4, not 3.
    const status = await main(['simulate', '--host', '127.0.0.1', '--port', '1', '--image', 'pm.json'], ctx);
    expect(status).toBe(3);
    expect(ctx.err()).toMatch(/pm\.json: proxmark dump: block 5 missing from the dump/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

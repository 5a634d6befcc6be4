/**
 * The emulator's card cycle and error injection (src/testing/evolisEmulator): positions answered by
 * `Rlr;p` (S6, S8 l.2282-2319: OK / CARD / SMART CARD / CONTACTLESS CARD), the chip in the
 * in-process reader's field exactly while the card is at the contactless station, the magnetic
 * sequence of Evolis's SDK (S15), and every error of issue 16 with the printer's words (S9) and
 * the card left where the printer leaves it.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { COMMANDS } from '../../../../src/testing/evolisEmulator/commands.js';
import { EvolisEmulator, type EvolisEmulatorOptions } from '../../../../src/testing/evolisEmulator/emulator.js';
import { contactlessField } from '../../../../src/testing/evolisEmulator/field.js';
import { emulatorDuplex } from '../../../../src/testing/evolisEmulator/transports.js';
import { VirtualCardReader } from '../../../../src/testing/virtualReader.js';
import { MemoryPcscBinding } from '../../../../src/testing/pcscMemoryBinding.js';
import { ascii } from '../../../helpers/evolisStreams.js';

/** An emulator whose contactless station is an in-process reader; `say` sends commands, one reply each. */
function printer(opts: EvolisEmulatorOptions = {}) {
  const reader = new VirtualCardReader('contactless station');
  const em = new EvolisEmulator({ field: contactlessField(reader), ...opts });
  const say = async (...cmds: string[]) => {
    const out: string[] = [];
    for (const c of cmds) out.push(...(await em.write(ascii(`\x1b${c}\r`))));
    return out;
  };
  /** Rlr;p, and the UID of the chip in the reader's field (or '-'). */
  const where = async () => [(await say('Rlr;p'))[0], reader.card ? Buffer.from(reader.card.uid).toString('hex') : '-'];
  return { em, reader, say, where };
}

describe('card positions (A5013 p.42-43, p.57; Rlr;p) (emulator / scripted replies; no real printer)', () => {
  it('Sic brings a blank to the contactless station: its chip is in the field there and only there', async () => {
    const { em, say, where } = printer();
    expect(await where()).toEqual(['OK', '-']);
    expect(await say('Sic')).toEqual(['OK']);
    expect(await where()).toEqual(['CONTACTLESS CARD', 'e1000001']);
    expect(await say('Se')).toEqual(['OK']);
    expect(await where()).toEqual(['OK', '-']);
    expect(await say('Sic', 'Pmc;h', 'Dm;2;123', 'Smw')).toEqual(['OK', 'OK', 'OK', 'OK']);
    expect(await where()).toEqual(['CARD', '-']); // through the magnetic head: off the station
    expect(await say('Ser')).toEqual(['OK']);
    expect(em.cards.map((c) => [c.uid, c.fate, c.path.join('>')])).toEqual([
      ['e1000001', 'output', 'contactless>output'],
      ['e1000002', 'reject', 'contactless>print>reject'],
    ]);
  });

  it('Si parks at the print position, Sis at the contact station; an insert with a card inside is ERR CARD (strict) or moves it (lenient)', async () => {
    const strict = printer();
    expect(await strict.say('Si', 'Rlr;p', 'Sis', 'Rlr;p', 'Seb')).toEqual(['OK', 'CARD', 'ERR CARD', 'CARD', 'OK']);
    expect(strict.em.cards.map((c) => c.fate)).toEqual(['reject']);
    const lenient = printer({ insertWhileInside: 'move' });
    expect(await lenient.say('Si', 'Sis', 'Rlr;p', 'Sic')).toEqual(['OK', 'OK', 'SMART CARD', 'OK']);
    expect(await lenient.where()).toEqual(['CONTACTLESS CARD', 'e1000001']);
    expect(lenient.em.cards).toHaveLength(1);
  });

  it('Sie inserts and ejects; each blank has its own UID', async () => {
    const { em, say } = printer({ uid: (n) => `0a0b0c${n.toString(16).padStart(2, '0')}` });
    expect(await say('Sie', 'Sie')).toEqual(['OK', 'OK']);
    expect(em.cards.map((c) => [c.uid, Buffer.from(c.chip.uid).toString('hex'), c.fate])).toEqual([['0a0b0c01', '0a0b0c01', 'output'], ['0a0b0c02', '0a0b0c02', 'output']]);
  });

  it('status reads: firmware, model, serial from the options; sensors in volts with a comma (S7, S8)', async () => {
    const { say } = printer({ firmware: 'FW 1.2', model: 'Zenius', serial: 'Z123', feeder: 1 });
    expect(await say('Rfv', 'Rtp', 'Rsn', 'Rse;f', 'Rse;o', 'Sie', 'Rse;f', 'Rse;x')).toEqual(['FW 1.2', 'Zenius', 'Z123', '5,00 Volts', '5,00 Volts', 'OK', '0,00 Volts', 'ERROR PARAMETRES']);
  });

  it('the contactless station can be a MemoryPcscBinding reader', async () => {
    const binding = new MemoryPcscBinding();
    const em = new EvolisEmulator({ field: contactlessField(binding) });
    await em.write(ascii('\x1bSic\r'));
    expect(binding.reader().card).toBeDefined();
    await em.write(ascii('\x1bSe\r'));
    expect(binding.reader().card).toBeUndefined();
  });
});

describe('magnetic stripe (A5013 p.48-55; S11, S12, S15) (emulator / scripted replies; no real printer)', () => {
  it("the SDK's sequence writes the tracks and Smr reads them back without sentinels", async () => {
    const { em, say } = printer();
    const seq = ['Pmc;h', 'Pmt;1;1', 'Pmt;2;2', 'Pmt;3;3', 'Ss', 'Dm;1;EVOLISCARDPRINTER', 'Dm;2;123456789', 'Dm;3;222002', 'Smw', 'Smr;1', 'Smr;2', 'Smr;3', 'Rmc'];
    expect(await say(...seq)).toEqual([...Array(9).fill('OK'), 'EVOLISCARDPRINTER', '123456789', '222002', 'h']);
    expect(em.cards[0].tracks).toEqual({ 1: 'EVOLISCARDPRINTER', 2: '123456789', 3: '222002' });
    expect(em.cards[0].coercivity).toBe('h');
  });

  it('the S11 bytes of Dm;1;80C3D245 are ISO1 data', async () => {
    const { em } = printer();
    const bytes = Uint8Array.from([0x1b, 0x44, 0x6d, 0x3b, 0x31, 0x3b, 0x38, 0x30, 0x43, 0x33, 0x44, 0x32, 0x34, 0x35, 0x0d]);
    expect(await em.write(bytes)).toEqual(['OK']);
    expect(await em.write(ascii('\x1bSmw\r\x1bSmr;1\r'))).toEqual(['OK', '80C3D245']);
  });

  it('ISO data outside the S12 sets, too long, or with its start sentinel is ERROR MAG DATA', async () => {
    const { say } = printer();
    const t1max = 'A'.repeat(76);
    expect(await say(`Dm;1;${t1max}`, `Dm;1;${t1max}B`, 'Dm;1;AB?C', 'Dm;1;%ABC', 'Dm;1;A;B^C', 'Dm;1;abc')).toEqual(['OK', 'ERROR MAG DATA', 'ERROR MAG DATA', 'ERROR MAG DATA', 'OK', 'ERROR MAG DATA']);
    expect(await say(`Dm;2;${'1'.repeat(37)}`, `Dm;2;${'1'.repeat(38)}`, 'Dm;2;;123', 'Dm;2;12A', 'Dm;2;12=34', `Dm;3;${'9'.repeat(104)}`, `Dm;3;${'9'.repeat(105)}`)).toEqual(['OK', 'ERROR MAG DATA', 'ERROR MAG DATA', 'ERROR MAG DATA', 'OK', 'OK', 'ERROR MAG DATA']);
    expect(await say('Pmt;1;5', 'Dm;1;1003011D0411', 'Dm;1;10G3', 'Pmt;4;1', 'Pmt;1;9', 'Dm;4;1')).toEqual(['OK', 'OK', 'ERROR MAG DATA', 'ERROR PARAMETRES', 'ERROR PARAMETRES', 'ERROR PARAMETRES']);
  });

  it('a blank track reads as ERROR MAG (the default of the [UNK] blank-track reply)', async () => {
    const { say } = printer();
    expect(await say('Dm;1;ABC', 'Smw', 'Smr;2', 'Smr;1')).toEqual(['OK', 'OK', 'ERROR MAG', 'ABC']);
    expect(await printer({ blankTrackReply: 'BLANK' }).say('Si', 'Smr;3')).toEqual(['OK', 'BLANK']);
  });
});

describe('error injection: the printer\'s words (S9), the card where the printer leaves it (emulator / scripted replies; no real printer)', () => {
  it('FEEDER EMPTY: injected once, or when the feeder runs out; nothing moves', async () => {
    const { em, say, where } = printer({ feeder: 1 });
    em.inject({ at: 'Sic', error: 'FEEDER EMPTY' });
    expect(await say('Sic')).toEqual(['FEEDER EMPTY']);
    expect(await where()).toEqual(['OK', '-']);
    expect(await say('Sic', 'Se', 'Sic', 'Ss', 'Sr', 'Rse;f')).toEqual(['OK', 'OK', 'FEEDER EMPTY', 'OK', 'OK', '0,00 Volts']);
    expect(em.cards).toHaveLength(1);
    em.feeder = 2;
    expect(await say('Sic')).toEqual(['OK']);
  });

  it('CARD JAM at a named step: the card stops inside, off the station; every card command says CARD JAM until the operator clears it', async () => {
    const { em, say, where } = printer();
    em.inject({ at: 'Sic', error: 'CARD JAM' });
    expect(await say('Sic')).toEqual(['CARD JAM']);
    expect(await where()).toEqual(['CARD', '-']);
    expect(await say('Se', 'Ser', 'Sic', 'Rfv', 'Pmc;h')).toEqual(['CARD JAM', 'CARD JAM', 'CARD JAM', 'hmskort-emulator', 'OK']);
    await em.clearJam();
    expect(await where()).toEqual(['OK', '-']);
    expect(await say('Sic')).toEqual(['OK']);
    expect(em.cards.map((c) => [c.fate, c.path.join('>')])).toEqual([['removed', 'jam>removed'], ['inside', 'contactless']]);
  });

  it('CARD JAM at Se after the chip was encoded, cleared at the next command: the chip leaves the field and the card can be rejected', async () => {
    const { em, say, where } = printer();
    em.inject({ at: 'Se', error: 'CARD JAM', clears: 'next-command' });
    expect(await say('Sic', 'Se')).toEqual(['OK', 'CARD JAM']);
    expect(await where()).toEqual(['CARD', '-']);
    expect(await say('Ser')).toEqual(['OK']);
    expect(em.cards[0].fate).toBe('reject');
  });

  it('CARD JAM at the second Dbc (after skipping one) leaves the card in the printer with the first panel only', async () => {
    const { em, say } = printer();
    em.inject({ at: 'Dbc', error: 'CARD JAM', after: 1, clears: 'next-command' });
    const dbc = (side: string) => em.write(Uint8Array.from(Buffer.concat([Buffer.from(`\x1b${side}\r\x1bDbc;k;2;1016;`), Buffer.alloc(1016), Buffer.from('\r')])));
    expect(await dbc('Sr')).toEqual(['OK', 'OK']);
    expect(await dbc('Sv')).toEqual(['OK', 'CARD JAM']);
    expect(await say('Rlr;p')).toEqual(['CARD']);
    expect(em.cards[0].panels.map((p) => p.side)).toEqual(['front']);
  });

  it('ERROR RIBBON, COVER OPEN, NEED CLEANING injected once: nothing moves, nothing printed', async () => {
    for (const error of ['ERROR RIBBON', 'COVER OPEN', 'NEED CLEANING']) {
      const { em, say, where } = printer();
      await say('Sic');
      em.inject({ at: '*', error });
      expect(await say('Se')).toEqual([error]);
      expect(await where()).toEqual(['CONTACTLESS CARD', 'e1000001']);
      expect(em.cards[0].panels).toEqual([]);
    }
  });

  it('standing conditions: cover open (Rse;o 0 V), ribbon out, cleaning due (Rlr;r, cleared by Scp); parameters and reads still answer', async () => {
    const { em, say } = printer();
    em.condition = 'COVER OPEN';
    expect(await say('Sic', 'Rse;o', 'Pmc;l', 'Rlr;p')).toEqual(['COVER OPEN', '0,00 Volts', 'OK', 'OK']);
    em.condition = 'ERROR RIBBON';
    expect(await say('Sic', 'Rse;o')).toEqual(['ERROR RIBBON', '5,00 Volts']);
    em.condition = 'NEED CLEANING';
    expect(await say('Rlr;r', 'Sic', 'Scp', 'Rlr;r', 'Sic')).toEqual(['ERR NEED CLEANING', 'NEED CLEANING', 'OK', 'OK', 'OK']);
  });

  it('magnetic write failure: ERROR MAG, the card is off the station, no track recorded', async () => {
    const { em, say, where } = printer();
    em.inject({ at: 'Smw', error: 'ERROR MAG' });
    expect(await say('Sic', 'Dm;2;12345', 'Smw')).toEqual(['OK', 'OK', 'ERROR MAG']);
    expect(await where()).toEqual(['CARD', '-']);
    expect(em.cards[0].tracks).toEqual({});
  });

  it('magnetic verify failure: Smw says OK, the read-back differs from what was sent', async () => {
    const { em, say } = printer();
    em.inject({ at: 'Smw', corruptTrack: 2 });
    expect(await say('Dm;1;ABC', 'Dm;2;12345', 'Smw', 'Smr;1', 'Smr;2')).toEqual(['OK', 'OK', 'OK', 'ABC', '12341']);
  });

  it("chip failure: a dead chip never enters the field; a failing chip fails the reader's operation", async () => {
    const { em, say, where } = printer();
    em.inject({ at: 'Sic', chip: 'dead' });
    expect(await say('Sic')).toEqual(['OK']);
    expect(await where()).toEqual(['CONTACTLESS CARD', '-']);
    await say('Ser');
    em.inject({ at: 'Sic', chip: (card) => card.failOperation(1) });
    await say('Sic');
    const card = em.cardInside!.chip;
    await expect(card.authenticate(4, 'A', new Uint8Array(6).fill(0xff))).rejects.toMatchObject({ code: 'IO' });
  });

  it('unknown commands are ERROR CDE, listed, never fatal; Psc is not supported; Sv without flip-over is OPT NOT AVAILABLE', async () => {
    const { em, say } = printer({ flip: false });
    expect(await say('Xyz;1', 'Psc;60;47;62', 'Sv', 'Rfv')).toEqual(['ERROR CDE', 'ERROR CDE', 'OPT NOT AVAILABLE', 'hmskort-emulator']);
    expect(em.unknownCommands.map((e) => [e.command, e.offset])).toEqual([['Xyz', 0], ['Psc', 7]]);
  });

  it('the in-memory duplex answers each frame with its reply and no terminator', async () => {
    const em = new EvolisEmulator();
    const d = emulatorDuplex(em);
    const replies: string[] = [];
    d.on('data', (b: Buffer) => replies.push(b.toString('latin1')));
    d.write(Buffer.from('\x1bSic\r\x1bRlr;p\r\x00\x00\x1bSe\r'));
    await new Promise((r) => setTimeout(r, 20));
    expect(replies).toEqual(['OK', 'CONTACTLESS CARD', 'OK']);
    d.destroy();
  });
});

describe('never fatal (emulator / scripted replies; no real printer)', () => {
  it('any documented command with any parameters, in any order, gets a reply and the emulator goes on', async () => {
    const names = [...Object.keys(COMMANDS), 'Xx', 'Psc'];
    const param = fc.oneof(fc.constantFrom('1', '2', '3', 'k', 'o', 'p', 'h', '', '1016', '2;1'), fc.string({ maxLength: 6 }).filter((x) => !/[\r\x1b]/.test(x)));
    const cmd = fc.tuple(fc.constantFrom(...names), fc.array(param, { maxLength: 3 })).map(([n, ps]) => [n, ...ps].join(';'));
    await fc.assert(
      fc.asyncProperty(fc.array(cmd, { maxLength: 25 }), async (cmds) => {
        const { em, say } = printer({ feeder: 3 });
        em.inject({ at: '*', error: 'CARD JAM', after: 4 });
        const replies = await say(...cmds.filter((c) => !c.startsWith('Db')), 'Rfv');
        expect(replies.at(-1)).toBe('hmskort-emulator');
        expect(replies.every((r) => typeof r === 'string' && r.length > 0)).toBe(true);
        expect(em.cards.filter((c) => c.fate === 'inside').length).toBeLessThanOrEqual(1);
      }),
      { numRuns: 150 },
    );
  });
});

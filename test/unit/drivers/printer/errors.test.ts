/**
 * Every error reply documented for Evolis printers, classified (research/evolis.md §2, §3): the
 * strings of Evolis's SDK sample (S9 CPrinter.vb `analyzeAnswer`), of the guide (S1 p.34), of a
 * kiosk driver (S8 l.913), and the SDK's macros (S3: OK is exactly "OK", ERR... is an error).
 * The expected codes are written out here from those documents' meanings.
 */
import { describe, expect, it } from 'vitest';
import { classifyReply, PrinterError, replyError } from '../../../../src/drivers/printer/errors.js';

describe('every documented error string (emulator / scripted replies; no real printer)', () => {
  it.each([
    // [reply, code, kind]                   meaning in the document
    ['FEEDER EMPTY', 'FEEDER_EMPTY', 'device'], // S9: no card to insert
    ['CARD JAM', 'CARD_JAM', 'device'], // S9
    ['ERROR RIBBON', 'RIBBON_ERROR', 'device'], // S9: no or bad ribbon
    ['ERR RIB DETECTION', 'RIBBON_ERROR', 'device'], // S8 l.913
    ['COVER OPEN', 'COVER_OPEN', 'device'], // S9
    ['NEED CLEANING', 'NEEDS_CLEANING', 'device'], // S9
    ['ERR NEED CLEANING', 'NEEDS_CLEANING', 'device'], // S1 p.34
    ['ERROR HOPPER', 'HOPPER_ERROR', 'device'], // S9
    ['HOPPER FULL', 'HOPPER_ERROR', 'device'], // S9
    ['HOPPER DOOR', 'HOPPER_ERROR', 'device'], // S9
    ['ERROR HEAD', 'HEAD_ERROR', 'device'], // S9
    ['ERROR MAG', 'MAG_ERROR', 'device'], // S9; S3 MAG_ERROR "error reading or writing"
    ['ERROR MAG CHECKSUM', 'MAG_ERROR', 'device'], // S9
    ['ERROR MAG DATA', 'MAG_DATA', 'data'], // S9; S3 MAG_EDATA "data not valid"
    ['OPT NOT AVAILABLE', 'OPTION_NOT_AVAILABLE', 'device'], // S9
    ['ERR CARD', 'CARD_PRESENT', 'device'], // S1 p.34: a card inside
    ['ERROR TIME OUT', 'PRINTER_TIMEOUT', 'device'], // S9
    ['ERROR FLASH UNKNOW', 'PRINTER_FAULT', 'device'], // S9
    ['ERROR CHECKSUM', 'PRINTER_FAULT', 'device'], // S9
    ['ERROR UNKNOW', 'PRINTER_FAULT', 'device'], // S9
    ['ERROR CDE', 'COMMAND_REFUSED', 'data'], // S9 bad command; S3 EVOLIS_REPLY_IS_ERROR_CDE
    ['ERROR PARAMETRES', 'COMMAND_REFUSED', 'data'], // S9 bad parameter
    ['ERROR', 'COMMAND_REFUSED', 'data'], // S9
  ])('%j -> %s (%s), the words kept', (reply, code, kind) => {
    const c = classifyReply(reply);
    expect(c).toEqual({ type: 'error', code, text: reply });
    const e = replyError('Sic', c as unknown as { code: never; text: string });
    expect([e.code, e.kind, e.reply, e.command]).toEqual([code, kind, reply, 'Sic']);
    expect(e.message).toContain(`"${reply}"`);
  });
});

describe('the SDK macros (S3): OK exactly, anything starting with ERR an error (emulator / scripted replies; no real printer)', () => {
  it('OK, with the blanks of a terminator around it', () => {
    expect(classifyReply('OK')).toEqual({ type: 'ok' });
    expect(classifyReply(' OK \r\n')).toEqual({ type: 'ok' });
  });

  it('an ERR reply not in the table is refused, its words kept', () => {
    expect(classifyReply('ERR SOMETHING NEW')).toEqual({ type: 'error', code: 'COMMAND_REFUSED', text: 'ERR SOMETHING NEW' });
    expect(classifyReply('ERROR CDE 12')).toEqual({ type: 'error', code: 'COMMAND_REFUSED', text: 'ERROR CDE 12' });
  });

  it('the longest documented prefix wins: ERROR MAG DATA 2 is MAG_DATA, ERROR MAG WRITE is MAG_ERROR', () => {
    expect(classifyReply('ERROR MAG DATA 2')).toMatchObject({ code: 'MAG_DATA' });
    expect(classifyReply('ERROR MAG WRITE')).toMatchObject({ code: 'MAG_ERROR' });
    expect(classifyReply('ERROR MAGNET')).toMatchObject({ code: 'COMMAND_REFUSED' });
  });

  it('values are values: what Rfv, Rtp, Rlr;p answer', () => {
    for (const v of ['Primacy', 'CARD', 'NO CARD', 'CONTACTLESS CARD', '0,00 Volts', 'OKAY', 'ok']) expect(classifyReply(v)).toEqual({ type: 'value', text: v });
  });

  it('a PrinterError with an unknown code is an IO error, never one without a kind', () => {
    const e = new PrinterError('NO_SUCH' as never, 'x');
    expect([e.code, e.kind]).toEqual(['IO', 'device']);
  });
});

/**
 * vpcd wire protocol (vsmartcard vpcd.c: 2-byte big-endian length + payload; 1-byte control
 * messages) and the reader-side APDU mapping (PC/SC Part 3 section 3.2.2.1, ACR122U API), pure,
 * against the virtual MIFARE Classic 1K. Expected bytes are written out from those documents.
 */
import { describe, expect, it } from 'vitest';
import { EMPTY_VPCD_FRAME_STATE, encodeVpcdFrame, feedVpcdFrames, type VpcdFrameState } from '../../../../src/drivers/vpcd/frame.js';
import { answerApdu, newReaderKeys } from '../../../../src/drivers/vpcd/apdu.js';
import { MIFARE_CLASSIC_1K_ATR } from '../../../../src/drivers/vpcd/client.js';
import { VirtualMifareClassic1K } from '../../../../src/testing/virtualCard.js';
import { fromHex as hex, toHex } from '../../../helpers/hex.js';


describe('vpcd framing', () => {
  // Three messages as vpcd would send them: get-ATR control (00 01 04), power on (00 01 01),
  // and the 5-byte Get UID APDU FF CA 00 00 00 (00 05 ff ca 00 00 00).
  const stream = hex('000104 000101 0005ffca000000');
  const expected = ['04', '01', 'ffca000000'];

  it('cuts a stream cut at every pair of positions into the same messages', () => {
    for (let i = 0; i <= stream.length; i++) {
      for (let j = i; j <= stream.length; j++) {
        let state: VpcdFrameState = EMPTY_VPCD_FRAME_STATE;
        const out: string[] = [];
        for (const chunk of [stream.subarray(0, i), stream.subarray(i, j), stream.subarray(j)]) {
          const r = feedVpcdFrames(state, chunk);
          state = r.state;
          out.push(...r.frames.map(toHex));
        }
        expect(out, `cut at ${i},${j}`).toEqual(expected);
        expect(state.pending.length).toBe(0);
      }
    }
  });

  it('keeps an unfinished message pending, including a lone length byte', () => {
    const r = feedVpcdFrames(EMPTY_VPCD_FRAME_STATE, hex('00'));
    expect(r.frames).toEqual([]);
    expect(toHex(r.state.pending)).toBe('00');
    const r2 = feedVpcdFrames(r.state, hex('0312'));
    expect(r2.frames).toEqual([]);
    expect(toHex(feedVpcdFrames(r2.state, hex('3456')).frames[0])).toBe('123456');
  });

  it('frames a payload with its big-endian length; a 300-byte payload starts 01 2C', () => {
    expect(toHex(encodeVpcdFrame(hex('9000')))).toBe('00029000');
    expect(toHex(encodeVpcdFrame(new Uint8Array(300)).subarray(0, 2))).toBe('012c');
    expect(toHex(encodeVpcdFrame(new Uint8Array(0)))).toBe('0000');
  });
});

describe('PC/SC Part 3 ATR of a MIFARE Classic 1K', () => {
  it('is the published ATR and its TCK makes the XOR of T0..TCK zero (ISO 7816-3 8.2.5)', () => {
    expect(toHex(MIFARE_CLASSIC_1K_ATR)).toBe(toHex(hex('3B 8F 80 01 80 4F 0C A0 00 00 03 06 03 00 01 00 00 00 00 6A')));
    let x = 0;
    for (const b of MIFARE_CLASSIC_1K_ATR.subarray(1)) x ^= b;
    expect(x).toBe(0);
  });
});

describe('reader APDUs on the virtual card', () => {
  const setup = () => ({ card: new VirtualMifareClassic1K('04a1b2c3'), keys: newReaderKeys() });
  const run = async (s: ReturnType<typeof setup>, apdu: string) => toHex(await answerApdu(s.card, s.keys, hex(apdu)));

  it('Get UID answers the UID and 90 00; ATS (P1 01) is not supported on MIFARE Classic', async () => {
    const s = setup();
    expect(await run(s, 'ffca000000')).toBe('04a1b2c39000');
    expect(await run(s, 'ffca010000')).toBe('6a81');
  });

  it('loads a key, authenticates (FF 86 and FF 88) and reads the transport trailer', async () => {
    const s = setup();
    expect(await run(s, 'ff82000006ffffffffffff')).toBe('9000');
    expect(await run(s, 'ff860000050100076000')).toBe('9000');
    // Transport trailer (MF1S50 8.7.3): key A reads as zeros, FF 07 80 69, key B FF..FF readable.
    expect(await run(s, 'ffb0000710')).toBe('000000000000ff078069ffffffffffff9000');
    expect(await run(s, 'ff8800046000')).toBe('9000');
    expect(await run(s, 'ffb0000410')).toBe('00000000000000000000000000000000' + '9000');
  });

  it('ACS: answers 63 00 for a wrong key, an empty slot, and a block outside the authenticated sector', async () => {
    // ACR122U API v2.04 5.1-5.4: the only error word is 63 00.
    const s = setup();
    expect(await run(s, 'ff860000050100046001')).toBe('6300'); // slot 1 never loaded
    expect(await run(s, 'ff82000106a0a1a2a3a4a5')).toBe('9000');
    expect(await run(s, 'ff860000050100046001')).toBe('6300'); // MAD key is not the transport key
    expect(await run(s, 'ffb0000410')).toBe('6300');
    s.card.reinsert(); // re-activate: the failed authentication left the chip silent
    expect(await run(s, 'ff82000006ffffffffffff')).toBe('9000');
    expect(await run(s, 'ff860000050100046000')).toBe('9000');
    expect(await run(s, 'ffb0000810')).toBe('6300'); // block 8 is sector 2
  });

  it('writes a block, refuses block 0 with 63 00, and checks lengths and block numbers', async () => {
    const s = setup();
    await run(s, 'ff82000006ffffffffffff');
    await run(s, 'ff860000050100046000');
    const data = '00112233445566778899aabbccddeeff';
    expect(await run(s, 'ffd6000410' + data)).toBe('9000');
    expect(toHex(s.card.peek(4))).toBe(data);
    expect(await run(s, 'ffd600040f' + data.slice(2))).toBe('6700');
    expect(await run(s, 'ffb000040f')).toBe('6700');
    expect(await run(s, 'ffb0004010')).toBe('6300'); // block 64 does not exist on a 1K (ACS: 63 00)
    await run(s, 'ff860000050100006000');
    expect(await run(s, 'ffd6000010' + data)).toBe('6300'); // manufacturer block is read-only
  });

  it('rejects ISO 7816-4 APDUs (6E 00) and unknown FF instructions (6A 81)', async () => {
    const s = setup();
    expect(await run(s, '00a4040007d276000085010100')).toBe('6e00');
    expect(await run(s, 'ff00000000')).toBe('6a81');
    expect(await run(s, 'ff')).toBe('6700');
  });

  it('rethrows CARD_REMOVED so that the connection closes', async () => {
    const s = setup();
    s.card.remove();
    await expect(answerApdu(s.card, s.keys, hex('ffb0000410'))).rejects.toMatchObject({ code: 'CARD_REMOVED' });
  });
});

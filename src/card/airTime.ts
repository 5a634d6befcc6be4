/**
 * Air time of MIFARE Classic commands at 106 kbit/s, from the documents rather than a reader (issue
 * 18 part 1: "measure and report the extra air time" of the holder read; we have no real reader).
 * Pure arithmetic, no clocks: the frames' lengths times the bit duration, plus the frame delay
 * times between them. Sources:
 *
 * - ISO/IEC 14443-2/-3 Type A at fc/128: one bit (etu) lasts 128/fc, fc = 13.56 MHz, so 9.44 us.
 *   A standard frame sends each byte as 8 data bits and one odd parity bit.
 * - NXP MF1S50yyX/V1 datasheet (rev. 3.0, 2014), section 9.2 "Timings" and Fig 11: a PCD frame is
 *   a start of communication (1 bit) + the bits + an end of communication (logic 0 + 1 bit of
 *   unmodulated carrier: 2 bits); a PICC frame has 1 start bit and 1 bit of end of communication.
 *   Frame delay PCD to PICC: (n*128 + 84)/fc when the PCD's last bit is 0, (n*128 + 20)/fc when it
 *   is 1; PICC to PCD: at least 87 us.
 * - Same datasheet, section 12: MIFARE authentication is two command-response pairs (Fig 15/16:
 *   Auth+Addr+CRC, Token RB 4 bytes; Token AB 8 bytes, Token BA 4 bytes), MIFARE Read is Cmd+Addr+CRC
 *   answered by 16 data bytes + CRC_A (Fig 17); Tables 21 and 23: T_ACK min n = 9 for both, time-out
 *   1 ms per authentication part and 5 ms for a read. The figures print the frame lengths: 368 us,
 *   359 us, 708 us and 1548 us (test/unit/card/airTime-mf1s50.test.ts checks ours against them).
 *
 * The minimum is what the card allows at best (every frame delay at its documented minimum); a
 * real reader adds its own turnaround, which no document here gives (docs/gate.md, "Air time").
 */
export const FC_HZ = 13.56e6;
/** One bit at 106 kbit/s, us: 128/fc (ISO/IEC 14443-2, fc/128). */
export const ETU_US = (128 / FC_HZ) * 1e6;

/** A PCD (reader) standard frame of `bytes` bytes, us: S + 9 bits per byte + E (2 bits). */
export const pcdFrameUs = (bytes: number): number => (1 + 9 * bytes + 2) * ETU_US;
/** A PICC (card) standard frame of `bytes` bytes, us: S + 9 bits per byte + E (1 bit). */
export const piccFrameUs = (bytes: number): number => (1 + 9 * bytes + 1) * ETU_US;

/** MF1S50 Tables 21/23: T_ACK min is n = 9 for authentication and read. */
const N = 9;
/** Frame delay PCD to PICC, us, after a last bit of 1 (the shorter) or 0 (MF1S50 Fig 11). */
export const fdtPcdToPiccUs = (lastBit: 0 | 1): number => ((N * 128 + (lastBit ? 20 : 84)) / FC_HZ) * 1e6;
/** Frame delay PICC to PCD, us: "at least 87 us" (MF1S50 section 9.2). */
export const FDT_PICC_TO_PCD_US = 87;

/** The response time-outs of MF1S50 Tables 21 and 23, us: a card answering any later has failed. */
export const TIMEOUT_US = { authPart: 1000, read: 5000 } as const;

export interface AirTime {
  /** Every frame delay at its documented minimum (PCD last bit 1). */
  minUs: number;
  /** The same with the PCD's last bit 0 (the longer minimum frame delay). */
  minLastBit0Us: number;
  /** Frames plus each card answer at its time-out: the slowest a working card may be. */
  maxUs: number;
}

/** One exchange: the PCD's frame, the wait, the card's frame, the wait before the next PCD frame. */
function exchange(pcdBytes: number, piccBytes: number, timeoutUs: number): AirTime {
  const frames = pcdFrameUs(pcdBytes) + piccFrameUs(piccBytes) + FDT_PICC_TO_PCD_US;
  return { minUs: frames + fdtPcdToPiccUs(1), minLastBit0Us: frames + fdtPcdToPiccUs(0), maxUs: frames + timeoutUs };
}

const add = (a: AirTime, b: AirTime, k = 1): AirTime => ({ minUs: a.minUs + k * b.minUs, minLastBit0Us: a.minLastBit0Us + k * b.minLastBit0Us, maxUs: a.maxUs + k * b.maxUs });
const ZERO: AirTime = { minUs: 0, minLastBit0Us: 0, maxUs: 0 };

/** MIFARE Read (30h, Addr, CRC_A) answered by 16 bytes + CRC_A (MF1S50 section 12.2). */
export const READ_AIR_TIME: AirTime = exchange(4, 18, TIMEOUT_US.read);
/** MIFARE authentication, both parts: (Auth, Addr, CRC_A) -> Token RB; Token AB -> Token BA (section 12.1). */
export const AUTH_AIR_TIME: AirTime = add(exchange(4, 4, TIMEOUT_US.authPart), exchange(8, 4, TIMEOUT_US.authPart));

/** Air time of `auths` authentications and `reads` block reads on one selected card. */
export function commandsAirTime(auths: number, reads: number): AirTime {
  return add(add(ZERO, AUTH_AIR_TIME, auths), READ_AIR_TIME, reads);
}

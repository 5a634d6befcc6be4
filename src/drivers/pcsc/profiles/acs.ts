/**
 * ACS readers: ACR122U (API v2.04), ACR1252U (Reference Manual v1.x), ACR1281U (Reference Manual
 * v1.x). All three document the same MIFARE Classic pseudo-APDUs and answer every failure with
 * 63 00 "the operation failed" (ACR122U API v2.04 sections 5.1-5.4; ACR1252U 5.2.4.1-5.2.4.4).
 * None re-selects a card that went silent: the host resets it.
 */
import type { ReaderProfile } from './types.js';

const API = 'ACR122U API v2.04';

export const ACS: ReaderProfile = {
  family: 'acs',
  label: 'ACS (ACR122U, ACR1252U, ACR1281U)',
  names: ['acs ', 'acr122', 'acr1252', 'acr1281', 'acr1255', 'acr1222'],
  // "Key Number 00h ~ 01h: volatile memory ... will disappear once the reader is disconnected"
  // (ACR122U API v2.04 5.1; ACR1252U Reference Manual 5.2.4.1): two slots, P1 00 only.
  slots: 2,
  loadKey: [{ p1: 0x00, p2: (slot) => slot, authKeyNumber: (slot) => slot, cite: `${API} 5.1 Load Authentication Keys` }],
  reselects: false,
  sw: [
    { sw: 0x6300, ops: ['load-key'], meaning: 'key-form', cite: `${API} 5.1: 63 00 the operation failed` },
    { sw: 0x6300, ops: ['authenticate'], meaning: 'failed', cite: `${API} 5.2 Authentication: 63 00 the operation failed` },
    { sw: 0x6300, ops: ['read'], meaning: 'failed', cite: `${API} 5.3 Read Binary Blocks: 63 00 the operation failed` },
    { sw: 0x6300, ops: ['write'], meaning: 'failed', cite: `${API} 5.4 Update Binary Blocks: 63 00 the operation failed` },
  ],
};

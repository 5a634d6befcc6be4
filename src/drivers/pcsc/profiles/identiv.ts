/**
 * Identiv / SCM readers: SCL3711, SCL011, uTrust 3700 F / 3720 F, SDI010 / SDI011. Their
 * reference manuals (SCL3711 Reference Manual 6.2.3 STORAGE_CARD_CMDS_LOAD_KEYS and 6.2.4
 * STORAGE_CARD_CMDS_AUTHENTICATE; uTrust 3700 F Reference Manual, the same chapter) name the key
 * by its type: Load Keys takes P2 = 60 (key A) or 61 (key B), so the reader holds one key of each
 * type, and a key number 00 is refused with 69 88 "key number not valid". A wrong key is
 * 69 82 "security status not satisfied".
 */
import type { ReaderProfile } from './types.js';

const RM = 'SCL3711 Reference Manual';
const keyNumber = (_slot: number, keyType: 'A' | 'B') => (keyType === 'A' ? 0x60 : 0x61);

export const IDENTIV: ReaderProfile = {
  family: 'identiv',
  label: 'Identiv / SCM (SCL3711, SCL011, uTrust 3700 F / 3720 F, SDI010 / SDI011)',
  names: ['identiv', 'scm microsystems', 'scl3711', 'scl011', 'scl01x', 'utrust 3700', 'utrust 3720', 'sdi010', 'sdi011', 'sdi01x'],
  slots: 2,
  loadKey: [{ p1: 0x00, p2: keyNumber, authKeyNumber: keyNumber, cite: `${RM} 6.2.3: P2 = 0x60 key A, 0x61 key B` }],
  reselects: false,
  sw: [
    { sw: 0x6982, ops: ['authenticate'], meaning: 'wrong-key', cite: `${RM} 6.2.4: 69 82 security status not satisfied` },
    { sw: 0x6983, ops: ['load-key'], meaning: 'key-form', cite: `${RM} 6.2.3.4: 69 83 reader key not supported` },
    { sw: 0x6985, ops: ['load-key'], meaning: 'key-form', cite: `${RM} 6.2.3.4: 69 85 secured transmission not supported` },
    { sw: 0x6987, ops: ['load-key'], meaning: 'key-form', cite: `${RM} 6.2.3.4: 69 87 non volatile memory not available` },
    { sw: 0x6988, ops: ['load-key', 'authenticate'], meaning: 'key-form', cite: `${RM} 6.2.3.4: 69 88 key number not valid` },
    { sw: 0x6989, ops: ['load-key'], meaning: 'key-form', cite: `${RM} 6.2.3.4: 69 89 key length not correct` },
  ],
};

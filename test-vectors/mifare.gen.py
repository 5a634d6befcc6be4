#!/usr/bin/env python3
"""Generates test-vectors/mifare.json (spec sections 3, 5 and 8) WITHOUT the TypeScript library.

Expected values come from the spec's examples.json (copied in test-vectors/spec-examples.json),
from hand derivations written next to each vector, and from independent implementations:
OpenSSL 3 (`openssl mac ... CMAC`, `openssl pkeyutl -sign -rawin` for Ed25519) and Python's zlib
(CRC-32). CRC-8/MAD is re-implemented here from its parameters (poly 0x1D, init 0xC7).

Run from the package folder:  python3 test-vectors/mifare.gen.py > test-vectors/mifare.json
"""
import base64, copy, json, os, subprocess, sys, tempfile, zlib

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import hmsk_record_ref as ref  # independent Python encoder of sections 1-2 (not the TS library)
SPEC = json.load(open(os.path.join(HERE, 'spec-examples.json'), encoding='utf-8'))['vectors']
ex = {v['id']: v for v in SPEC}

def crc8_mad(data):
    crc = 0xC7
    for b in data:
        crc ^= b
        for _ in range(8):
            crc = ((crc << 1) ^ 0x1D) & 0xFF if crc & 0x80 else (crc << 1) & 0xFF
    return crc

def openssl_cmac(key_hex, msg):
    with tempfile.NamedTemporaryFile(delete=False) as f:
        f.write(msg)
    out = subprocess.run(['openssl', 'mac', '-cipher', 'AES-128-CBC', '-macopt', 'hexkey:' + key_hex, '-in', f.name, 'CMAC'],
                         check=True, capture_output=True, text=True).stdout.strip()
    os.unlink(f.name)
    return out.lower()

def openssl_ed25519_sign(seed_hex, msg):
    der = bytes.fromhex('302e020100300506032b657004220420' + seed_hex)  # RFC 8410 PKCS#8 wrapper
    pem = '-----BEGIN PRIVATE KEY-----\n' + base64.b64encode(der).decode() + '\n-----END PRIVATE KEY-----\n'
    with tempfile.TemporaryDirectory() as d:
        open(os.path.join(d, 'k.pem'), 'w').write(pem)
        open(os.path.join(d, 'm'), 'wb').write(msg)
        subprocess.run(['openssl', 'pkeyutl', '-sign', '-rawin', '-inkey', os.path.join(d, 'k.pem'), '-in', os.path.join(d, 'm'),
                        '-out', os.path.join(d, 's')], check=True)
        return open(os.path.join(d, 's'), 'rb').read()

def kdf_msg(uid, sector, t):
    return bytes([0x01]) + b'HMSK' + t.encode() + bytes([sector, len(uid)]) + uid

RECORD_BLOCKS = [4, 5, 6, 8, 9, 10, 12, 13, 14]
SIG_BLOCKS = [16, 17, 18, 20, 21, 22]
READ, WRITE = '000102030405060708090a0b0c0d0e0f', '101112131415161718191a1b1c1d1e1f'
SEED, PUB = ex['card-signed-4-byte-uid']['input']['signingKey'], ex['verify-card-signed']['input']['publicKeys']['1']
SIGNED = ex['card-signed-4-byte-uid']['expect']['blocks']
UNSIGNED7 = ex['card-unsigned-7-byte-uid']['expect']['blocks']

def gather(blocks, lst):
    return b''.join(bytes.fromhex(blocks[b]) for b in lst)

def spread(blocks, lst, data):
    blocks = list(blocks)
    for k, b in enumerate(lst):
        blocks[b] = data[16 * k:16 * k + 16].hex()
    return blocks

def sig_area(uid, record, key_id):
    msg = b'HMSK-SIG1' + bytes([len(uid)]) + uid + record + bytes([key_id])
    area = bytes([0x53, 1, key_id, 1]) + openssl_ed25519_sign(SEED, msg) + bytes(24)
    return area + zlib.crc32(area).to_bytes(4, 'big')

def with_crc(area):
    area = bytearray(area)
    area[92:96] = zlib.crc32(bytes(area[:92])).to_bytes(4, 'big')
    return bytes(area)

def mad_blocks(info, aids):
    body = bytes([info]) + b''.join(a.to_bytes(2, 'little') for a in aids)
    b = bytes([crc8_mad(body)]) + body
    return [b[:16].hex(), b[16:].hex()]

V = []
def vec(id, kind, inp, expect, source):
    V.append({'id': id, 'kind': kind, 'input': inp, 'expect': expect, 'source': source})

# --- kdf ---------------------------------------------------------------------------------------
SPEC_TRAILER = 'spec examples.json, card example trailer (key A = bytes 0-5, key B = bytes 10-15)'
for uid, blocks, s, t in [('04a1b2c3', SIGNED, 0, 'B'), ('04a1b2c3', SIGNED, 1, 'B'), ('04a1b2c3', SIGNED, 2, 'A'),
                          ('04a1b2c3', SIGNED, 5, 'A'), ('04a1b2c3', SIGNED, 5, 'B'), ('04112233445566', UNSIGNED7, 0, 'B'),
                          ('04112233445566', UNSIGNED7, 2, 'A'), ('04112233445566', UNSIGNED7, 3, 'B')]:
    tr = blocks[4 * s + 3]
    vec(f'kdf-{uid}-s{s}-{t}', 'kdf', {'master': READ if t == 'A' else WRITE, 'uid': uid, 'sector': s, 'keyType': t},
        {'key': tr[:12] if t == 'A' else tr[20:]}, f'{SPEC_TRAILER}: block {4 * s + 3}')
for uid, s, t, master in [('04112233445566778899', 1, 'A', READ), ('04a1b2c3', 15, 'B', 'ffeeddccbbaa99887766554433221100')]:
    key = openssl_cmac(master, kdf_msg(bytes.fromhex(uid), s, t))[:12]
    vec(f'kdf-openssl-{uid}-s{s}-{t}', 'kdf', {'master': master, 'uid': uid, 'sector': s, 'keyType': t}, {'key': key},
        'OpenSSL 3.0 `openssl mac -cipher AES-128-CBC CMAC` of the section 3 message, first 6 bytes')

# --- access-bits (hand-derived from the section 3 formula) -------------------------------------
vec('access-bits-value-blocks', 'access-bits', {'bytes': '08778f'}, {'conditions': [[1, 1, 0]] * 3 + [[0, 1, 1]]},
    'hand-derived: C1=0111 C2=1111 C3=1000 -> byte6=0x08 byte7=0x77 byte8=0x8F (spec section 3 formula)')
vec('access-bits-all-locked', 'access-bits', {'bytes': '00f0ff'}, {'conditions': [[1, 1, 1]] * 4},
    'hand-derived: C1=C2=C3=1111 -> 00 F0 FF')
vec('access-bits-mct-example-sector-15', 'access-bits', {'bytes': 'ff0780'}, {'conditions': [[0, 0, 0]] * 3 + [[0, 0, 1]]},
    'MifareClassicTool tools/example-files/example-dump-file.txt block 63 (transport configuration, MF1S50 Table 7 row 001)')
for b, why in [('797788', 'byte 6 low nibble (~C1) 9 vs C1 7'), ('787688', 'byte 7 low nibble (~C3) 6 vs C3 8'),
               ('ff0781', 'byte 8 low nibble C2 1 vs ~C2 F'), ('877788', 'byte 6 high nibble (~C2) 8 vs C2 8')]:
    vec(f'access-bits-invalid-{b}', 'access-bits', {'bytes': b}, {'error': 'INVALID_ACCESS_BITS'}, f'hand-derived: {why} are not inverse')

# --- mad ----------------------------------------------------------------------------------------
vec('mad-hmsk-signed', 'mad', {'blocks': SIGNED[1:3]}, {'infoByte': 0, 'aids': [0x4B48] * 3 + [0x4B49] * 2 + [0] * 10},
    'spec examples.json card-signed-4-byte-uid blocks 1-2; AIDs per the section 3 table')
vec('mad-hmsk-unsigned', 'mad', {'blocks': UNSIGNED7[1:3]}, {'infoByte': 0, 'aids': [0x4B48] * 3 + [0] * 12},
    'spec examples.json card-unsigned-7-byte-uid blocks 1-2; AIDs per the section 3 table')
nfc = ['140103e103e103e103e103e103e103e1', '03e103e103e103e103e103e103e103e1']
vec('mad-nfc-forum-byte-flipped', 'mad', {'blocks': [nfc[0][:10] + 'e2' + nfc[0][12:], nfc[1]]}, {'error': 'BAD_MAD_CRC'},
    'NFC Forum MAD (CRC 0x14) with AID byte 0xE1 of sector 2 changed to 0xE2: CRC-8 detects every single-byte error')
vec('mad-hmsk-crc-byte-wrong', 'mad', {'blocks': ['05' + SIGNED[1][2:], SIGNED[2]]}, {'error': 'BAD_MAD_CRC'},
    'spec card MAD with its CRC byte 0x04 changed to 0x05')
mixed = mad_blocks(0x01, [0x4B48, 0x4B48, 0x4B48, 0x0000, 0x0000, 0xE103, 0xE103] + [0] * 8)
vec('mad-hmsk-beside-ndef', 'mad', {'blocks': mixed}, {'infoByte': 1, 'aids': [0x4B48] * 3 + [0, 0, 0xE103, 0xE103] + [0] * 8},
    'CRC-8/MAD computed by a Python re-implementation in mifare.gen.py (poly 0x1D, init 0xC7)')

# --- card ---------------------------------------------------------------------------------------
inp = copy.deepcopy(ex['card-signed-4-byte-uid']['input'])
inp['keyId'] = 2
record = gather(SIGNED, RECORD_BLOCKS)
vec('card-signed-key-id-2', 'card', inp, {'blocks': spread(SIGNED, SIG_BLOCKS, sig_area(bytes.fromhex('04a1b2c3'), record, 2))},
    'spec card-signed-4-byte-uid with the signature area rebuilt for key id 2: Ed25519 by OpenSSL 3.0 pkeyutl, CRC-32 by Python zlib')
inp = copy.deepcopy(ex['card-signed-4-byte-uid']['input'])
del inp['signingKey'], inp['keyId']
unsigned4 = spread(SIGNED, RECORD_BLOCKS, bytes.fromhex(ex['encode-construction']['expect']['record']))
unsigned4[1:3] = UNSIGNED7[1:3]
for b in [16, 17, 18, 20, 21, 22]:
    unsigned4[b] = '00' * 16
for b in [19, 23]:
    unsigned4[b] = 'ffffffffffffff078069ffffffffffff'
vec('card-unsigned-4-byte-uid', 'card', inp, {'blocks': unsigned4},
    'assembled from the spec examples: encode-construction record, unsigned MAD of card-unsigned-7-byte-uid, trailers 0-3 of card-signed-4-byte-uid (keys depend on UID and sector only), blank sectors 4-15')

# A signed, truncated card with a 7-byte UID, key id 9: record by hmsk_record_ref.py (Python),
# trailers 0-3 and block 0 and the signed MAD from the spec examples, trailers 4-5 from OpenSSL CMAC,
# signature by OpenSSL Ed25519, CRC-32 by zlib.
long_holder = dict(ex['card-unsigned-7-byte-uid']['input']['holder'], orgName='Renhold og Vedlikehold Østlandet Nord AS avdeling Lillestrøm og Skedsmo kommune',
                   givenName='Jan Kristoffer Aleksander Sebastian', familyName='Kowalski-Johannessen-Bråthen')
v7 = ref.validate(long_holder, trunc=True)
assert v7['truncated']
rec7 = bytes(ref.encode(v7, signed=True))
uid7 = bytes.fromhex('04112233445566')
b7 = spread(UNSIGNED7, RECORD_BLOCKS, rec7)
b7[1:3] = SIGNED[1:3]
b7 = spread(b7, SIG_BLOCKS, sig_area(uid7, rec7, 9))
for s in (4, 5):
    ka = openssl_cmac(READ, kdf_msg(uid7, s, 'A'))[:12]
    kb = openssl_cmac(WRITE, kdf_msg(uid7, s, 'B'))[:12]
    b7[4 * s + 3] = ka + '78778800' + kb
inp = dict(ex['card-unsigned-7-byte-uid']['input'], holder=long_holder, truncate=True, signingKey=SEED, keyId=9)
vec('card-signed-truncated-7-byte-uid', 'card', inp, {'blocks': b7},
    'record by test-vectors/hmsk_record_ref.py (independent Python, truncation of section 1, flag bits 0 and 1); block 0, MAD, trailers 0-3 from the spec examples; trailers 4-5 by OpenSSL CMAC; signature by OpenSSL Ed25519; CRC-32 by zlib')
vec('verify-card-signed-truncated-7-byte-uid', 'verify-card', {'blocks': b7, 'uid': '04112233445566', 'publicKeys': {'9': PUB}},
    {'holder': ref.holder_fields(v7, signed=True), 'signature': 'valid'}, 'card-signed-truncated-7-byte-uid above; holder by hmsk_record_ref.py')

# --- verify-card --------------------------------------------------------------------------------
h7 = dict(ex['card-unsigned-7-byte-uid']['input']['holder'], cardNumber='4711', signed=False, truncated=False)
vec('verify-card-unsigned-7-byte-uid', 'verify-card', {'blocks': UNSIGNED7, 'uid': '04112233445566', 'publicKeys': {}},
    {'holder': h7, 'signature': 'absent'}, 'spec card-unsigned-7-byte-uid; holder = its encoder input decoded per section 2 (leading zeros dropped)')
h4 = dict(ex['verify-card-signed']['expect']['holder'], signed=False)
vec('verify-card-unsigned-4-byte-uid', 'verify-card', {'blocks': unsigned4, 'uid': '04a1b2c3', 'publicKeys': {'1': PUB}},
    {'holder': h4, 'signature': 'absent'}, 'card-unsigned-4-byte-uid above; holder of the spec decode-record example')
vec('verify-card-signed-key-id-2', 'verify-card', {'blocks': next(v for v in V if v['id'] == 'card-signed-key-id-2')['expect']['blocks'], 'uid': '04a1b2c3', 'publicKeys': {'2': PUB}},
    {'holder': ex['verify-card-signed']['expect']['holder'], 'signature': 'valid'}, 'card-signed-key-id-2 above, key 2 = RFC 8032 TEST 1 public key')

def neg(id, blocks, why, code, uid='04a1b2c3', keys=None):
    vec(id, 'verify-card', {'blocks': blocks, 'uid': uid, 'publicKeys': keys if keys is not None else {'1': PUB}}, {'error': code}, why)

area = bytearray(gather(SIGNED, SIG_BLOCKS)); area[30] ^= 0x04
neg('verify-card-signature-bit-flipped', spread(SIGNED, SIG_BLOCKS, with_crc(area)), 'spec signed card, one signature bit flipped, area CRC-32 recomputed (zlib): section 5 step "signature verifies"', 'SIGNATURE_INVALID')
neg('verify-card-signature-area-crc', spread(SIGNED, SIG_BLOCKS, bytes(area)), 'spec signed card, one signature bit flipped, CRC-32 left stale', 'SIGNATURE_INVALID')
area = bytearray(gather(SIGNED, SIG_BLOCKS)); area[0] = 0x54
neg('verify-card-signature-tag', spread(SIGNED, SIG_BLOCKS, with_crc(area)), 'tag 0x54 instead of 0x53, CRC recomputed', 'SIGNATURE_INVALID')
area = bytearray(gather(SIGNED, SIG_BLOCKS)); area[3] = 2
neg('verify-card-signature-algorithm', spread(SIGNED, SIG_BLOCKS, with_crc(area)), 'algorithm 2 (only 1 = Ed25519 is defined), CRC recomputed', 'SIGNATURE_INVALID')
area = bytearray(gather(SIGNED, SIG_BLOCKS)); area[70] = 1
neg('verify-card-signature-filler', spread(SIGNED, SIG_BLOCKS, with_crc(area)), 'non-zero filler byte 70, CRC recomputed', 'SIGNATURE_INVALID')
neg('verify-card-unknown-key', SIGNED, 'spec signed card (key id 1) verified with only key id 2 known', 'UNKNOWN_KEY', keys={'2': PUB})
neg('verify-card-other-uid', SIGNED, 'spec signed card presented with UID 04a1b2c4: the UID is in the signed message', 'SIGNATURE_INVALID', uid='04a1b2c4')
b = list(SIGNED); b[1:3] = mad_blocks(0, [0x4B48] * 3 + [0x0000, 0x4B49] + [0] * 10)
neg('verify-card-signed-mad-sector-4-free', b, 'signed record, MAD lists 0x0000 for sector 4 (CRC right, Python CRC-8/MAD)', 'SIGNATURE_INVALID')
b = list(SIGNED); b[1] = SIGNED[1][:6] + '49' + SIGNED[1][8:]
neg('verify-card-mad-byte-flipped', b, 'spec signed card, MAD byte 3 changed 0x4B -> 0x49 without a new CRC', 'BAD_MAD_CRC')
b = list(SIGNED); b[1:3] = nfc
neg('verify-card-ndef-mad', b, 'NFC Forum MAD (all 0xE103, CRC 0x14) on the spec card: sectors 1-3 are not 0x4B48', 'UNKNOWN_FORMAT')
b = list(SIGNED); b[6] = ('%02x' % (int(SIGNED[6][:2], 16) ^ 1)) + SIGNED[6][2:]
neg('verify-card-record-crc', b, 'spec signed card, record byte 32 (in block 6) changed: record CRC-32 fails (section 2)', 'BAD_CRC')
b = list(SIGNED)
for blk in RECORD_BLOCKS:
    b[blk] = '00' * 16
neg('verify-card-blank-record', b, 'record blocks all zero: gate block is blank (section 2 step 2)', 'BLANK')

print(json.dumps({'format': 'hmsk-vectors/1', 'source': 'test-vectors/mifare.gen.py: spec examples, hand derivations, OpenSSL 3 (CMAC, Ed25519), Python zlib CRC-32 and a Python CRC-8/MAD; no output of the TypeScript library', 'vectors': V}, indent=1, ensure_ascii=False))

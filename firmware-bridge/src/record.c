/*
 * The gate block (record bytes 0-15) and the 144-byte record, spec section 2. Checks run in the
 * spec's order and the first failing one is returned, exactly as the TypeScript decoder does
 * (src/codec/gateBlockDecode.ts, recordDecode.ts); test-vectors/ hold both to the same answers.
 *
 * Gate block:  0 tag 0x48 | 1 version<<4 | category | 2-6 card number (40-bit BE)
 *              7-10 org number (BE) | 11-12 expiry day since 2000-01-01 | 13 issue | 14-15 CRC-16
 * Holder area: 16-17 birth day since 1900-01-01 | 18 gender | 19 flags | 20 g | 21 f | 22 o
 *              23 reserved 0 | 24-139 texts then zero padding | 140-143 CRC-32 of 0-139
 */
#include "hmsk.h"

#define FORMAT_TAG 0x48u
#define TEXT_OFFSET 24u
#define TEXT_AREA 116u

static const char *const err_names[] = {
    "OK", "BAD_LENGTH", "BLANK", "UNKNOWN_FORMAT", "UNSUPPORTED_VERSION", "BAD_CRC", "BAD_FIELD",
    "BAD_LRC", "BAD_PARITY", "BAD_FORMAT", "BAD_CHECK_DIGIT", "ARGUMENT", "NO_SPACE"};

const char *hmsk_err_name(hmsk_err e)
{
    unsigned i = (unsigned)e;
    return i < sizeof err_names / sizeof err_names[0] ? err_names[i] : "UNKNOWN";
}

/* Mod-11 check (section 1): weights 3,2,7,6,5,4,3,2 on digits 1-8; 11 - sum mod 11; 11 -> 0, 10 invalid.
 * The digits come from nine independent quotients org / 10^k (each a multiply by a constant), not
 * from a chain of eight divide-by-ten steps that each wait for the last: measured 16.3 -> 13.5 ns per
 * gate-block/c on x86-64 (bench/c-target.json). */
int hmsk_org_number_valid(uint32_t org)
{
    uint32_t q1, q2, q3, q4, q5, q6, q7, q8, sum, c;
    if (org > 999999999u)
        return 0;
    q1 = org / 10u;
    q2 = org / 100u;
    q3 = org / 1000u;
    q4 = org / 10000u;
    q5 = org / 100000u;
    q6 = org / 1000000u;
    q7 = org / 10000000u;
    q8 = org / 100000000u; /* digit 1 */
    sum = 3u * q8 + 2u * (q7 - 10u * q8) + 7u * (q6 - 10u * q7) + 6u * (q5 - 10u * q6) + 5u * (q4 - 10u * q5) +
          4u * (q3 - 10u * q4) + 3u * (q2 - 10u * q3) + 2u * (q1 - 10u * q2);
    c = 11u - sum % 11u;
    if (c == 10u)
        return 0;
    return (c == 11u ? 0u : c) == org - 10u * q1;
}

static uint32_t be32(const uint8_t *p)
{
    return ((uint32_t)p[0] << 24) | ((uint32_t)p[1] << 16) | ((uint32_t)p[2] << 8) | p[3];
}

hmsk_err hmsk_decode_gate(const uint8_t *b, size_t len, hmsk_gate *out)
{
    size_t i;
    unsigned cat;
    uint64_t card;
    uint32_t org;
    if (out == NULL)
        return HMSK_E_ARGUMENT;
    /* 1. length */
    if (len != HMSK_GATE_BLOCK_LEN)
        return HMSK_E_BAD_LENGTH;
    if (b == NULL)
        return HMSK_E_ARGUMENT;
    /* 2. blank (all 0x00 or all 0xFF) comes before 3. the format tag, but a blank block cannot
     * start with the tag 0x48: the 16-byte scan runs only when the tag is wrong, not on every
     * good card (as src/codec/gateBlockDecode.ts does). */
    if (b[0] != FORMAT_TAG) {
        unsigned any = 0, all = 0xFFu;
        for (i = 0; i < HMSK_GATE_BLOCK_LEN; i++) {
            any |= b[i];
            all &= b[i];
        }
        return any == 0u || all == 0xFFu ? HMSK_E_BLANK : HMSK_E_UNKNOWN_FORMAT;
    }
    /* 4. version nibble */
    if ((b[1] >> 4) != 1u)
        return HMSK_E_UNSUPPORTED_VERSION;
    /* 5. CRC-16 over bytes 0-13, stored big-endian in 14-15 */
    if (hmsk_crc16(b, 14) != (uint16_t)((b[14] << 8) | b[15]))
        return HMSK_E_BAD_CRC;
    /* 6. field ranges */
    cat = b[1] & 0x0Fu;
    if (cat != HMSK_CATEGORY_CONSTRUCTION && cat != HMSK_CATEGORY_CLEANING && cat != HMSK_CATEGORY_VOID)
        return HMSK_E_BAD_FIELD;
    card = ((uint64_t)b[2] << 32) | be32(b + 3);
    if (card == 0u || card > HMSK_MAX_CARD_NUMBER)
        return HMSK_E_BAD_FIELD;
    org = be32(b + 7);
    if (!hmsk_org_number_valid(org))
        return HMSK_E_BAD_FIELD;
    out->category = (uint8_t)cat;
    out->card_number = card;
    out->org_number = org;
    out->expiry_day = (uint16_t)((b[11] << 8) | b[12]);
    out->issue = b[13];
    return HMSK_OK;
}

hmsk_err hmsk_encode_gate(const hmsk_gate *in, uint8_t out[HMSK_GATE_BLOCK_LEN])
{
    uint16_t crc;
    if (in == NULL || out == NULL)
        return HMSK_E_ARGUMENT;
    if ((in->category != HMSK_CATEGORY_CONSTRUCTION && in->category != HMSK_CATEGORY_CLEANING &&
         in->category != HMSK_CATEGORY_VOID) ||
        in->card_number == 0u || in->card_number > HMSK_MAX_CARD_NUMBER || !hmsk_org_number_valid(in->org_number))
        return HMSK_E_BAD_FIELD;
    out[0] = FORMAT_TAG;
    out[1] = (uint8_t)(0x10u | in->category);
    out[2] = (uint8_t)(in->card_number >> 32);
    out[3] = (uint8_t)(in->card_number >> 24);
    out[4] = (uint8_t)(in->card_number >> 16);
    out[5] = (uint8_t)(in->card_number >> 8);
    out[6] = (uint8_t)in->card_number;
    out[7] = (uint8_t)(in->org_number >> 24);
    out[8] = (uint8_t)(in->org_number >> 16);
    out[9] = (uint8_t)(in->org_number >> 8);
    out[10] = (uint8_t)in->org_number;
    out[11] = (uint8_t)(in->expiry_day >> 8);
    out[12] = (uint8_t)in->expiry_day;
    out[13] = in->issue;
    crc = hmsk_crc16(out, 14);
    out[14] = (uint8_t)(crc >> 8);
    out[15] = (uint8_t)crc;
    return HMSK_OK;
}

#if HMSK_CHECK_UTF8
/* Well-formed UTF-8 (Unicode 15, table 3-7): no overlongs, no surrogates, nothing above U+10FFFF. */
static int utf8_valid(const uint8_t *s, size_t n)
{
    size_t i = 0;
    while (i < n) {
        uint8_t c = s[i];
        size_t need;
        uint8_t lo = 0x80u, hi = 0xBFu;
        if (c < 0x80u) {
            /* ASCII run (most names): four bytes per test while none has its top bit set. */
            for (i++; i + 4u <= n && ((s[i] | s[i + 1u] | s[i + 2u] | s[i + 3u]) & 0x80u) == 0u; i += 4u) {
            }
            continue;
        }
        if (c >= 0xC2u && c <= 0xDFu) need = 1;
        else if (c >= 0xE0u && c <= 0xEFu) {
            need = 2;
            if (c == 0xE0u) lo = 0xA0u;
            if (c == 0xEDu) hi = 0x9Fu;
        } else if (c >= 0xF0u && c <= 0xF4u) {
            need = 3;
            if (c == 0xF0u) lo = 0x90u;
            if (c == 0xF4u) hi = 0x8Fu;
        } else
            return 0;
        if (n - i - 1 < need)
            return 0;
        if (s[i + 1] < lo || s[i + 1] > hi)
            return 0;
        if (need >= 2 && (s[i + 2] & 0xC0u) != 0x80u)
            return 0;
        if (need == 3 && (s[i + 3] & 0xC0u) != 0x80u)
            return 0;
        i += need + 1;
    }
    return 1;
}
#endif

hmsk_err hmsk_decode_record(const uint8_t *r, size_t len, hmsk_record *out)
{
    hmsk_err e;
    unsigned g, f, o, i, pad;
    if (out == NULL)
        return HMSK_E_ARGUMENT;
    if (len != HMSK_RECORD_LEN)
        return HMSK_E_BAD_LENGTH;
    if (r == NULL)
        return HMSK_E_ARGUMENT;
    e = hmsk_decode_gate(r, HMSK_GATE_BLOCK_LEN, &out->gate);
    if (e != HMSK_OK)
        return e;
    if (hmsk_crc32(r, 140) != be32(r + 140))
        return HMSK_E_BAD_CRC;
    g = r[20];
    f = r[21];
    o = r[22];
    if ((r[19] & 0xFCu) != 0u || r[23] != 0u || r[18] > HMSK_GENDER_F || g == 0u || f == 0u || o == 0u ||
        g + f + o > TEXT_AREA)
        return HMSK_E_BAD_FIELD;
    /* Zero padding after the texts: OR without an early exit, so the compiler can vectorise it. */
    for (i = TEXT_OFFSET + g + f + o, pad = 0u; i < TEXT_OFFSET + TEXT_AREA; i++)
        pad |= r[i];
    if (pad != 0u)
        return HMSK_E_BAD_FIELD;
#if HMSK_CHECK_UTF8
    if (!utf8_valid(r + TEXT_OFFSET, g) || !utf8_valid(r + TEXT_OFFSET + g, f) ||
        !utf8_valid(r + TEXT_OFFSET + g + f, o))
        return HMSK_E_BAD_FIELD;
#endif
    out->birth_day = (uint16_t)((r[16] << 8) | r[17]);
    out->gender = r[18];
    out->flags = r[19];
    out->given_name = r + TEXT_OFFSET;
    out->family_name = r + TEXT_OFFSET + g;
    out->org_name = r + TEXT_OFFSET + g + f;
    out->given_len = (uint8_t)g;
    out->family_len = (uint8_t)f;
    out->org_len = (uint8_t)o;
    return HMSK_OK;
}

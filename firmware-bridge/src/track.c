/*
 * Magnetic-stripe track decoders, spec section 4 (character sets of ISO/IEC 7811-2 / 7813):
 * track 2 (ABA, ';' ... '?', characters 0x30-0x3F) and track 1 (IATA, '%' ... '?', 0x20-0x5F).
 * Checks in the spec's order: sentinels, at most one character after '?', character set
 * (BAD_FORMAT); LRC when present (BAD_LRC); field layout (BAD_FORMAT); Luhn check digit over
 * orgNumber + cardNumber(12) (BAD_CHECK_DIGIT); real expiry date and card number != 0 (BAD_FORMAT).
 *
 * Track 2: ;OOOOOOOOO=CCCCCCCCCCCCK=YYMMDDTIII?   (T category 1/2, III issue)
 * Track 1: %HTOOOOOOOOO^NAME^CCCCCCCCCCCCKYYMMDD?  (T category B/R, NAME 0-26 chars)
 */
#include "hmsk.h"

#if HMSK_WITH_TRACKS

/* Sentinels, trailing character and character set; *end gets the index of '?'. */
static hmsk_err frame_check(const char *s, size_t n, char start, unsigned lo, unsigned hi, size_t *end)
{
    size_t i;
    if (n == 0u || s[0] != start)
        return HMSK_E_BAD_FORMAT;
    for (i = 1; i < n && s[i] != '?'; i++) {
    }
    if (i == n || n - i - 1u > 1u)
        return HMSK_E_BAD_FORMAT;
    *end = i;
    for (i = 0; i < n; i++)
        if ((unsigned char)s[i] < lo || (unsigned char)s[i] > hi)
            return HMSK_E_BAD_FORMAT;
    return HMSK_OK;
}

/* LRC (section 4): XOR of the data values (char - base) from start to end sentinel inclusive. */
static hmsk_err lrc_check(const char *s, size_t n, size_t end, unsigned base, unsigned mask)
{
    unsigned x = 0;
    size_t i;
    if (n == end + 1u)
        return HMSK_OK; /* no LRC given */
    for (i = 0; i <= end; i++)
        x ^= ((unsigned char)s[i] - base) & mask;
    return (((unsigned char)s[end + 1u] - base) & mask) == x ? HMSK_OK : HMSK_E_BAD_LRC;
}

static int digits(const char *s, size_t n)
{
    size_t i;
    for (i = 0; i < n; i++)
        if (s[i] < '0' || s[i] > '9')
            return 0;
    return 1;
}

static uint64_t number(const char *s, size_t n)
{
    uint64_t v = 0;
    size_t i;
    for (i = 0; i < n; i++)
        v = v * 10u + (uint64_t)(s[i] - '0');
    return v;
}

/* ISO/IEC 7812-1 Luhn: the 9 org digits then the 12 card digits, check digit `check`. */
static int luhn_ok(const char *org, const char *card, char check)
{
    char d[21];
    unsigned sum = 0, i;
    for (i = 0; i < 9u; i++) d[i] = org[i];
    for (i = 0; i < 12u; i++) d[9u + i] = card[i];
    for (i = 0; i < 21u; i++) {
        unsigned v = (unsigned)(d[20u - i] - '0');
        if (i % 2u == 0u) { /* rightmost payload digit is doubled */
            v *= 2u;
            if (v > 9u) v -= 9u;
        }
        sum += v;
    }
    return (10u - sum % 10u) % 10u == (unsigned)(check - '0');
}

/* YYMMDD (20YY) to a day number since 2000-01-01; BAD_FORMAT unless it is a real date. */
static hmsk_err expiry(const char *s, hmsk_track *out)
{
    static const uint8_t mdays[12] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    unsigned y = (unsigned)number(s, 2), m = (unsigned)number(s + 2, 2), d = (unsigned)number(s + 4, 2);
    if (m < 1u || m > 12u || d < 1u || d > mdays[m - 1u] || (m == 2u && d == 29u && y % 4u != 0u))
        return HMSK_E_BAD_FORMAT; /* 2000-2099: every year divisible by 4 is a leap year */
    out->expiry_day = (uint16_t)(hmsk_days_from_civil((int32_t)(2000u + y), m, d) - HMSK_DAYS_1970_TO_2000);
    return HMSK_OK;
}

hmsk_err hmsk_decode_track2(const char *s, size_t n, hmsk_track *out)
{
    size_t end;
    hmsk_err e;
    if (s == NULL || out == NULL)
        return HMSK_E_ARGUMENT;
    if ((e = frame_check(s, n, ';', 0x30u, 0x3Fu, &end)) != HMSK_OK)
        return e;
    if ((e = lrc_check(s, n, end, 0x30u, 0x0Fu)) != HMSK_OK)
        return e;
    /* ; org(9) = card(12) check(1) = YYMMDD category(1) issue(3) ?  -> '?' at index 35 */
    if (end != 35u || !digits(s + 1, 9) || s[10] != '=' || !digits(s + 11, 13) || s[24] != '=' ||
        !digits(s + 25, 10) || (s[31] != '1' && s[31] != '2') || number(s + 32, 3) > 255u)
        return HMSK_E_BAD_FORMAT;
    if (!luhn_ok(s + 1, s + 11, s[23]))
        return HMSK_E_BAD_CHECK_DIGIT;
    if ((e = expiry(s + 25, out)) != HMSK_OK)
        return e;
    out->card_number = number(s + 11, 12);
    if (out->card_number == 0u)
        return HMSK_E_BAD_FORMAT;
    out->org_number = (uint32_t)number(s + 1, 9);
    out->category = (uint8_t)(s[31] - '0');
    out->issue = (uint8_t)number(s + 32, 3);
    out->name = NULL;
    out->name_len = 0;
    return HMSK_OK;
}

static int name_char(char c)
{
    return (c >= 'A' && c <= 'Z') || c == ' ' || c == '-' || c == '\'' || c == '/';
}

hmsk_err hmsk_decode_track1(const char *s, size_t n, hmsk_track *out)
{
    size_t end, caret, i;
    hmsk_err e;
    if (s == NULL || out == NULL)
        return HMSK_E_ARGUMENT;
    if ((e = frame_check(s, n, '%', 0x20u, 0x5Fu, &end)) != HMSK_OK)
        return e;
    if ((e = lrc_check(s, n, end, 0x20u, 0x3Fu)) != HMSK_OK)
        return e;
    /* % H T org(9) ^ name(0-26) ^ card(12) check(1) YYMMDD ? */
    if (end < 13u + 1u + 19u || s[1] != 'H' || (s[2] != 'B' && s[2] != 'R') || !digits(s + 3, 9) || s[12] != '^')
        return HMSK_E_BAD_FORMAT;
    for (caret = 13; caret < end && s[caret] != '^'; caret++) {
    }
    if (caret - 13u > 26u || caret + 20u != end || !digits(s + caret + 1, 19))
        return HMSK_E_BAD_FORMAT;
    for (i = 13; i < caret; i++)
        if (!name_char(s[i]))
            return HMSK_E_BAD_FORMAT;
    if (!luhn_ok(s + 3, s + caret + 1, s[caret + 13u]))
        return HMSK_E_BAD_CHECK_DIGIT;
    if ((e = expiry(s + caret + 14u, out)) != HMSK_OK)
        return e;
    out->card_number = number(s + caret + 1u, 12);
    if (out->card_number == 0u)
        return HMSK_E_BAD_FORMAT;
    out->org_number = (uint32_t)number(s + 3, 9);
    out->category = s[2] == 'B' ? HMSK_CATEGORY_CONSTRUCTION : HMSK_CATEGORY_CLEANING;
    out->issue = 0;
    out->name = s + 13;
    out->name_len = (uint8_t)(caret - 13u);
    return HMSK_OK;
}
#endif

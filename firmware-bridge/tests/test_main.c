/*
 * The C suite: the shared vectors (tests/vectors_data.c, generated from test-vectors/ and the
 * spec's examples) plus checks with independent expected values: CRC catalogue check values
 * (spec section 2), published EU summer-time dates, COBS bytes derived by hand from the
 * algorithm (Cheshire & Baker), and a noisy-link property run of the bridge receiver.
 * Prints "N passed, N failed"; exits non-zero on any failure.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hmsk.h"
#include "vectors.h"

static unsigned passed, failed;

#define CHECK(cond, ...)                                                                  \
    do {                                                                                  \
        if (cond) passed++;                                                               \
        else { failed++; printf("FAIL %s:%d: ", __FILE__, __LINE__); printf(__VA_ARGS__); printf("\n"); } \
    } while (0)

static const char *category_name(unsigned c)
{
    return c == 1 ? "construction" : c == 2 ? "cleaning" : c == 15 ? "void" : "?";
}

/* YYYY-MM-DD of a day number since 1970 */
static void iso(int32_t day, char out[11])
{
    int32_t y; unsigned m, d;
    hmsk_civil_from_days(day, &y, &m, &d);
    sprintf(out, "%04d-%02u-%02u", (int)y, m, d);
}

static int same(const char *want, const char *got, size_t got_len)
{
    return want != NULL && strlen(want) == got_len && memcmp(want, got, got_len) == 0;
}

/* Bit-at-a-time CRCs written from the catalogue parameters alone (spec section 2), independent of
 * src/crc.c's tables, to compare every HMSK_CRC_TABLES mode against on every length. */
static uint16_t ref_crc16(const uint8_t *d, size_t n)
{
    unsigned crc = 0xFFFFu, k;
    while (n--) {
        crc ^= (unsigned)*d++ << 8;
        for (k = 0; k < 8; k++) crc = (crc & 0x8000u) ? ((crc << 1) ^ 0x1021u) & 0xFFFFu : (crc << 1) & 0xFFFFu;
    }
    return (uint16_t)crc;
}
static uint32_t ref_crc32(const uint8_t *d, size_t n)
{
    uint32_t crc = 0xFFFFFFFFu;
    unsigned k;
    while (n--) {
        crc ^= *d++;
        for (k = 0; k < 8; k++) crc = (crc >> 1) ^ (0xEDB88320u & (0u - (crc & 1u)));
    }
    return ~crc;
}

static void test_crc(void)
{
    static uint8_t buf[301];
    uint32_t x = 0x12345678u;
    size_t i, bad16 = 0, bad32 = 0, off;
    for (i = 0; i < sizeof buf; i++) { /* xorshift32 (Marsaglia 2003): reproducible bytes */
        x ^= x << 13; x ^= x >> 17; x ^= x << 5;
        buf[i] = (uint8_t)x;
    }
    /* Every length 0-300 and every start alignment 0-3 (the sliced loops read words). */
    for (off = 0; off < 4; off++)
        for (i = 0; i + off < sizeof buf; i++) {
            bad16 += hmsk_crc16(buf + off, i) != ref_crc16(buf + off, i);
            bad32 += hmsk_crc32(buf + off, i) != ref_crc32(buf + off, i);
        }
    CHECK(bad16 == 0, "CRC-16 (HMSK_CRC_TABLES=%d) differs from the bitwise reference on %lu lengths", HMSK_CRC_TABLES, (unsigned long)bad16);
    CHECK(bad32 == 0, "CRC-32 (HMSK_CRC_TABLES=%d) differs from the bitwise reference on %lu lengths", HMSK_CRC_TABLES, (unsigned long)bad32);

    const uint8_t check[] = "123456789";
    CHECK(hmsk_crc16(check, 9) == 0x29B1u, "CRC-16/CCITT-FALSE check value 0x29B1, got %04X", hmsk_crc16(check, 9));
    CHECK(hmsk_crc32(check, 9) == 0xCBF43926u, "CRC-32/ISO-HDLC check value 0xCBF43926, got %08lX", (unsigned long)hmsk_crc32(check, 9));
    CHECK(hmsk_crc16(check, 0) == 0xFFFFu, "CRC-16 of nothing is the init value");
    CHECK(hmsk_crc32(check, 0) == 0u, "CRC-32 of nothing is 0");
}

/* The mod-11 check (spec section 1) against a reference that reads the digits from the printed
 * number, on 200 003 numbers spread over 0-999 999 999 and every number near the edges. */
static int ref_org_valid(unsigned long org)
{
    static const unsigned w[8] = {3, 2, 7, 6, 5, 4, 3, 2};
    char s[16];
    unsigned sum = 0, i, c;
    if (org > 999999999ul) return 0;
    sprintf(s, "%09lu", org);
    for (i = 0; i < 8; i++) sum += (unsigned)(s[i] - '0') * w[i];
    c = 11u - sum % 11u;
    return c != 10u && (c == 11u ? 0u : c) == (unsigned)(s[8] - '0');
}

static void test_org_numbers(void)
{
    unsigned long org, bad = 0, valid = 0;
    for (org = 0; org < 1000000000ul; org += 4999ul) {
        bad += hmsk_org_number_valid((uint32_t)org) != ref_org_valid(org);
        valid += (unsigned long)ref_org_valid(org);
    }
    for (org = 0; org < 2000ul; org++) {
        bad += hmsk_org_number_valid((uint32_t)org) != ref_org_valid(org);
        bad += hmsk_org_number_valid((uint32_t)(999999999ul - org)) != ref_org_valid(999999999ul - org);
    }
    bad += hmsk_org_number_valid(1000000000u) + hmsk_org_number_valid(0xFFFFFFFFu);
    CHECK(bad == 0 && valid > 0, "org number mod-11: %lu differ from the reference (%lu valid seen)", bad, valid);
}

/* The hot-list search (src/decide.c lower_bound) on lists it does not expect: for every entry and
 * its neighbours, hmsk_hotlist_hit against a linear scan. Shapes: uniform, clustered (dense runs
 * far apart), exponential, and runs of three equal card numbers of which only the first is hot for
 * issue 5 (so a search that lands inside a run must still return the run's first entry). Sizes
 * above and below HMSK_HOTLIST_INTERPOLATE_MIN reach both search paths. */
#define SEARCH_N 1500u
static hmsk_hot_entry search_entries[SEARCH_N];

static int linear_hit(const hmsk_hotlist *hl, uint64_t card, uint8_t issue)
{
    size_t i;
    for (i = 0; i < hl->count; i++)
        if (hl->entries[i].card_number == card &&
            (hl->entries[i].min_issue == HMSK_NO_MIN_ISSUE || issue < hl->entries[i].min_issue))
            return 1;
    return 0;
}

static void test_hotlist_search(void)
{
    unsigned shape, size_i, i, bad = 0, probes = 0;
    static const unsigned sizes[2] = {SEARCH_N, 40u};
    for (shape = 0; shape < 4u; shape++)
        for (size_i = 0; size_i < 2u; size_i++) {
            hmsk_hotlist hl;
            unsigned n = sizes[size_i];
            for (i = 0; i < n; i++) {
                hmsk_hot_entry *e = &search_entries[i];
                e->status = HMSK_HOT_LOST;
                e->min_issue = HMSK_NO_MIN_ISSUE;
                if (shape == 0u) e->card_number = 1000u + (uint64_t)i * 7919u;
                else if (shape == 1u) e->card_number = (uint64_t)(i / 100u) * 50000000000ull + i % 100u + 1u;
                else if (shape == 2u) e->card_number = (uint64_t)1u << (i * 39u / n) | i;
                else {
                    e->card_number = 1u + (uint64_t)(i / 3u) * 1000u;
                    e->min_issue = i % 3u == 0u ? 10u : 0u; /* first of the run: issue 5 is hot; the others: not */
                }
            }
            /* Sorted by construction except shape 2's low bits: sort by insertion (small n). */
            for (i = 1; i < n; i++) {
                hmsk_hot_entry x = search_entries[i];
                unsigned j = i;
                while (j > 0u && search_entries[j - 1u].card_number > x.card_number) {
                    search_entries[j] = search_entries[j - 1u];
                    j--;
                }
                search_entries[j] = x;
            }
            hl.entries = search_entries;
            hl.count = hl.capacity = n;
            hl.version = 0u;
            for (i = 0; i < n; i++) {
                uint64_t c = search_entries[i].card_number;
                bad += hmsk_hotlist_hit(&hl, c, 5u) != linear_hit(&hl, c, 5u);
                bad += hmsk_hotlist_hit(&hl, c + 1u, 5u) != linear_hit(&hl, c + 1u, 5u);
                bad += hmsk_hotlist_hit(&hl, c - 1u, 5u) != linear_hit(&hl, c - 1u, 5u);
                probes += 3u;
            }
            bad += hmsk_hotlist_hit(&hl, 0u, 5u) + hmsk_hotlist_hit(&hl, HMSK_MAX_CARD_NUMBER, 5u);
        }
    CHECK(bad == 0, "hot-list search: %u of %u lookups differ from a linear scan", bad, probes);
}

/* The policy's organisation list (spec section 7 step 5) at sizes the vectors do not reach: 900
 * valid organisation numbers, every third listed, lists of 1, 2, 3, 7, 64 and 300; a card is
 * allowed exactly when its organisation is among the listed ones (linear check). */
static void test_policy_orgs(void)
{
    static uint32_t cand[900], listed[300];
    static const unsigned sizes[6] = {1u, 2u, 3u, 7u, 64u, 300u};
    unsigned nc = 0, nl = 0, i, j, s, bad = 0, allowed = 0;
    uint32_t org;
    for (org = 974760000u; nc < 900u; org++)
        if (hmsk_org_number_valid(org)) cand[nc++] = org;
    for (i = 0; i < nc; i++)
        if (i % 3u == 1u) listed[nl++] = cand[i];
    for (s = 0; s < 6u; s++) {
        hmsk_policy p = {0u, listed, sizes[s]};
        for (i = 0; i < nc; i++) {
            hmsk_gate g = {HMSK_CATEGORY_CONSTRUCTION, 1u, 10408u, 0u, 123456u}; /* expiry 2028-06-30 */
            uint8_t block[HMSK_GATE_BLOCK_LEN];
            hmsk_decision d;
            int want = 0;
            g.org_number = cand[i];
            for (j = 0; j < sizes[s]; j++) want |= listed[j] == cand[i];
            if (hmsk_encode_gate(&g, block) != HMSK_OK) { bad++; continue; }
            /* 2027-01-01T12:00:00Z */
            bad += (hmsk_decide(block, sizeof block, 1798804800, NULL, &p, &d) == HMSK_REASON_OK) != want;
            allowed += (unsigned)want;
        }
    }
    CHECK(bad == 0 && allowed == 1u + 2u + 3u + 7u + 64u + 300u, "policy organisations: %u wrong decisions", bad);
}

static void test_decode_vectors(void)
{
    size_t i;
    char buf[32];
    for (i = 0; i < decode_vector_count; i++) {
        const struct decode_vector *v = &decode_vectors[i];
        hmsk_record r;
        const hmsk_gate *g = &r.gate;
        hmsk_err e = v->record ? hmsk_decode_record(v->input, v->input_len, &r) : hmsk_decode_gate(v->input, v->input_len, &r.gate);
        if (v->error) {
            CHECK(strcmp(hmsk_err_name(e), v->error) == 0, "%s: want %s, got %s", v->id, v->error, hmsk_err_name(e));
            continue;
        }
        CHECK(e == HMSK_OK, "%s: want success, got %s", v->id, hmsk_err_name(e));
        if (e != HMSK_OK) continue;
        CHECK(strcmp(category_name(g->category), v->category) == 0, "%s: category %s", v->id, category_name(g->category));
        sprintf(buf, "%llu", (unsigned long long)g->card_number);
        CHECK(strcmp(buf, v->card_number) == 0, "%s: cardNumber %s", v->id, buf);
        sprintf(buf, "%09lu", (unsigned long)g->org_number);
        CHECK(strcmp(buf, v->org_number) == 0, "%s: orgNumber %s", v->id, buf);
        iso(g->expiry_day + HMSK_DAYS_1970_TO_2000, buf);
        CHECK(strcmp(buf, v->expiry) == 0, "%s: expiry %s", v->id, buf);
        CHECK(v->issue < 0 || g->issue == v->issue, "%s: issue %u", v->id, g->issue);
        if (!v->record) continue;
        iso((int32_t)r.birth_day - HMSK_DAYS_1900_TO_1970, buf);
        CHECK(strcmp(buf, v->birth_date) == 0, "%s: birthDate %s", v->id, buf);
        CHECK(v->gender[0] == "XMF"[r.gender % 3], "%s: gender %u", v->id, r.gender);
        CHECK(same(v->given_name, (const char *)r.given_name, r.given_len), "%s: givenName", v->id);
        CHECK(same(v->family_name, (const char *)r.family_name, r.family_len), "%s: familyName", v->id);
        CHECK(same(v->org_name, (const char *)r.org_name, r.org_len), "%s: orgName", v->id);
        CHECK(((r.flags & HMSK_FLAG_SIGNED) != 0) == v->is_signed, "%s: signed", v->id);
        CHECK(((r.flags & HMSK_FLAG_TRUNCATED) != 0) == v->truncated, "%s: truncated", v->id);
    }
}

static int by_card(const void *a, const void *b)
{
    uint64_t x = ((const hmsk_hot_entry *)a)->card_number, y = ((const hmsk_hot_entry *)b)->card_number;
    return x < y ? -1 : x > y;
}

static void test_gate_vectors(void)
{
    size_t i, k;
    for (i = 0; i < gate_vector_count; i++) {
        const struct gate_vector *v = &gate_vectors[i];
        hmsk_hot_entry entries[16];
        hmsk_hotlist hl;
        hmsk_policy p;
        hmsk_decision d;
        hmsk_reason r;
        CHECK(v->hotlist_len <= 16, "%s: hot list too long for the test", v->id);
        if (v->hotlist_len > 16) continue;
        for (k = 0; k < v->hotlist_len; k++) {
            entries[k].card_number = v->hotlist[k].card_number;
            entries[k].min_issue = v->hotlist[k].min_issue;
            entries[k].status = v->hotlist[k].status;
        }
        qsort(entries, v->hotlist_len, sizeof entries[0], by_card); /* the API wants a sorted list */
        hl.entries = entries; hl.count = hl.capacity = v->hotlist_len; hl.version = 0;
        p.category_mask = v->category_mask; p.allowed_orgs = v->orgs; p.allowed_org_count = v->org_count;
        r = hmsk_decide(v->input, v->input_len, v->now, &hl, &p, &d);
        CHECK(r == d.reason && strcmp(hmsk_reason_name(r), v->reason) == 0, "%s: want %s, got %s", v->id, v->reason, hmsk_reason_name(r));
        CHECK(d.allow == v->allow, "%s: allow %u", v->id, d.allow);
        if (v->error)
            CHECK(strcmp(hmsk_err_name(d.error), v->error) == 0, "%s: error want %s got %s", v->id, v->error, hmsk_err_name(d.error));
    }
}

static void test_track_vectors(void)
{
    size_t i;
    char buf[32];
    for (i = 0; i < track_vector_count; i++) {
        const struct track_vector *v = &track_vectors[i];
        hmsk_track t;
        hmsk_err e = v->track == 2 ? hmsk_decode_track2(v->data, v->data_len, &t) : hmsk_decode_track1(v->data, v->data_len, &t);
        if (v->error) {
            CHECK(strcmp(hmsk_err_name(e), v->error) == 0, "%s: want %s, got %s", v->id, v->error, hmsk_err_name(e));
            continue;
        }
        CHECK(e == HMSK_OK, "%s: want success, got %s", v->id, hmsk_err_name(e));
        if (e != HMSK_OK) continue;
        sprintf(buf, "%09lu", (unsigned long)t.org_number);
        CHECK(strcmp(buf, v->org_number) == 0, "%s: orgNumber %s", v->id, buf);
        sprintf(buf, "%llu", (unsigned long long)t.card_number);
        CHECK(strcmp(buf, v->card_number) == 0, "%s: cardNumber %s", v->id, buf);
        iso(t.expiry_day + HMSK_DAYS_1970_TO_2000, buf);
        CHECK(strcmp(buf, v->expiry) == 0, "%s: expiry %s", v->id, buf);
        CHECK(strcmp(category_name(t.category), v->category) == 0, "%s: category", v->id);
        CHECK(v->issue < 0 || t.issue == v->issue, "%s: issue %u", v->id, t.issue);
        CHECK(v->name == NULL || same(v->name, t.name, t.name_len), "%s: name", v->id);
    }
}

static void test_calendar(void)
{
    int32_t d, y; unsigned m, dd;
    /* Unix time 946684800 = 2000-01-01T00:00:00Z (POSIX), so day 10957. */
    CHECK(hmsk_days_from_civil(2000, 1, 1) == 946684800 / 86400, "2000-01-01");
    CHECK(hmsk_days_from_civil(1900, 1, 1) == -HMSK_DAYS_1900_TO_1970, "1900-01-01");
    /* Section 1: the 16-bit birth-day field ends at 2079-06-06 = 1900-01-01 + 65535 days. */
    CHECK(hmsk_days_from_civil(2079, 6, 6) + HMSK_DAYS_1900_TO_1970 == 65535, "2079-06-06");
    CHECK(hmsk_days_from_civil(2000, 3, 1) - hmsk_days_from_civil(2000, 2, 28) == 2, "2000 is a leap year");
    CHECK(hmsk_days_from_civil(2100, 3, 1) - hmsk_days_from_civil(2100, 2, 28) == 1, "2100 is not");
    for (d = -30000; d < 80000; d += 7) {
        hmsk_civil_from_days(d, &y, &m, &dd);
        if (hmsk_days_from_civil(y, m, dd) != d) { CHECK(0, "round trip day %ld", (long)d); break; }
    }
    passed++;
    /* EU summer time 2026: 29 March and 25 October, at 01:00 UTC (Directive 2000/84/EC). */
    {
        int64_t mar = (int64_t)hmsk_days_from_civil(2026, 3, 29) * 86400 + 3600;
        int64_t oct = (int64_t)hmsk_days_from_civil(2026, 10, 25) * 86400 + 3600;
        CHECK(hmsk_oslo_offset(mar - 1) == 3600 && hmsk_oslo_offset(mar) == 7200, "CEST starts 2026-03-29 01:00Z");
        CHECK(hmsk_oslo_offset(oct - 1) == 7200 && hmsk_oslo_offset(oct) == 3600, "CEST ends 2026-10-25 01:00Z");
        /* 2024: 31 March and 27 October. */
        mar = (int64_t)hmsk_days_from_civil(2024, 3, 31) * 86400 + 3600;
        oct = (int64_t)hmsk_days_from_civil(2024, 10, 27) * 86400 + 3600;
        CHECK(hmsk_oslo_offset(mar - 1) == 3600 && hmsk_oslo_offset(mar) == 7200, "CEST starts 2024-03-31");
        CHECK(hmsk_oslo_offset(oct - 1) == 7200 && hmsk_oslo_offset(oct) == 3600, "CEST ends 2024-10-27");
        /* 23:00Z on 31 Dec is already 1 Jan in Oslo (CET). */
        CHECK(hmsk_oslo_day((int64_t)hmsk_days_from_civil(2025, 12, 31) * 86400 + 23 * 3600) == hmsk_days_from_civil(2026, 1, 1), "new year in Oslo");
        CHECK(hmsk_oslo_day(-1) == 0 && hmsk_oslo_day(-3601) == -1, "instants before 1970 floor correctly");
    }
}

static void test_hotlist(void)
{
    hmsk_hot_entry store[4];
    hmsk_hotlist hl = {0};
    hmsk_hot_entry e = {0};
    hl.entries = store; hl.capacity = 4;
    e.min_issue = HMSK_NO_MIN_ISSUE;
    e.card_number = 30; CHECK(hmsk_hotlist_put(&hl, &e) == HMSK_OK, "put 30");
    e.card_number = 10; CHECK(hmsk_hotlist_put(&hl, &e) == HMSK_OK, "put 10");
    e.card_number = 20; e.min_issue = 3; CHECK(hmsk_hotlist_put(&hl, &e) == HMSK_OK, "put 20");
    CHECK(hl.count == 3 && store[0].card_number == 10 && store[1].card_number == 20 && store[2].card_number == 30, "sorted");
    CHECK(hmsk_hotlist_hit(&hl, 20, 2) && !hmsk_hotlist_hit(&hl, 20, 3), "minIssue: issue below is hot, at or above passes");
    e.min_issue = HMSK_NO_MIN_ISSUE; CHECK(hmsk_hotlist_put(&hl, &e) == HMSK_OK && hl.count == 3, "put replaces");
    CHECK(hmsk_hotlist_hit(&hl, 20, 200), "replaced entry has no minIssue");
    e.card_number = 40; CHECK(hmsk_hotlist_put(&hl, &e) == HMSK_OK, "put 40");
    e.card_number = 50; CHECK(hmsk_hotlist_put(&hl, &e) == HMSK_E_NO_SPACE, "full");
    hmsk_hotlist_remove(&hl, 10);
    CHECK(hl.count == 3 && !hmsk_hotlist_hit(&hl, 10, 0) && hmsk_hotlist_hit(&hl, 40, 0), "remove");
}

static void test_tracks_by_hand(void)
{
    hmsk_track t;
    /* The spec's track 2 example with its LRC '2', then without, then with a wrong one. */
    const char *t2 = ";974760673=0000001234566=2806301000?2";
    CHECK(hmsk_decode_track2(t2, strlen(t2), &t) == HMSK_OK && t.card_number == 123456u && t.org_number == 974760673u, "track 2 example");
    CHECK(hmsk_decode_track2(t2, strlen(t2) - 1, &t) == HMSK_OK, "track 2 without LRC");
    CHECK(hmsk_decode_track2(";974760673=0000001234566=2806301000?3", 37, &t) == HMSK_E_BAD_LRC, "wrong LRC");
    CHECK(hmsk_decode_track2(";974760673=0000001234567=2806301000?", 36, &t) == HMSK_E_BAD_CHECK_DIGIT, "check digit");
    CHECK(hmsk_decode_track2(";974760673=0000001234566=2802301000?", 36, &t) == HMSK_E_BAD_FORMAT, "30 February");
    CHECK(hmsk_decode_track2(";974760673=0000001234566=2806301000?22", 38, &t) == HMSK_E_BAD_FORMAT, "two after end sentinel");
}

/* COBS bytes by hand (Cheshire & Baker): payload 11 22 00 33 + CRC hi lo (no zero in this CRC)
 * -> 03 11 22 | 04 33 hi lo | 00 delimiter. */
static void test_frames(void)
{
    const uint8_t payload[] = {0x11, 0x22, 0x00, 0x33};
    uint8_t frame[HMSK_FRAME_MAX(sizeof payload)];
    size_t n, i, len;
    uint16_t crc = hmsk_crc16(payload, 4);
    hmsk_bridge_rx rx;
    const uint8_t *got = NULL;
    CHECK(hmsk_frame_encode(payload, 4, frame, sizeof frame, &n) == HMSK_OK, "frame");
    if ((crc >> 8) != 0 && (crc & 0xFF) != 0) {
        const uint8_t want[] = {0x03, 0x11, 0x22, 0x04, 0x33, (uint8_t)(crc >> 8), (uint8_t)crc, 0x00};
        CHECK(n == sizeof want && memcmp(frame, want, n) == 0, "COBS bytes");
    }
    hmsk_bridge_rx_init(&rx);
    for (i = 0; i < n; i++) {
        hmsk_rx_result r = hmsk_bridge_rx_feed(&rx, frame[i], &got, &len);
        if (i + 1 < n) CHECK(r == HMSK_RX_MORE, "more at %u", (unsigned)i);
        else CHECK(r == HMSK_RX_FRAME && len == 4 && memcmp(got, payload, 4) == 0, "frame back");
    }
}

/* Noisy link: random messages, each byte corrupted or dropped with probability 1/40; every frame
 * the receiver accepts must be one that was sent, and every clean frame must come through. */
static void test_noise(void)
{
    uint32_t seed = 12345u;
    unsigned sent = 0, accepted = 0, wrong = 0, clean = 0, clean_ok = 0, k;
    int prev_touched = 0;
    hmsk_bridge_rx rx;
    hmsk_bridge_rx_init(&rx);
    for (k = 0; k < 3000; k++) {
        hmsk_msg m, d;
        uint8_t p[64], f[HMSK_FRAME_MAX(64)];
        size_t pn, fn, i, len;
        int touched = 0;
        memset(&m, 0, sizeof m);
        m.type = HMSK_MSG_CARD; m.seq = (uint8_t)k; m.u.card.uid_len = 7;
        for (i = 0; i < 7; i++) m.u.card.uid[i] = (uint8_t)((seed = seed * 1103515245u + 12345u) >> 16);
        for (i = 0; i < 16; i++) m.u.card.gate[i] = (uint8_t)((seed = seed * 1103515245u + 12345u) >> 16);
        if (hmsk_msg_encode(&m, p, sizeof p, &pn) != HMSK_OK || hmsk_frame_encode(p, pn, f, sizeof f, &fn) != HMSK_OK) { CHECK(0, "encode"); return; }
        sent++;
        for (i = 0; i < fn; i++) {
            const uint8_t *got; hmsk_rx_result r;
            unsigned roll = ((seed = seed * 1103515245u + 12345u) >> 16) % 40u;
            uint8_t b = f[i];
            if (roll == 0) { touched = 1; continue; }               /* dropped */
            if (roll == 1) { touched = 1; b ^= (uint8_t)(1u << (seed >> 28 & 7)); } /* one bit flipped */
            r = hmsk_bridge_rx_feed(&rx, b, &got, &len);
            if (r == HMSK_RX_FRAME) {
                accepted++;
                /* A frame whose CRC happens to match (2^-16 per damaged frame) must still fail
                 * the message checks; what counts is a message that decodes and differs. */
                if (hmsk_msg_decode(got, len, &d) == HMSK_OK && (len != pn || memcmp(got, p, pn) != 0)) wrong++;
                else if (!touched && !prev_touched) clean_ok++;
            }
        }
        /* Clean: this frame and the previous delimiter arrived intact (a lost delimiter merges
         * two frames, and the receiver rightly drops both). */
        if (!touched && !prev_touched) clean++;
        prev_touched = touched;
    }
    CHECK(wrong == 0, "noise: %u of %u accepted frames misdecoded", wrong, accepted);
    CHECK(clean_ok == clean, "noise: %u of %u clean frames lost (resync)", clean - clean_ok, clean);
    CHECK(rx.bad_frames > 0 && accepted < sent, "noise reached the receiver");
}

int main(void)
{
    test_crc();
    test_org_numbers();
    test_hotlist_search();
    test_policy_orgs();
    test_decode_vectors();
    test_gate_vectors();
    test_track_vectors();
    test_calendar();
    test_hotlist();
    test_tracks_by_hand();
    test_frames();
    test_noise();
    printf("vectors: %u decode, %u gate, %u track-decode (%u skipped by the generator)\n", (unsigned)decode_vector_count,
           (unsigned)gate_vector_count, (unsigned)track_vector_count, (unsigned)skipped_vector_count);
    printf("caller RAM: hmsk_bridge_rx %u bytes, hmsk_msg %u, hmsk_record %u, hmsk_hot_entry %u\n", (unsigned)sizeof(hmsk_bridge_rx),
           (unsigned)sizeof(hmsk_msg), (unsigned)sizeof(hmsk_record), (unsigned)sizeof(hmsk_hot_entry));
    printf("%u passed, %u failed\n", passed, failed);
    return failed ? 1 : 0;
}

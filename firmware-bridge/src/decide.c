/*
 * The gate decision, spec section 7: first match wins among invalid, voided, hotlisted,
 * category-not-allowed, org-not-allowed, expired, ok. The hot list and the allowed organisations
 * are caller-owned sorted arrays searched by bisection, so a 1 000 000-entry list costs about 20
 * comparisons (bench/cases/c.ts, decision-1m/c).
 */
#include "hmsk.h"

static const char *const reason_names[] = {"ok", "invalid", "voided", "hotlisted", "category-not-allowed",
                                           "org-not-allowed", "expired"};

const char *hmsk_reason_name(hmsk_reason r)
{
    unsigned i = (unsigned)r;
    return i < sizeof reason_names / sizeof reason_names[0] ? reason_names[i] : "unknown";
}

/* Index of the first entry with card_number >= key in [lo, hi] (hi when none before it). */
static size_t bisect(const hmsk_hot_entry *e, size_t lo, size_t hi, uint64_t key)
{
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2u;
        if (e[mid].card_number < key)
            lo = mid + 1u;
        else
            hi = mid;
    }
    return lo;
}

/* Index of the first entry with card_number >= key (count when none). A plain bisection of a
 * 1 000 000-entry list takes 20 probes, the last 8 or so each a cache miss (decision-1m/c 105 ns).
 * Card numbers are issued in sequence, so a hot list spreads over its range: one interpolation step
 * guesses the index, then a galloping search (Bentley and Yao, "An almost optimal algorithm for
 * unbounded searching", IPL 5(3), 1976) widens a window from the guess in steps 1, 2, 4... and
 * bisects it. On a spread list that is a few probes in one or two cache lines; on any list at all it
 * is at most about 2 log2(count) probes, and the result is the same (tests/test_main.c
 * test_hotlist_search: uniform, clustered, exponential and duplicate-run lists against a linear
 * scan). Lists under HMSK_HOTLIST_INTERPOLATE_MIN entries are bisected: there the 64-bit division
 * costs more than the probes it saves (on a Cortex-M3 it is a library call). Measured on
 * decision-1m/c, alternating builds on the loaded shared host: 88-108 ns against 115-153 ns. */
static size_t lower_bound(const hmsk_hotlist *hl, uint64_t key)
{
    const hmsk_hot_entry *e = hl->entries;
    size_t n = hl->count, g, bound;
    uint64_t first, span, off;
    if (n == 0u || key <= e[0].card_number)
        return 0u;
    if (key > e[n - 1u].card_number)
        return n;
    if (n < HMSK_HOTLIST_INTERPOLATE_MIN)
        return bisect(e, 0u, n, key);
    first = e[0].card_number;
    span = e[n - 1u].card_number - first; /* > 0: first < key <= last */
    off = key - first;
    /* guess = off / span * (n - 1), in integers: card numbers are 40-bit, so scale both to 24 bits
     * first and the product stays below 2^56 even for a list of 2^32 entries. */
    while (span >> 24) {
        span >>= 1;
        off >>= 1;
    }
    g = (size_t)(off * (uint64_t)(n - 1u) / (span ? span : 1u));
    if (g >= n)
        g = n - 1u;
    bound = 1u;
    if (e[g].card_number < key) { /* the answer is in (g, n] */
        while (bound < n - g && e[g + bound].card_number < key)
            bound *= 2u;
        return bisect(e, g + bound / 2u + 1u, bound < n - g ? g + bound : n, key);
    }
    while (bound <= g && e[g - bound].card_number >= key) /* the answer is in [0, g] */
        bound *= 2u;
    return bisect(e, bound <= g ? g - bound + 1u : 0u, g - bound / 2u, key);
}

int hmsk_hotlist_hit(const hmsk_hotlist *hl, uint64_t card, uint8_t issue)
{
    size_t i;
    if (hl == NULL || hl->entries == NULL)
        return 0;
    /* Every entry of this card number counts (a list may carry several, e.g. one per status). */
    for (i = lower_bound(hl, card); i < hl->count && hl->entries[i].card_number == card; i++) {
        const hmsk_hot_entry *e = &hl->entries[i];
        if (e->min_issue == HMSK_NO_MIN_ISSUE || issue < e->min_issue)
            return 1;
    }
    return 0;
}

hmsk_err hmsk_hotlist_put(hmsk_hotlist *hl, const hmsk_hot_entry *e)
{
    size_t i, k;
    if (hl == NULL || e == NULL || (hl->entries == NULL && hl->capacity != 0u))
        return HMSK_E_ARGUMENT;
    hmsk_hotlist_remove(hl, e->card_number);
    if (hl->count >= hl->capacity)
        return HMSK_E_NO_SPACE;
    i = lower_bound(hl, e->card_number);
    for (k = hl->count; k > i; k--)
        hl->entries[k] = hl->entries[k - 1u];
    hl->entries[i] = *e;
    hl->count++;
    return HMSK_OK;
}

void hmsk_hotlist_remove(hmsk_hotlist *hl, uint64_t card)
{
    size_t i, j, k;
    if (hl == NULL || hl->entries == NULL)
        return;
    i = lower_bound(hl, card);
    for (j = i; j < hl->count && hl->entries[j].card_number == card; j++) {
    }
    if (j == i)
        return;
    for (k = 0; j + k < hl->count; k++)
        hl->entries[i + k] = hl->entries[j + k];
    hl->count -= j - i;
}

/* Branch-free bisection (Khuong and Morin, "Array Layouts for Comparison-Based Searching", ACM JEA
 * 22, 2017, section 3.1): a site's list of a few thousand organisations stays in the cache, so the
 * cost is the comparisons, and a taken-or-not branch on random numbers is mispredicted half the
 * time; a conditional move is not. */
static int org_allowed(const hmsk_policy *p, uint32_t org)
{
    const uint32_t *base = p->allowed_orgs;
    size_t n = p->allowed_org_count;
    if (n == 0u)
        return 0;
    while (n > 1u) {
        size_t half = n / 2u;
        base = base[half] <= org ? base + half : base;
        n -= half;
    }
    return *base == org;
}

static hmsk_reason finish(hmsk_decision *out, hmsk_reason r)
{
    out->reason = r;
    out->allow = r == HMSK_REASON_OK;
    return r;
}

hmsk_reason hmsk_decide(const uint8_t *block, size_t len, int64_t now, const hmsk_hotlist *hl,
                        const hmsk_policy *p, hmsk_decision *out)
{
    hmsk_decision scratch;
    hmsk_gate *g;
    if (out == NULL)
        out = &scratch; /* the return value still carries the reason */
    g = &out->gate;
    out->error = block == NULL ? HMSK_E_ARGUMENT : hmsk_decode_gate(block, len, g);
    if (out->error != HMSK_OK)
        return finish(out, HMSK_REASON_INVALID);
    if (g->category == HMSK_CATEGORY_VOID)
        return finish(out, HMSK_REASON_VOIDED);
    if (hmsk_hotlist_hit(hl, g->card_number, g->issue))
        return finish(out, HMSK_REASON_HOTLISTED);
    if (p != NULL && (p->category_mask & HMSK_POLICY_CATEGORIES) != 0u && (p->category_mask & (1u << g->category)) == 0u)
        return finish(out, HMSK_REASON_CATEGORY_NOT_ALLOWED);
    if (p != NULL && p->allowed_orgs != NULL && !org_allowed(p, g->org_number))
        return finish(out, HMSK_REASON_ORG_NOT_ALLOWED);
    /* Expired when the Oslo date now is after the last valid day (expiry is inclusive). Oslo is 1
     * or 2 hours ahead of UTC, so its date is the UTC date or the next: only on the card's last
     * UTC day does the decision need the calendar (saves ~15 ns on every other tap). */
    {
        int64_t last = (int64_t)g->expiry_day + HMSK_DAYS_1970_TO_2000;
        int64_t utc_day = now / 86400 - (now % 86400 < 0);
        if (utc_day + 1 <= last)
            return finish(out, HMSK_REASON_OK);
        if (utc_day > last || hmsk_oslo_day(now) > last)
            return finish(out, HMSK_REASON_EXPIRED);
    }
    return finish(out, HMSK_REASON_OK);
}

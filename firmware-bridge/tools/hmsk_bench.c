/*
 * hmsk_bench: ns/op of the C decoder on the inputs bench/cases/c.ts gives it (the same 64 records
 * the TypeScript rows gate-block/fast and record/fast decode), timed like bench/harness.ts: warm up,
 * batches of about 0.2 ms, median and 99th percentile of the per-op time over about 1 s. Every
 * result is checked against the expected values on stdin before and after timing.
 *
 * stdin:  record HEX CARDNUMBER              (64 lines: the decode rows' records)
 *         gate HEX REASON                 (4096 lines: decision-1m/fast's gate blocks, REASON =
 *                                          TypeScript's reference decision, decideGate)
 *         hot CARDNUMBER MINISSUE         (its 1 000 512 hot-list entries; MINISSUE -1: none)
 *         org N                           (its policy's allowed organisations)
 *         categories MASK                 (hmsk_policy.category_mask)
 *         now UNIX_SECONDS
 * stdout: one JSON object a line: {"name":"gate-block/c","medianNs":..,"p99Ns":..,"ops":..}
 * The decision row cycles through the 4096 gate blocks like its TypeScript twin, so its hot-list
 * lookups miss the caches as often.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "hmsk.h"

#define N 64
#define NG 4096
#define MAX_ORGS 4096
static uint8_t records[N][HMSK_RECORD_LEN];
static unsigned long long cards[N];
static unsigned n;
static uint8_t gates[NG][HMSK_GATE_BLOCK_LEN];
static char reasons[NG][32];
static unsigned ng;
static uint32_t orgs[MAX_ORGS];
static hmsk_policy policy;
static hmsk_hotlist hl;
static int64_t now;
static volatile uint64_t sink;

static double seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static int cmp_entry(const void *a, const void *b)
{
    uint64_t x = ((const hmsk_hot_entry *)a)->card_number, y = ((const hmsk_hot_entry *)b)->card_number;
    return x < y ? -1 : x > y;
}
static int cmp_org(const void *a, const void *b)
{
    uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
    return x < y ? -1 : x > y;
}
static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

typedef uint64_t (*op_fn)(unsigned i);

static uint64_t op_gate(unsigned i)
{
    hmsk_gate g;
    if (hmsk_decode_gate(records[i], 16, &g) != HMSK_OK) return 0;
    return g.card_number;
}
static uint64_t op_record(unsigned i)
{
    hmsk_record r;
    if (hmsk_decode_record(records[i], HMSK_RECORD_LEN, &r) != HMSK_OK) return 0;
    return r.gate.card_number + r.given_len;
}
static uint64_t op_decide(unsigned i)
{
    hmsk_decision d;
    return (uint64_t)hmsk_decide(gates[i], 16, now, &hl, &policy, &d);
}

static void check(const char *name)
{
    unsigned i;
    for (i = 0; i < n; i++) {
        hmsk_gate g;
        hmsk_record r;
        if (hmsk_decode_gate(records[i], 16, &g) != HMSK_OK || g.card_number != cards[i] ||
            hmsk_decode_record(records[i], HMSK_RECORD_LEN, &r) != HMSK_OK || r.gate.card_number != cards[i]) {
            fprintf(stderr, "%s: decode check failed on record %u\n", name, i);
            exit(1);
        }
    }
    for (i = 0; i < ng; i++) {
        hmsk_decision d;
        if (strcmp(hmsk_reason_name(hmsk_decide(gates[i], 16, now, &hl, &policy, &d)), reasons[i]) != 0) {
            fprintf(stderr, "%s: decision check failed on gate block %u: want %s\n", name, i, reasons[i]);
            exit(1);
        }
    }
}

static void run(const char *name, op_fn f, unsigned inputs)
{
    static double per[100000];
    unsigned k = 0, batch = 1, i = 0, j;
    size_t samples = 0;
    unsigned long long ops = 0;
    double t, end;
    check(name);
    end = seconds() + 0.3; /* warm up and size the batch */
    while (seconds() < end) {
        t = seconds();
        for (j = 0; j < batch; j++) sink += f(k++ & (inputs - 1u));
        if (seconds() - t < 0.0002 && batch < (1u << 24)) batch *= 2;
    }
    end = seconds() + 1.0;
    while ((seconds() < end || samples < 20) && samples < sizeof per / sizeof per[0]) {
        t = seconds();
        for (j = 0; j < batch; j++) sink += f(k++ & (inputs - 1u));
        per[samples++] = (seconds() - t) * 1e9 / batch;
        ops += batch;
    }
    check(name);
    qsort(per, samples, sizeof per[0], cmp_double);
    i = (unsigned)((samples * 99 + 99) / 100) - 1;
    printf("{\"name\":\"%s\",\"medianNs\":%.1f,\"p99Ns\":%.1f,\"ops\":%llu}\n", name, per[(samples + 1) / 2 - 1], per[i], ops);
    fflush(stdout);
}

static int hex_bytes(const char *hex, uint8_t *out, size_t len)
{
    size_t i;
    if (strlen(hex) != 2 * len) return 0;
    for (i = 0; i < len; i++) {
        unsigned v;
        if (sscanf(hex + 2 * i, "%2x", &v) != 1) return 0;
        out[i] = (uint8_t)v;
    }
    return 1;
}

int main(void)
{
    char line[512], hex[400], reason[32];
    unsigned long long card;
    long min_issue, org;
    unsigned mask;
    size_t cap = 0, n_org = 0;
    /* The host allocates the list; the library itself never does. */
    while (fgets(line, sizeof line, stdin)) {
        if (sscanf(line, "record %399s %llu", hex, &card) == 2 && n < N && hex_bytes(hex, records[n], HMSK_RECORD_LEN)) {
            cards[n++] = card;
        } else if (sscanf(line, "gate %399s %31s", hex, reason) == 2 && ng < NG && hex_bytes(hex, gates[ng], 16)) {
            strcpy(reasons[ng++], reason);
        } else if (sscanf(line, "hot %llu %ld", &card, &min_issue) == 2) {
            if (hl.count == cap) {
                cap = cap ? 2 * cap : 1u << 20;
                hl.entries = realloc(hl.entries, cap * sizeof *hl.entries);
                if (!hl.entries) return 1;
            }
            hl.entries[hl.count].card_number = card;
            hl.entries[hl.count].min_issue = min_issue < 0 ? HMSK_NO_MIN_ISSUE : (uint16_t)min_issue;
            hl.entries[hl.count++].status = HMSK_HOT_LOST;
        } else if (sscanf(line, "org %ld", &org) == 1 && n_org < MAX_ORGS) {
            orgs[n_org++] = (uint32_t)org;
        } else if (sscanf(line, "categories %u", &mask) == 1) {
            policy.category_mask = (uint8_t)mask;
        } else if (sscanf(line, "now %lld", (long long *)&now) == 1) {
        }
    }
    if (n != N || ng != NG) { fprintf(stderr, "want %d records and %d gate blocks, got %u and %u\n", N, NG, n, ng); return 1; }
    hl.capacity = hl.count;
    qsort(hl.entries, hl.count, sizeof *hl.entries, cmp_entry);
    qsort(orgs, n_org, sizeof orgs[0], cmp_org);
    policy.allowed_orgs = orgs;
    policy.allowed_org_count = n_org;
    run("gate-block/c", op_gate, N);
    run("record/c", op_record, N);
    run("decision-1m/c", op_decide, NG);
    free(hl.entries);
    return 0;
}

/*
 * hmsk_bench: ns/op of the C decoder on the inputs bench/cases/c.ts gives it (the same 64 records
 * the TypeScript rows gate-block/fast and record/fast decode), timed like bench/harness.ts: warm up,
 * batches of about 0.2 ms, median and 99th percentile of the per-op time over about 1 s. Every
 * result is checked against the expected values on stdin before and after timing.
 *
 * stdin:  record HEX CARDNUMBER REASON    (64 lines; REASON = TypeScript's decision at NOW)
 *         now UNIX_SECONDS
 *         hot N                           (hot list: 1 + i*999983 for i < N, plus every 8th card)
 * stdout: one JSON object a line: {"name":"gate-block/c","medianNs":..,"p99Ns":..,"ops":..}
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "hmsk.h"

#define N 64
static uint8_t records[N][HMSK_RECORD_LEN];
static unsigned long long cards[N];
static char reasons[N][32];
static unsigned n;
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
    return (uint64_t)hmsk_decide(records[i], 16, now, &hl, NULL, &d);
}

static void check(const char *name)
{
    unsigned i;
    for (i = 0; i < n; i++) {
        hmsk_gate g;
        hmsk_record r;
        hmsk_decision d;
        hmsk_reason why = hmsk_decide(records[i], 16, now, &hl, NULL, &d);
        if (hmsk_decode_gate(records[i], 16, &g) != HMSK_OK || g.card_number != cards[i] ||
            hmsk_decode_record(records[i], HMSK_RECORD_LEN, &r) != HMSK_OK || r.gate.card_number != cards[i] ||
            strcmp(hmsk_reason_name(why), reasons[i]) != 0) {
            fprintf(stderr, "%s: check failed on input %u\n", name, i);
            exit(1);
        }
    }
}

static void run(const char *name, op_fn f)
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
        for (j = 0; j < batch; j++) sink += f(k++ & (N - 1));
        if (seconds() - t < 0.0002 && batch < (1u << 24)) batch *= 2;
    }
    end = seconds() + 1.0;
    while ((seconds() < end || samples < 20) && samples < sizeof per / sizeof per[0]) {
        t = seconds();
        for (j = 0; j < batch; j++) sink += f(k++ & (N - 1));
        per[samples++] = (seconds() - t) * 1e9 / batch;
        ops += batch;
    }
    check(name);
    qsort(per, samples, sizeof per[0], cmp_double);
    i = (unsigned)((samples * 99 + 99) / 100) - 1;
    printf("{\"name\":\"%s\",\"medianNs\":%.1f,\"p99Ns\":%.1f,\"ops\":%llu}\n", name, per[(samples + 1) / 2 - 1], per[i], ops);
    fflush(stdout);
}

int main(void)
{
    char line[512], hex[400];
    unsigned long hot_n = 0, i;
    while (fgets(line, sizeof line, stdin)) {
        unsigned long long card;
        char reason[32];
        if (sscanf(line, "record %399s %llu %31s", hex, &card, reason) == 3 && n < N && strlen(hex) == 2 * HMSK_RECORD_LEN) {
            for (i = 0; i < HMSK_RECORD_LEN; i++) {
                unsigned v;
                if (sscanf(hex + 2 * i, "%2x", &v) != 1) return 1;
                records[n][i] = (uint8_t)v;
            }
            cards[n] = card;
            strcpy(reasons[n], reason);
            n++;
        } else if (sscanf(line, "now %lld", (long long *)&now) == 1) {
        } else if (sscanf(line, "hot %lu", &hot_n) == 1) {
        }
    }
    if (n != N) { fprintf(stderr, "want %d records, got %u\n", N, n); return 1; }
    /* The host allocates the list; the library itself never does. */
    hl.entries = malloc((hot_n + N) * sizeof *hl.entries);
    if (!hl.entries) return 1;
    for (i = 0; i < hot_n; i++) {
        hl.entries[i].card_number = 1u + (uint64_t)i * 999983u;
        hl.entries[i].min_issue = HMSK_NO_MIN_ISSUE;
        hl.entries[i].status = HMSK_HOT_LOST;
    }
    for (i = 0; i < N; i += 8) {
        hl.entries[hot_n].card_number = cards[i];
        hl.entries[hot_n].min_issue = HMSK_NO_MIN_ISSUE;
        hl.entries[hot_n++].status = HMSK_HOT_STOLEN;
    }
    hl.count = hl.capacity = hot_n;
    qsort(hl.entries, hl.count, sizeof *hl.entries, cmp_entry);
    run("gate-block/c", op_gate);
    run("record/c", op_record);
    run("decision-1m/c", op_decide);
    free(hl.entries);
    return 0;
}

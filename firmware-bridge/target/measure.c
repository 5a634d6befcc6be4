/*
 * main of the Cortex-M test image: the whole C suite (tests/test_main.c, built with
 * -Dmain=hmsk_test_main) over every shared vector, then figures measured on the target itself:
 *   - stack: the deepest the suite went (painted by startup.c), and per public decode function
 *     the bytes it used below its caller (paint, call, find the lowest overwritten byte);
 *   - instructions per call: SysTick counts the CPU clock (ARMv7-M ARM, B3.3 "The system timer");
 *     run under QEMU with -icount shift=0 the virtual clock advances exactly 1 ns per guest
 *     instruction, and mps2-an385's CPU clock is 25 MHz (QEMU hw/arm/mps2.c), so one tick is 40
 *     instructions. The scale is checked on a loop of known length before it is used; each figure
 *     is the mean over many calls minus the same loop calling an empty function.
 * Output: readable lines, then one line "HMSK_TARGET {json}" that the Makefile writes to
 * build/target/figures.json.
 */
#include <stdint.h>
#include <stdio.h>

#include "hmsk.h"
#include "target.h"
#include "vectors.h"

int hmsk_test_main(void);

#define SYST_CSR (*(volatile uint32_t *)0xE000E010u)
#define SYST_RVR (*(volatile uint32_t *)0xE000E014u)
#define SYST_CVR (*(volatile uint32_t *)0xE000E018u)
#define SYST_ENABLE_CPUCLK 5u /* ENABLE | CLKSOURCE (processor clock), no interrupt */
#define CALLS 1000u
#define HOT_N 1024u
#define WINDOW 2048u

extern uint8_t __stack_bottom[], __stack_top[];
static const uint8_t *gate_blocks[64], *records[64];
static unsigned n_gate, n_record;
static hmsk_hot_entry hot_entries[HOT_N];
static hmsk_hotlist hot = {hot_entries, HOT_N, HOT_N, 0u};
static volatile uint32_t sink;

static uint32_t op_nothing(unsigned i) { return i; }
static uint32_t op_gate(unsigned i)
{
    hmsk_gate g;
    return (uint32_t)hmsk_decode_gate(gate_blocks[i % n_gate], HMSK_GATE_BLOCK_LEN, &g) + g.issue;
}
static uint32_t op_record(unsigned i)
{
    hmsk_record r;
    return (uint32_t)hmsk_decode_record(records[i % n_record], HMSK_RECORD_LEN, &r) + r.given_len;
}
static uint32_t op_decide(unsigned i)
{
    hmsk_decision d;
    return (uint32_t)hmsk_decide(gate_blocks[i % n_gate], HMSK_GATE_BLOCK_LEN, 1798804800, &hot, NULL, &d);
}
typedef uint32_t (*op_fn)(unsigned);
static op_fn volatile ops[4] = {op_nothing, op_gate, op_record, op_decide};

static uint32_t ticks_of(unsigned which, unsigned calls)
{
    uint32_t start, end;
    unsigned i;
    op_fn f = ops[which];
    SYST_RVR = 0xFFFFFFu;
    SYST_CVR = 0u;
    SYST_CSR = SYST_ENABLE_CPUCLK;
    start = SYST_CVR;
    for (i = 0; i < calls; i++)
        sink += f(i);
    end = SYST_CVR;
    SYST_CSR = 0u;
    return (start - end) & 0xFFFFFFu; /* SysTick counts down, 24 bits */
}

/* A loop of exactly 2 instructions per turn (subs, bne), 100 000 turns. */
static uint32_t ticks_of_known_loop(void)
{
    uint32_t start, end, n = 100000u;
    SYST_RVR = 0xFFFFFFu;
    SYST_CVR = 0u;
    SYST_CSR = SYST_ENABLE_CPUCLK;
    start = SYST_CVR;
    __asm__ volatile("1: subs %0, %0, #1\n bne 1b" : "+r"(n) : : "cc");
    end = SYST_CVR;
    SYST_CSR = 0u;
    return (start - end) & 0xFFFFFFu;
}

/* Bytes of stack one call of ops[which] used below this function's frame. */
static __attribute__((noinline)) unsigned stack_of(unsigned which)
{
    uint8_t *sp, *p;
    __asm__ volatile("mov %0, sp" : "=r"(sp));
    paint_stack(sp - WINDOW, sp);
    sink += ops[which](0);
    for (p = sp - WINDOW; p < sp && *p == STACK_PAINT; p++) {
    }
    return (unsigned)(sp - p);
}

int main(void)
{
    int failed = hmsk_test_main();
    uint8_t *p;
    unsigned i, suite_stack, st[4];
    uint32_t known, t[4];
    double per_tick, insn[4];
    for (p = __stack_bottom; p < __stack_top && *p == STACK_PAINT; p++) {
    }
    suite_stack = (unsigned)(__stack_top - p);
    for (i = 0; i < decode_vector_count; i++) {
        const struct decode_vector *v = &decode_vectors[i];
        if (v->error == NULL && v->record && n_record < 64u) records[n_record++] = v->input;
        if (v->error == NULL && v->input_len >= HMSK_GATE_BLOCK_LEN && n_gate < 64u) gate_blocks[n_gate++] = v->input;
    }
    if (n_gate == 0u || n_record == 0u) {
        printf("target: no valid gate block or record among the vectors\n");
        return 1;
    }
    /* Hot list: 1 + i * 999983 (as bench/cases/c.ts), none of the vectors' cards. */
    for (i = 0; i < HOT_N; i++) {
        hot_entries[i].card_number = 1u + (uint64_t)i * 999983u;
        hot_entries[i].min_issue = HMSK_NO_MIN_ISSUE;
        hot_entries[i].status = HMSK_HOT_LOST;
    }
    known = ticks_of_known_loop();
    per_tick = 200000.0 / known; /* instructions per tick, 40 expected */
    for (i = 0; i < 4u; i++) {
        t[i] = ticks_of(i, CALLS);
        st[i] = stack_of(i);
    }
    for (i = 1; i < 4u; i++)
        insn[i] = (double)(t[i] - t[0]) * per_tick / CALLS;
    printf("target: scale check: 200000 instructions = %lu ticks (%.2f instructions a tick)\n", (unsigned long)known, per_tick);
    printf("target: instructions per call (mean of %u, loop subtracted): gate-block %.1f, record %.1f, decision (%u-entry hot list) %.1f\n",
           CALLS, insn[1], insn[2], HOT_N, insn[3]);
    printf("target: stack below the caller: hmsk_decode_gate %u, hmsk_decode_record %u, hmsk_decide %u bytes (empty call %u); whole suite %u bytes\n",
           st[1] - st[0], st[2] - st[0], st[3] - st[0], st[0], suite_stack);
    printf("HMSK_TARGET {\"suiteFailed\":%d,\"gateVectors\":%u,\"recordVectors\":%u,\"instructionsPerTick\":%.2f,"
           "\"instructions\":{\"gateBlock\":%.1f,\"record\":%.1f,\"decision%u\":%.1f},"
           "\"stackBytes\":{\"hmsk_decode_gate\":%u,\"hmsk_decode_record\":%u,\"hmsk_decide\":%u,\"wholeSuite\":%u}}\n",
           failed, n_gate, n_record, per_tick, insn[1], insn[2], HOT_N, insn[3], st[1] - st[0], st[2] - st[0], st[3] - st[0], suite_stack);
    fflush(stdout);
    return failed;
}

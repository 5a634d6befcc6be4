/*
 * The smallest gate firmware: decode one gate block and decide on it against a hot list, as a
 * gate's main loop would, and nothing else (no stdio, no test code). Its image size is the flash
 * and RAM a gate pays for the decoder (Makefile target `target-size`, one image per
 * HMSK_CRC_TABLES mode). Run under QEMU it checks the decision, so the figure is of working code.
 */
#include "hmsk.h"

/* Construction card 123456 of org 974760673, expiry day 10408 (2028-06-30), issue 1, CRC-16
 * 0xEFAC (computed outside the library from the spec section 2 layout). */
static const uint8_t card[HMSK_GATE_BLOCK_LEN] = {0x48, 0x11, 0x00, 0x00, 0x01, 0xE2, 0x40, 0x3A,
                                                  0x19, 0xAA, 0xE1, 0x28, 0xA8, 0x01, 0xEF, 0xAC};
static hmsk_hot_entry entries[8] = {{123456u, HMSK_NO_MIN_ISSUE, HMSK_HOT_STOLEN}};
static hmsk_hotlist hot = {entries, 1u, 8u, 0u};

int main(void)
{
    hmsk_decision d;
    /* 2027-01-01T12:00:00Z: listed -> hotlisted; after removal -> ok. */
    if (hmsk_decide(card, sizeof card, 1798804800, &hot, NULL, &d) != HMSK_REASON_HOTLISTED)
        return 1;
    hmsk_hotlist_remove(&hot, 123456u);
    return hmsk_decide(card, sizeof card, 1798804800, &hot, NULL, &d) == HMSK_REASON_OK && d.gate.issue == 1u ? 0 : 1;
}

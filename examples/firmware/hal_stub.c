/*
 * A PC stand-in for hal.h so the sketch builds and runs on this machine: the "card" is the spec's
 * example (UID 04 A1 B2 C3, gate block of shared/spec/examples.json), the clock is simulated, and
 * the UART is looped to a tiny in-process host that answers every card message with "allow".
 * main() runs the sketch for a few simulated seconds and checks that the gate opened, once online
 * and once offline. Host-only code: stdio is fine here.
 */
#include <stdio.h>
#include <string.h>

#include "hal.h"
#include "hmsk.h"

void gate_init(void);
void gate_loop(void);

static uint32_t clock_ms;
static int card_in_field, host_online = 1, opened, denied;
static uint8_t to_reader[256];
static size_t to_reader_len, to_reader_pos;
static hmsk_bridge_rx host_rx;

static const uint8_t example_uid[4] = {0x04, 0xA1, 0xB2, 0xC3};
static const uint8_t example_gate[16] = {0x48, 0x11, 0x00, 0x00, 0x01, 0xE2, 0x40, 0x3A,
                                         0x19, 0xAA, 0xE1, 0x28, 0xA8, 0x00, 0xFF, 0x8D};

uint32_t hal_millis(void) { return clock_ms; }
int64_t hal_utc_seconds(void) { return 1798761600; /* 2027-01-01T00:00:00Z: before the 2028-06-30 expiry */ }

/* The simulated host: decodes frames from the reader and answers card messages. */
void hal_uart_write(const uint8_t *data, size_t len)
{
    size_t i;
    for (i = 0; i < len; i++) {
        const uint8_t *p;
        size_t n;
        hmsk_msg m, reply;
        if (hmsk_bridge_rx_feed(&host_rx, data[i], &p, &n) != HMSK_RX_FRAME || hmsk_msg_decode(p, n, &m) != HMSK_OK)
            continue;
        if (m.type == HMSK_MSG_HEARTBEAT || !host_online || m.type != HMSK_MSG_CARD)
            continue;
        memset(&reply, 0, sizeof reply);
        reply.type = HMSK_MSG_DECISION;
        reply.seq = m.seq;
        reply.u.decision.allow = 1;
        {
            uint8_t pl[16], fr[HMSK_FRAME_MAX(16)];
            size_t pn, fn;
            if (hmsk_msg_encode(&reply, pl, sizeof pl, &pn) == HMSK_OK && hmsk_frame_encode(pl, pn, fr, sizeof fr, &fn) == HMSK_OK &&
                to_reader_len + fn <= sizeof to_reader) {
                memcpy(to_reader + to_reader_len, fr, fn);
                to_reader_len += fn;
            }
        }
    }
}

int hal_uart_read(uint8_t *byte)
{
    if (to_reader_pos == to_reader_len) { to_reader_pos = to_reader_len = 0; return 0; }
    *byte = to_reader[to_reader_pos++];
    return 1;
}

int rc522_select(uint8_t uid[10], uint8_t *uid_len)
{
    if (!card_in_field) return 0;
    memcpy(uid, example_uid, 4);
    *uid_len = 4;
    card_in_field = 0; /* one tap */
    return 1;
}
int rc522_auth_key_a(uint8_t block, const uint8_t key[6], const uint8_t *uid, uint8_t uid_len)
{
    (void)key; (void)uid; (void)uid_len;
    return block == 4;
}
int rc522_read_block(uint8_t block, uint8_t out[16])
{
    if (block != 4) return 0;
    memcpy(out, example_gate, 16);
    return 1;
}
void rc522_halt(void) {}
int hal_derive_key_a(const uint8_t *uid, uint8_t uid_len, uint8_t sector, uint8_t key[6])
{
    (void)uid; (void)uid_len; (void)sector;
    memset(key, 0xA5, 6); /* a secure element computes the real KDF */
    return 1;
}
void hal_gate_open(uint32_t ms) { opened++; printf("t=%5lu ms: gate open for %lu ms\n", (unsigned long)clock_ms, (unsigned long)ms); }
void hal_signal_deny(uint8_t reason) { denied++; printf("t=%5lu ms: deny (%s)\n", (unsigned long)clock_ms, hmsk_reason_name((hmsk_reason)reason)); }

int main(void)
{
    hmsk_bridge_rx_init(&host_rx);
    gate_init();
    for (clock_ms = 0; clock_ms < 8000; clock_ms += 10) {
        if (clock_ms == 500) card_in_field = 1;                        /* online: the host answers */
        if (clock_ms == 1000) host_online = 0;                          /* host goes silent */
        if (clock_ms == 1500) card_in_field = 1;                        /* times out -> offline decision */
        if (clock_ms == 7000) card_in_field = 1;                        /* host silent > 3 s: offline at once */
        gate_loop();
    }
    printf("opened %d times, denied %d times\n", opened, denied);
    return opened == 3 && denied == 0 ? 0 : 1;
}

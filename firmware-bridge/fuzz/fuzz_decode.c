/*
 * libFuzzer target (clang -fsanitize=fuzzer,address,undefined): every decoder on arbitrary bytes.
 * Asserts the invariants a caller relies on: a decoded gate block re-encodes to the same 16 bytes;
 * record texts lie inside the record; a frame the receiver accepts decodes as a message or is
 * rejected with an error, never read out of bounds; the bridge message encoder round-trips.
 */
#include <stdlib.h>
#include <string.h>

#include "hmsk.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    hmsk_gate g;
    hmsk_record r;
    hmsk_track t;
    hmsk_decision d;
    hmsk_bridge_rx rx;
    hmsk_msg m, m2;
    uint8_t again[16], p[HMSK_BRIDGE_MAX_PAYLOAD], f[HMSK_FRAME_MAX(HMSK_BRIDGE_MAX_PAYLOAD)];
    size_t i, n, fn;
    hmsk_hot_entry hot[2] = {{123456u, HMSK_NO_MIN_ISSUE, 1}, {999999999999u, 3, 2}};
    hmsk_hotlist hl = {0};
    hmsk_policy pol = {0};
    const uint32_t orgs[1] = {974760673u};
    hl.entries = hot; hl.count = hl.capacity = 2;
    pol.category_mask = HMSK_POLICY_CATEGORIES | (1u << HMSK_CATEGORY_CONSTRUCTION);
    pol.allowed_orgs = orgs; pol.allowed_org_count = 1;

    if (size >= 16 && hmsk_decode_gate(data, 16, &g) == HMSK_OK) {
        if (hmsk_encode_gate(&g, again) != HMSK_OK || memcmp(again, data, 16) != 0)
            abort();
    }
    if (hmsk_decode_gate(data, size, &g) == HMSK_OK && size != 16)
        abort();
    if (hmsk_decode_record(data, size, &r) == HMSK_OK) {
        if (r.org_name + r.org_len > data + 140 || r.given_name != data + 24)
            abort();
    }
    if (size >= 16) {
        int64_t now = 0;
        for (i = 0; i < 8 && 16 + i < size; i++) now = (int64_t)((uint64_t)now << 8 | data[16 + i]);
        now %= 1000000000000LL; /* +-31 700 years keeps the day arithmetic in range */
        if (hmsk_decide(data, 16, now, &hl, &pol, &d) == HMSK_REASON_OK && !d.allow)
            abort();
    }
    if (hmsk_decode_track1((const char *)data, size, &t) == HMSK_OK && (t.name < (const char *)data || t.name + t.name_len > (const char *)data + size))
        abort();
    if (hmsk_decode_track2((const char *)data, size, &t) == HMSK_OK && t.category != 1 && t.category != 2)
        abort();

    hmsk_bridge_rx_init(&rx);
    for (i = 0; i < size; i++) {
        const uint8_t *pl;
        size_t len;
        if (hmsk_bridge_rx_feed(&rx, data[i], &pl, &len) == HMSK_RX_FRAME && hmsk_msg_decode(pl, len, &m) == HMSK_OK) {
            /* A message that decodes re-encodes to the same payload. */
            if (hmsk_msg_encode(&m, p, sizeof p, &n) != HMSK_OK || n != len || memcmp(p, pl, n) != 0)
                abort();
            if (hmsk_frame_encode(p, n, f, sizeof f, &fn) != HMSK_OK)
                abort();
            /* ...and the frame comes back through a fresh receiver as the same message. */
            {
                hmsk_bridge_rx rx2;
                const uint8_t *pl2;
                size_t len2, k;
                int got = 0;
                hmsk_bridge_rx_init(&rx2);
                for (k = 0; k < fn; k++)
                    if (hmsk_bridge_rx_feed(&rx2, f[k], &pl2, &len2) == HMSK_RX_FRAME)
                        got = hmsk_msg_decode(pl2, len2, &m2) == HMSK_OK && len2 == n && memcmp(pl2, p, n) == 0;
                if (!got)
                    abort();
            }
        }
    }
    return 0;
}

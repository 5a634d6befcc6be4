/*
 * A gate reader sketch on an MFRC522: reads block 4 (the gate block, spec section 3) of an HMS
 * card, asks the host over the serial bridge (firmware-bridge/PROTOCOL.md) and opens the gate on
 * its decision; decides offline with hmsk_decide on its own hot list when the host is silent.
 * Uses only hmsk.h and hal.h: no malloc, no stdio, static buffers sized at compile time.
 */
#include "hal.h"
#include "hmsk.h"

#define HOST_TIMEOUT_MS 300u  /* PROTOCOL.md: a card without a decision is decided offline */
#define HOST_SILENT_MS 3000u  /* no heartbeat for this long: offline mode */
#define HOT_CAPACITY 512u

static hmsk_hot_entry hot_store[HOT_CAPACITY];
static hmsk_hotlist hotlist = {hot_store, 0, HOT_CAPACITY, 0};
static hmsk_bridge_rx rx;
static uint8_t tx_seq;
static uint32_t last_host_ms, last_heartbeat_ms;
static struct { uint8_t pending, seq, got, allow, reason, block[16]; uint32_t since; } waiting;

static void send(const hmsk_msg *m)
{
    uint8_t payload[HMSK_BRIDGE_MAX_PAYLOAD], frame[HMSK_FRAME_MAX(HMSK_BRIDGE_MAX_PAYLOAD)];
    size_t pn, fn;
    if (hmsk_msg_encode(m, payload, sizeof payload, &pn) == HMSK_OK &&
        hmsk_frame_encode(payload, pn, frame, sizeof frame, &fn) == HMSK_OK)
        hal_uart_write(frame, fn);
}

static void send_heartbeat(void)
{
    hmsk_msg m = {0};
    m.type = HMSK_MSG_HEARTBEAT;
    m.seq = tx_seq++;
    m.u.heartbeat.uptime_ms = hal_millis();
    m.u.heartbeat.hotlist_version = hotlist.version;
    m.u.heartbeat.hotlist_count = (uint16_t)hotlist.count;
    m.u.heartbeat.bad_frames = (uint16_t)rx.bad_frames;
    send(&m);
}

static void on_message(const hmsk_msg *m)
{
    last_host_ms = hal_millis();
    if (m->type == HMSK_MSG_DECISION && waiting.pending && m->seq == waiting.seq) {
        waiting.got = 1;
        waiting.allow = m->u.decision.allow;
        waiting.reason = m->u.decision.reason;
    } else if (m->type == HMSK_MSG_HOTLIST) {
        if (m->u.hotlist.version == hotlist.version + 1u) {
            if (hmsk_hotlist_apply(&hotlist, m) != HMSK_OK) {
                hmsk_msg e = {0};
                e.type = HMSK_MSG_ERROR; e.seq = tx_seq++; e.u.error.code = HMSK_LINK_HOTLIST_FULL;
                send(&e);
            }
        }
        send_heartbeat(); /* acknowledges the version (PROTOCOL.md) */
    }
}

static void poll_uart(void)
{
    uint8_t byte;
    while (hal_uart_read(&byte)) {
        const uint8_t *payload;
        size_t len;
        hmsk_msg m;
        if (hmsk_bridge_rx_feed(&rx, byte, &payload, &len) == HMSK_RX_FRAME && hmsk_msg_decode(payload, len, &m) == HMSK_OK)
            on_message(&m);
    }
}

/* Reads the gate block; 1 on success. Sector 1 holds it (block 4), readable with key A. */
static int read_gate_block(uint8_t uid[10], uint8_t *uid_len, uint8_t block[16])
{
    uint8_t key[6];
    if (!rc522_select(uid, uid_len))
        return 0;
    if (!hal_derive_key_a(uid, *uid_len, 1, key) || !rc522_auth_key_a(4, key, uid, *uid_len) || !rc522_read_block(4, block)) {
        rc522_halt();
        return 0;
    }
    rc522_halt();
    return 1;
}

static void act(uint8_t allow, uint8_t reason)
{
    if (allow)
        hal_gate_open(3000);
    else
        hal_signal_deny(reason);
}

/* One pass of the main loop; a board's main() calls it forever. */
void gate_loop(void)
{
    uint8_t uid[10], uid_len, block[16];
    uint32_t now = hal_millis();
    poll_uart();
    if (now - last_heartbeat_ms >= 1000u) {
        send_heartbeat();
        last_heartbeat_ms = now;
    }
    if (waiting.pending) {
        if (waiting.got) {
            act(waiting.allow, waiting.reason);
            waiting.pending = 0;
        } else if (now - waiting.since >= HOST_TIMEOUT_MS) {
            /* No answer in time: decide offline (spec section 7) on the local hot list. */
            hmsk_decision d;
            act(hmsk_decide(waiting.block, 16, hal_utc_seconds(), &hotlist, NULL, &d) == HMSK_REASON_OK, (uint8_t)d.reason);
            waiting.pending = 0;
        }
        return;
    }
    if (!read_gate_block(uid, &uid_len, block))
        return;
    {
        hmsk_msg m = {0};
        hmsk_decision d;
        size_t i;
        m.type = HMSK_MSG_CARD;
        m.seq = tx_seq++;
        m.u.card.uid_len = uid_len;
        for (i = 0; i < uid_len; i++) m.u.card.uid[i] = uid[i];
        for (i = 0; i < 16; i++) m.u.card.gate[i] = block[i];
        if (now - last_host_ms < HOST_SILENT_MS) {
            send(&m);
            waiting.pending = 1; waiting.got = 0; waiting.seq = m.seq; waiting.since = now;
            for (i = 0; i < 16; i++) waiting.block[i] = block[i];
            return;
        }
        /* Host silent: decide here (spec section 7) on the local hot list, no site policy. */
        act(hmsk_decide(block, 16, hal_utc_seconds(), &hotlist, NULL, &d) == HMSK_REASON_OK, (uint8_t)d.reason);
        send(&m); /* still tell the host, for its log */
    }
}

void gate_init(void)
{
    hmsk_bridge_rx_init(&rx);
    {
        const uint8_t delimiter = 0; /* PROTOCOL.md: drop any half frame the host holds */
        hal_uart_write(&delimiter, 1);
    }
    send_heartbeat();
}

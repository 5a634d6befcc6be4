/*
 * The serial bridge between a reader's microcontroller and a host (firmware-bridge/PROTOCOL.md):
 * frames are COBS (Cheshire & Baker, "Consistent Overhead Byte Stuffing", IEEE/ACM ToN 1999) of
 * payload || CRC-16/CCITT-FALSE (big-endian), each followed by one 0x00 delimiter. A receiver
 * that loses bytes resynchronises at the next 0x00, since 0x00 never occurs inside a frame.
 *
 * Payload: type (1) | seq (1) | body, multi-byte integers big-endian; bodies per PROTOCOL.md.
 */
#include "hmsk.h"

#if HMSK_WITH_BRIDGE

/* Only freestanding headers (stddef.h, stdint.h) are used: no string.h, so zeroing is by assignment. */
static const hmsk_msg zero_msg;

static void put32(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)(v >> 24); p[1] = (uint8_t)(v >> 16); p[2] = (uint8_t)(v >> 8); p[3] = (uint8_t)v;
}
static uint32_t get32(const uint8_t *p)
{
    return ((uint32_t)p[0] << 24) | ((uint32_t)p[1] << 16) | ((uint32_t)p[2] << 8) | p[3];
}

/* Body length of each type; the card message's depends on the UID length. */
static size_t body_len(const hmsk_msg *m)
{
    switch (m->type) {
    case HMSK_MSG_CARD: return 1u + m->u.card.uid_len + HMSK_GATE_BLOCK_LEN;
    case HMSK_MSG_DECISION: return 3u;
    case HMSK_MSG_HOTLIST: return 5u + 9u * (size_t)m->u.hotlist.count;
    case HMSK_MSG_HEARTBEAT: return 12u;
    case HMSK_MSG_ERROR: return 2u;
    default: return 0u;
    }
}

static int uid_len_ok(unsigned n) { return n == 4u || n == 7u || n == 10u; }

hmsk_err hmsk_msg_encode(const hmsk_msg *m, uint8_t *p, size_t cap, size_t *len)
{
    size_t n, i;
    uint8_t *b;
    if (m == NULL || p == NULL || len == NULL)
        return HMSK_E_ARGUMENT;
    if ((m->type == HMSK_MSG_CARD && !uid_len_ok(m->u.card.uid_len)) ||
        (m->type == HMSK_MSG_HOTLIST && m->u.hotlist.count > HMSK_BRIDGE_MAX_DELTA) ||
        m->type < HMSK_MSG_CARD || m->type > HMSK_MSG_ERROR)
        return HMSK_E_BAD_FIELD;
    n = 2u + body_len(m);
    if (n > cap)
        return HMSK_E_NO_SPACE;
    p[0] = m->type;
    p[1] = m->seq;
    b = p + 2;
    switch (m->type) {
    case HMSK_MSG_CARD: /* uid_len | uid | gate block */
        b[0] = m->u.card.uid_len;
        for (i = 0; i < m->u.card.uid_len; i++) b[1 + i] = m->u.card.uid[i];
        for (i = 0; i < HMSK_GATE_BLOCK_LEN; i++) b[1 + m->u.card.uid_len + i] = m->u.card.gate[i];
        break;
    case HMSK_MSG_DECISION: /* allow | reason | error */
        b[0] = m->u.decision.allow; b[1] = m->u.decision.reason; b[2] = m->u.decision.error;
        break;
    case HMSK_MSG_HOTLIST: /* version(4) | count | count x (op | card(5) | status | min_issue(2)) */
        put32(b, m->u.hotlist.version);
        b[4] = m->u.hotlist.count;
        for (i = 0; i < m->u.hotlist.count; i++) {
            uint8_t *q = b + 5 + 9 * i;
            const hmsk_hot_entry *e = &m->u.hotlist.items[i].entry;
            q[0] = m->u.hotlist.items[i].op;
            q[1] = (uint8_t)(e->card_number >> 32);
            put32(q + 2, (uint32_t)e->card_number);
            q[6] = e->status;
            q[7] = (uint8_t)(e->min_issue >> 8);
            q[8] = (uint8_t)e->min_issue;
        }
        break;
    case HMSK_MSG_HEARTBEAT: /* uptime_ms(4) | hotlist_version(4) | hotlist_count(2) | bad_frames(2) */
        put32(b, m->u.heartbeat.uptime_ms);
        put32(b + 4, m->u.heartbeat.hotlist_version);
        b[8] = (uint8_t)(m->u.heartbeat.hotlist_count >> 8); b[9] = (uint8_t)m->u.heartbeat.hotlist_count;
        b[10] = (uint8_t)(m->u.heartbeat.bad_frames >> 8); b[11] = (uint8_t)m->u.heartbeat.bad_frames;
        break;
    default: /* HMSK_MSG_ERROR: code | detail */
        b[0] = m->u.error.code; b[1] = m->u.error.detail;
        break;
    }
    *len = n;
    return HMSK_OK;
}

hmsk_err hmsk_msg_decode(const uint8_t *p, size_t len, hmsk_msg *m)
{
    const uint8_t *b;
    size_t i;
    if (p == NULL || m == NULL)
        return HMSK_E_ARGUMENT;
    if (len < 2u)
        return HMSK_E_BAD_LENGTH;
    *m = zero_msg; /* unused union bytes are defined (callers may compare messages) */
    m->type = p[0];
    m->seq = p[1];
    b = p + 2;
    len -= 2u;
    switch (m->type) {
    case HMSK_MSG_CARD:
        if (len < 1u || !uid_len_ok(b[0]))
            return len < 1u ? HMSK_E_BAD_LENGTH : HMSK_E_BAD_FIELD;
        m->u.card.uid_len = b[0];
        break;
    case HMSK_MSG_HOTLIST:
        if (len < 5u)
            return HMSK_E_BAD_LENGTH;
        if (b[4] > HMSK_BRIDGE_MAX_DELTA)
            return HMSK_E_BAD_FIELD;
        m->u.hotlist.count = b[4];
        break;
    case HMSK_MSG_DECISION: case HMSK_MSG_HEARTBEAT: case HMSK_MSG_ERROR:
        break;
    default:
        return HMSK_E_BAD_FORMAT;
    }
    if (len != body_len(m))
        return HMSK_E_BAD_LENGTH;
    switch (m->type) {
    case HMSK_MSG_CARD:
        for (i = 0; i < m->u.card.uid_len; i++) m->u.card.uid[i] = b[1 + i];
        for (i = 0; i < HMSK_GATE_BLOCK_LEN; i++) m->u.card.gate[i] = b[1 + m->u.card.uid_len + i];
        break;
    case HMSK_MSG_DECISION:
        if (b[0] > 1u || b[1] > HMSK_REASON_EXPIRED || (b[0] == 1u) != (b[1] == HMSK_REASON_OK) ||
            b[2] > HMSK_E_BAD_CHECK_DIGIT)
            return HMSK_E_BAD_FIELD;
        m->u.decision.allow = b[0]; m->u.decision.reason = b[1]; m->u.decision.error = b[2];
        break;
    case HMSK_MSG_HOTLIST:
        m->u.hotlist.version = get32(b);
        for (i = 0; i < m->u.hotlist.count; i++) {
            const uint8_t *q = b + 5 + 9 * i;
            hmsk_hot_entry *e = &m->u.hotlist.items[i].entry;
            if (q[0] > HMSK_HOTLIST_OP_PUT)
                return HMSK_E_BAD_FIELD;
            m->u.hotlist.items[i].op = q[0];
            e->card_number = ((uint64_t)q[1] << 32) | get32(q + 2);
            e->status = q[6];
            e->min_issue = (uint16_t)((q[7] << 8) | q[8]);
            if (e->card_number == 0u || e->card_number > HMSK_MAX_CARD_NUMBER)
                return HMSK_E_BAD_FIELD;
            /* put: a known status; remove: status 0 and no minIssue, so every message has one encoding */
            if (q[0] == HMSK_HOTLIST_OP_PUT ? (e->status < HMSK_HOT_LOST || e->status > HMSK_HOT_DESTROYED)
                                            : (e->status != 0u || e->min_issue != HMSK_NO_MIN_ISSUE))
                return HMSK_E_BAD_FIELD;
        }
        break;
    case HMSK_MSG_HEARTBEAT:
        m->u.heartbeat.uptime_ms = get32(b);
        m->u.heartbeat.hotlist_version = get32(b + 4);
        m->u.heartbeat.hotlist_count = (uint16_t)((b[8] << 8) | b[9]);
        m->u.heartbeat.bad_frames = (uint16_t)((b[10] << 8) | b[11]);
        break;
    default:
        if (b[0] < HMSK_LINK_BAD_FRAME || b[0] > HMSK_LINK_HOTLIST_GAP)
            return HMSK_E_BAD_FIELD;
        m->u.error.code = b[0]; m->u.error.detail = b[1];
        break;
    }
    return HMSK_OK;
}

hmsk_err hmsk_frame_encode(const uint8_t *payload, size_t len, uint8_t *out, size_t cap, size_t *out_len)
{
    uint16_t crc;
    size_t n = len + 2u, i, code_at = 0, w = 1;
    uint8_t code = 1;
    if (payload == NULL || out == NULL || out_len == NULL)
        return HMSK_E_ARGUMENT;
    if (cap < HMSK_FRAME_MAX(len))
        return HMSK_E_NO_SPACE;
    crc = hmsk_crc16(payload, len);
    /* COBS: each block starts with a code byte = 1 + count of non-zero bytes that follow it
     * (0xFF: 254 bytes and no implied zero); a zero in the data ends the block. A full block at
     * the very end is not followed by an empty one (the canonical encoding). */
    for (i = 0; i < n; i++) {
        uint8_t c = i < len ? payload[i] : (uint8_t)(i == len ? crc >> 8 : crc);
        if (c == 0u) {
            out[code_at] = code;
            code_at = w++;
            code = 1;
        } else {
            out[w++] = c;
            if (++code == 0xFFu && i + 1u < n) {
                out[code_at] = code;
                code_at = w++;
                code = 1;
            }
        }
    }
    out[code_at] = code;
    out[w++] = 0x00u;
    *out_len = w;
    return HMSK_OK;
}

void hmsk_bridge_rx_init(hmsk_bridge_rx *rx)
{
    rx->len = 0;
    rx->overflow = 0;
    rx->bad_frames = 0;
}

/* COBS-decodes rx->buf[0..len) in place; returns the decoded length, or (size_t)-1 if malformed. */
static size_t cobs_decode_in_place(uint8_t *b, size_t len)
{
    size_t r = 0, w = 0;
    while (r < len) {
        uint8_t code = b[r];
        size_t k;
        if (code == 0u || r + code > len)
            return (size_t)-1; /* a block overruns the frame: bytes were lost */
        r++;
        for (k = 1; k < code; k++)
            b[w++] = b[r++];
        if (code != 0xFFu && r < len)
            b[w++] = 0u;
    }
    return w;
}

hmsk_rx_result hmsk_bridge_rx_feed(hmsk_bridge_rx *rx, uint8_t byte, const uint8_t **payload, size_t *len)
{
    size_t n;
    if (byte != 0u) {
        if (rx->len < sizeof rx->buf)
            rx->buf[rx->len++] = byte;
        else
            rx->overflow = 1;
        return HMSK_RX_MORE;
    }
    /* Delimiter: an empty frame (two 0x00 in a row) is idle fill, not an error. */
    if (rx->len == 0u && !rx->overflow)
        return HMSK_RX_MORE;
    n = rx->overflow ? (size_t)-1 : cobs_decode_in_place(rx->buf, rx->len);
    rx->len = 0;
    rx->overflow = 0;
    if (n == (size_t)-1 || n < 4u || hmsk_crc16(rx->buf, n - 2u) != (uint16_t)((rx->buf[n - 2u] << 8) | rx->buf[n - 1u])) {
        rx->bad_frames++;
        return HMSK_RX_BAD_FRAME;
    }
    if (payload != NULL)
        *payload = rx->buf;
    if (len != NULL)
        *len = n - 2u;
    return HMSK_RX_FRAME;
}

hmsk_err hmsk_hotlist_apply(hmsk_hotlist *hl, const hmsk_msg *d)
{
    size_t i;
    if (hl == NULL || d == NULL || d->type != HMSK_MSG_HOTLIST)
        return HMSK_E_ARGUMENT;
    for (i = 0; i < d->u.hotlist.count; i++) {
        if (d->u.hotlist.items[i].op == HMSK_HOTLIST_OP_PUT) {
            hmsk_err e = hmsk_hotlist_put(hl, &d->u.hotlist.items[i].entry);
            if (e != HMSK_OK)
                return e;
        } else {
            hmsk_hotlist_remove(hl, d->u.hotlist.items[i].entry.card_number);
        }
    }
    hl->version = d->u.hotlist.version;
    return HMSK_OK;
}
#endif

/*
 * bridge_mcu: the reader-microcontroller side of the serial bridge (PROTOCOL.md), built natively
 * so test/integration/bridge/bridge-serial.test.ts can run it against the TypeScript host over a socat pty pair. The
 * protocol logic is the library's (hmsk_frame_encode, hmsk_bridge_rx_feed, hmsk_msg_*,
 * hmsk_hotlist_apply, hmsk_decide); this file adds POSIX IO and line noise: in the noisy phase each
 * byte sent or received is dropped or has one bit flipped with probability NOISE/1000 each half.
 *
 *   bridge_mcu TTY NOISE_PERMILLE SEED NOW_UNIX WANT_VERSION < cards   (lines: UIDHEX GATEHEX)
 *
 * Phases: noisy (cards seq 0..n-1, heartbeats, deltas applied) -> sync (noise off, one 0x00, wait
 * until the hot list reaches WANT_VERSION) -> clean (cards again as seq 128+i, each waits for its
 * decision) -> a JSON summary on stdout. Exits 0 when it ran to the end, 2 on a timeout.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/select.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#include "hmsk.h"

#define MAX_CARDS 64
static struct { uint8_t uid[10], uid_len, gate[16]; } cards[MAX_CARDS];
static unsigned ncards;
static int fd;
static int noisy = 1;
static unsigned noise;
static uint32_t seed;
static unsigned long tx_bytes, tx_dropped, tx_flipped, rx_dropped, rx_flipped, bad_messages, unexpected;
static hmsk_hot_entry hot_store[64];
static hmsk_hotlist hl = {hot_store, 0, 64, 0};
static hmsk_bridge_rx rx;
static struct { int got; uint8_t allow, reason, error; } decisions[256];
static uint8_t sent_seq[256];
static uint8_t tx_seq;

static unsigned rnd(unsigned m) { seed = seed * 1103515245u + 12345u; return (seed >> 16) % m; }

static long now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1000L + ts.tv_nsec / 1000000L;
}

/* The board's transmit function: the only place bytes leave, so the only place noise is added. */
static void uart_write(const uint8_t *b, size_t n)
{
    uint8_t out[512];
    size_t i, k = 0;
    for (i = 0; i < n && k < sizeof out; i++) {
        uint8_t c = b[i];
        unsigned r = noisy ? rnd(1000) : 1000;
        if (r < noise / 2) { tx_dropped++; continue; }
        if (r < noise) { c ^= (uint8_t)(1u << rnd(8)); tx_flipped++; }
        out[k++] = c;
    }
    while (k > 0) {
        ssize_t w = write(fd, out, k);
        if (w < 0 && errno == EINTR) continue;
        if (w < 0) { perror("write"); exit(1); }
        memmove(out, out + w, k - (size_t)w);
        k -= (size_t)w;
    }
    tx_bytes += n;
}

static void send_msg(hmsk_msg *m)
{
    uint8_t p[HMSK_BRIDGE_MAX_PAYLOAD], f[HMSK_FRAME_MAX(HMSK_BRIDGE_MAX_PAYLOAD)];
    size_t pn, fn;
    if (hmsk_msg_encode(m, p, sizeof p, &pn) != HMSK_OK || hmsk_frame_encode(p, pn, f, sizeof f, &fn) != HMSK_OK) {
        fprintf(stderr, "encode failed\n");
        exit(1);
    }
    uart_write(f, fn);
}

static void send_heartbeat(long t0)
{
    hmsk_msg m;
    memset(&m, 0, sizeof m);
    m.type = HMSK_MSG_HEARTBEAT; m.seq = tx_seq++;
    m.u.heartbeat.uptime_ms = (uint32_t)(now_ms() - t0);
    m.u.heartbeat.hotlist_version = hl.version;
    m.u.heartbeat.hotlist_count = (uint16_t)hl.count;
    m.u.heartbeat.bad_frames = (uint16_t)rx.bad_frames;
    send_msg(&m);
}

static void send_error(uint8_t code, uint8_t detail)
{
    hmsk_msg m;
    memset(&m, 0, sizeof m);
    m.type = HMSK_MSG_ERROR; m.seq = tx_seq++; m.u.error.code = code; m.u.error.detail = detail;
    send_msg(&m);
}

static void send_card(unsigned i, uint8_t seq)
{
    hmsk_msg m;
    memset(&m, 0, sizeof m);
    m.type = HMSK_MSG_CARD; m.seq = seq;
    m.u.card.uid_len = cards[i].uid_len;
    memcpy(m.u.card.uid, cards[i].uid, cards[i].uid_len);
    memcpy(m.u.card.gate, cards[i].gate, 16);
    sent_seq[seq] = 1;
    send_msg(&m);
}

static void handle(const hmsk_msg *m, long t0)
{
    switch (m->type) {
    case HMSK_MSG_DECISION:
        if (!sent_seq[m->seq]) { unexpected++; break; }
        decisions[m->seq].got++;
        decisions[m->seq].allow = m->u.decision.allow;
        decisions[m->seq].reason = m->u.decision.reason;
        decisions[m->seq].error = m->u.decision.error;
        break;
    case HMSK_MSG_HOTLIST:
        /* Apply only the next version; older ones are retransmissions already applied. */
        if (m->u.hotlist.version == hl.version + 1u) {
            if (hmsk_hotlist_apply(&hl, m) != HMSK_OK) send_error(HMSK_LINK_HOTLIST_FULL, 0);
        } else if (m->u.hotlist.version > hl.version + 1u) {
            send_error(HMSK_LINK_HOTLIST_GAP, (uint8_t)hl.version);
        }
        send_heartbeat(t0); /* acknowledges the version at once */
        break;
    default:
        break; /* heartbeats and errors from the host: nothing to do here */
    }
}

/* Reads what is there (waiting at most wait_ms) and handles complete frames. */
static void poll_rx(long wait_ms, long t0)
{
    fd_set set;
    struct timeval tv;
    uint8_t buf[256];
    ssize_t n, i;
    FD_ZERO(&set);
    FD_SET(fd, &set);
    tv.tv_sec = wait_ms / 1000;
    tv.tv_usec = (wait_ms % 1000) * 1000;
    if (select(fd + 1, &set, NULL, NULL, &tv) <= 0) return;
    n = read(fd, buf, sizeof buf);
    for (i = 0; i < n; i++) {
        const uint8_t *pl;
        size_t len;
        hmsk_msg m;
        uint8_t c = buf[i];
        unsigned r = noisy ? rnd(1000) : 1000;
        if (r < noise / 2) { rx_dropped++; continue; }
        if (r < noise) { c ^= (uint8_t)(1u << rnd(8)); rx_flipped++; }
        if (hmsk_bridge_rx_feed(&rx, c, &pl, &len) != HMSK_RX_FRAME) continue;
        if (hmsk_msg_decode(pl, len, &m) != HMSK_OK) { bad_messages++; continue; }
        handle(&m, t0);
    }
}

static size_t unhex(const char *s, uint8_t *out, size_t cap)
{
    size_t n = 0;
    unsigned v;
    while (n < cap && sscanf(s, "%2x", &v) == 1) { out[n++] = (uint8_t)v; s += 2; }
    return n;
}

int main(int argc, char **argv)
{
    struct termios tio;
    char line[256], uid[64], gate[64];
    long t0, deadline, last_hb;
    unsigned i, want, shown = 0;
    int64_t now;
    if (argc != 6) { fprintf(stderr, "usage: bridge_mcu TTY NOISE_PERMILLE SEED NOW_UNIX WANT_VERSION < cards\n"); return 64; }
    noise = (unsigned)atoi(argv[2]);
    seed = (uint32_t)strtoul(argv[3], NULL, 10);
    now = strtoll(argv[4], NULL, 10);
    want = (unsigned)atoi(argv[5]);
    while (ncards < MAX_CARDS && fgets(line, sizeof line, stdin))
        if (sscanf(line, "%63s %63s", uid, gate) == 2) {
            cards[ncards].uid_len = (uint8_t)unhex(uid, cards[ncards].uid, 10);
            if (unhex(gate, cards[ncards].gate, 16) == 16) ncards++;
        }
    fd = open(argv[1], O_RDWR | O_NOCTTY);
    if (fd < 0) { perror(argv[1]); return 1; }
    if (tcgetattr(fd, &tio) == 0) { cfmakeraw(&tio); cfsetspeed(&tio, B115200); tcsetattr(fd, TCSANOW, &tio); }
    hmsk_bridge_rx_init(&rx);
    t0 = last_hb = now_ms();

    /* Noisy phase. */
    for (i = 0; i < ncards; i++) {
        send_card(i, (uint8_t)i);
        poll_rx(25, t0);
        if (now_ms() - last_hb >= 100) { send_heartbeat(t0); last_hb = now_ms(); }
    }
    /* Sync phase: noise off; a lone delimiter ends whatever garbage the peer holds. */
    noisy = 0;
    { const uint8_t z = 0; uart_write(&z, 1); }
    deadline = now_ms() + 10000;
    while (hl.version < want && now_ms() < deadline) {
        poll_rx(20, t0);
        if (now_ms() - last_hb >= 100) { send_heartbeat(t0); last_hb = now_ms(); }
    }
    /* Clean phase. */
    printf("{\"local\":[");
    for (i = 0; i < ncards; i++) {
        uint8_t seq = (uint8_t)(128u + i);
        hmsk_decision d;
        hmsk_reason why = hmsk_decide(cards[i].gate, 16, now, &hl, NULL, &d);
        printf("%s{\"seq\":%u,\"allow\":%u,\"reason\":\"%s\",\"error\":%u}", i ? "," : "", seq, d.allow, hmsk_reason_name(why), (unsigned)d.error);
        send_card(i, seq);
        deadline = now_ms() + 2000;
        while (!decisions[seq].got && now_ms() < deadline) poll_rx(10, t0);
    }
    send_heartbeat(t0);
    poll_rx(50, t0);
    printf("],\"decisions\":[");
    for (i = 0; i < 256; i++)
        if (decisions[i].got)
            printf("%s{\"seq\":%u,\"allow\":%u,\"reason\":%u,\"error\":%u,\"count\":%d}", shown++ ? "," : "", i, decisions[i].allow,
                   decisions[i].reason, decisions[i].error, decisions[i].got);
    printf("],\"hotlistVersion\":%lu,\"hotlist\":[", (unsigned long)hl.version);
    for (i = 0; i < hl.count; i++) printf("%s\"%llu\"", i ? "," : "", (unsigned long long)hl.entries[i].card_number);
    printf("],\"txBytes\":%lu,\"txDropped\":%lu,\"txFlipped\":%lu,\"rxDropped\":%lu,\"rxFlipped\":%lu,\"badFrames\":%lu,\"badMessages\":%lu,\"unexpected\":%lu}\n",
           tx_bytes, tx_dropped, tx_flipped, rx_dropped, rx_flipped, (unsigned long)rx.bad_frames, bad_messages, unexpected);
    close(fd);
    return 0;
}

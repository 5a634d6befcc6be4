/*
 * hmsk_cli: a native front end of the C library for the cross tests (test/integration/bridge/c-cross.test.ts). Reads
 * one command a line on stdin, prints one JSON object a line:
 *   gate HEX | record HEX | track1 DATA | track2 DATA | decide HEX UNIX_SECONDS
 *   frame-card SEQ UIDHEX GATEHEX   (the bridge frame the reader side sends)
 *   unframe HEX                     (frames fed to the bridge receiver, messages printed)
 * Errors print {"error":"CODE"}. Host tool: uses stdio; the library itself does not.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hmsk.h"

static size_t unhex(const char *s, uint8_t *out, size_t cap)
{
    size_t n = 0;
    while (s[0] && s[1] && n < cap) {
        unsigned v;
        if (sscanf(s, "%2x", &v) != 1) break;
        out[n++] = (uint8_t)v;
        s += 2;
    }
    return n;
}

static void hex(const uint8_t *b, size_t n)
{
    size_t i;
    for (i = 0; i < n; i++) printf("%02x", b[i]);
}

static void jstr(const char *key, const uint8_t *s, size_t n)
{
    size_t i;
    printf(",\"%s\":\"", key);
    for (i = 0; i < n; i++) {
        if (s[i] == '"' || s[i] == '\\') printf("\\%c", s[i]);
        else if (s[i] < 0x20) printf("\\u%04x", s[i]);
        else putchar(s[i]);
    }
    putchar('"');
}

static void date(const char *key, int32_t day)
{
    int32_t y; unsigned m, d;
    hmsk_civil_from_days(day, &y, &m, &d);
    printf(",\"%s\":\"%04d-%02u-%02u\"", key, (int)y, m, d);
}

static void gate_fields(const hmsk_gate *g)
{
    uint8_t again[16];
    printf("\"category\":\"%s\",\"cardNumber\":\"%llu\",\"orgNumber\":\"%09lu\"",
           g->category == 1 ? "construction" : g->category == 2 ? "cleaning" : "void", (unsigned long long)g->card_number,
           (unsigned long)g->org_number);
    date("expiry", g->expiry_day + HMSK_DAYS_1970_TO_2000);
    printf(",\"issue\":%u", g->issue);
    if (hmsk_encode_gate(g, again) == HMSK_OK) { printf(",\"reencoded\":\""); hex(again, 16); putchar('"'); }
}

static void msg_json(const hmsk_msg *m)
{
    unsigned i;
    printf("{\"type\":%u,\"seq\":%u", m->type, m->seq);
    switch (m->type) {
    case HMSK_MSG_CARD: printf(",\"uid\":\""); hex(m->u.card.uid, m->u.card.uid_len); printf("\",\"gateBlock\":\""); hex(m->u.card.gate, 16); putchar('"'); break;
    case HMSK_MSG_DECISION: printf(",\"allow\":%u,\"reason\":%u,\"error\":%u", m->u.decision.allow, m->u.decision.reason, m->u.decision.error); break;
    case HMSK_MSG_HOTLIST:
        printf(",\"version\":%lu,\"items\":[", (unsigned long)m->u.hotlist.version);
        for (i = 0; i < m->u.hotlist.count; i++)
            printf("%s{\"op\":%u,\"cardNumber\":\"%llu\",\"status\":%u,\"minIssue\":%u}", i ? "," : "", m->u.hotlist.items[i].op,
                   (unsigned long long)m->u.hotlist.items[i].entry.card_number, m->u.hotlist.items[i].entry.status, m->u.hotlist.items[i].entry.min_issue);
        putchar(']');
        break;
    case HMSK_MSG_HEARTBEAT:
        printf(",\"uptimeMs\":%lu,\"hotlistVersion\":%lu,\"hotlistCount\":%u,\"badFrames\":%u", (unsigned long)m->u.heartbeat.uptime_ms,
               (unsigned long)m->u.heartbeat.hotlist_version, m->u.heartbeat.hotlist_count, m->u.heartbeat.bad_frames);
        break;
    default: printf(",\"code\":%u,\"detail\":%u", m->u.error.code, m->u.error.detail); break;
    }
    putchar('}');
}

int main(void)
{
    static char line[8192];
    static uint8_t buf[4096];
    while (fgets(line, sizeof line, stdin)) {
        char *arg = strchr(line, ' '), *nl = strchr(line, '\n');
        size_t n;
        hmsk_err e = HMSK_OK;
        if (nl) *nl = 0;
        if (arg) *arg++ = 0; else arg = line + strlen(line);
        if (strcmp(line, "gate") == 0) {
            hmsk_gate g;
            n = unhex(arg, buf, sizeof buf);
            if ((e = hmsk_decode_gate(buf, n, &g)) == HMSK_OK) { putchar('{'); gate_fields(&g); puts("}"); }
        } else if (strcmp(line, "record") == 0) {
            hmsk_record r;
            n = unhex(arg, buf, sizeof buf);
            if ((e = hmsk_decode_record(buf, n, &r)) == HMSK_OK) {
                putchar('{'); gate_fields(&r.gate);
                date("birthDate", (int32_t)r.birth_day - HMSK_DAYS_1900_TO_1970);
                printf(",\"gender\":\"%c\"", "XMF"[r.gender]);
                jstr("givenName", r.given_name, r.given_len);
                jstr("familyName", r.family_name, r.family_len);
                jstr("orgName", r.org_name, r.org_len);
                printf(",\"signed\":%s,\"truncated\":%s}\n", r.flags & 1 ? "true" : "false", r.flags & 2 ? "true" : "false");
            }
        } else if (strcmp(line, "track1") == 0 || strcmp(line, "track2") == 0) {
            hmsk_track t;
            e = line[5] == '1' ? hmsk_decode_track1(arg, strlen(arg), &t) : hmsk_decode_track2(arg, strlen(arg), &t);
            if (e == HMSK_OK) {
                printf("{\"orgNumber\":\"%09lu\",\"cardNumber\":\"%llu\"", (unsigned long)t.org_number, (unsigned long long)t.card_number);
                date("expiry", t.expiry_day + HMSK_DAYS_1970_TO_2000);
                printf(",\"category\":\"%s\"", t.category == 1 ? "construction" : "cleaning");
                if (t.name) jstr("name", (const uint8_t *)t.name, t.name_len); else printf(",\"issue\":%u", t.issue);
                puts("}");
            }
        } else if (strcmp(line, "decide") == 0) {
            hmsk_decision d;
            hmsk_reason why;
            char *sp = strchr(arg, ' ');
            n = unhex(arg, buf, sizeof buf);
            if (sp && (size_t)(sp - arg) < 2 * n) n = (size_t)(sp - arg) / 2;
            why = hmsk_decide(buf, n, sp ? strtoll(sp + 1, NULL, 10) : 0, NULL, NULL, &d);
            printf("{\"allow\":%s,\"reason\":\"%s\",\"error\":\"%s\"}\n", d.allow ? "true" : "false", hmsk_reason_name(why), hmsk_err_name(d.error));
        } else if (strcmp(line, "frame-card") == 0) {
            hmsk_msg m;
            uint8_t p[64], f[HMSK_FRAME_MAX(64)];
            size_t pn, fn;
            char uid[64], gate[64];
            unsigned seq;
            memset(&m, 0, sizeof m);
            if (sscanf(arg, "%u %63s %63s", &seq, uid, gate) != 3) e = HMSK_E_ARGUMENT;
            else {
                m.type = HMSK_MSG_CARD; m.seq = (uint8_t)seq;
                m.u.card.uid_len = (uint8_t)unhex(uid, m.u.card.uid, 10);
                if (unhex(gate, m.u.card.gate, 16) != 16) e = HMSK_E_BAD_LENGTH;
                else if ((e = hmsk_msg_encode(&m, p, sizeof p, &pn)) == HMSK_OK && (e = hmsk_frame_encode(p, pn, f, sizeof f, &fn)) == HMSK_OK) {
                    printf("{\"frame\":\""); hex(f, fn); puts("\"}");
                }
            }
        } else if (strcmp(line, "unframe") == 0) {
            hmsk_bridge_rx rx;
            size_t i;
            int first = 1;
            hmsk_bridge_rx_init(&rx);
            n = unhex(arg, buf, sizeof buf);
            printf("{\"messages\":[");
            for (i = 0; i < n; i++) {
                const uint8_t *pl; size_t len; hmsk_msg m;
                if (hmsk_bridge_rx_feed(&rx, buf[i], &pl, &len) == HMSK_RX_FRAME) {
                    hmsk_err me = hmsk_msg_decode(pl, len, &m);
                    if (!first) putchar(',');
                    first = 0;
                    if (me == HMSK_OK) msg_json(&m); else printf("{\"error\":\"%s\"}", hmsk_err_name(me));
                }
            }
            printf("],\"badFrames\":%lu}\n", (unsigned long)rx.bad_frames);
        } else {
            e = HMSK_E_ARGUMENT;
        }
        if (e != HMSK_OK) printf("{\"error\":\"%s\"}\n", hmsk_err_name(e));
        fflush(stdout);
    }
    return 0;
}

/*
 * hmsk.h - the one public header of the HMSK C decoder for gate firmware.
 *
 * Implements hmsk-card-format-v1 (shared/spec/hmsk-card-format-v1.md): the 16-byte gate block and
 * the 144-byte record (section 2), CRC-16/CCITT-FALSE and CRC-32/ISO-HDLC, the magnetic-stripe
 * track decoders (section 4), the gate decision (section 7) with the Europe/Oslo calendar date
 * computed from a UTC instant by the EU summer-time rule, and the serial bridge between a reader's
 * microcontroller and a host (firmware-bridge/PROTOCOL.md).
 *
 * C99. No malloc, no stdio, no global state: every function works on caller-provided memory and
 * is reentrant. Decoded texts point into the caller's input buffer (no copies).
 */
#ifndef HMSK_H
#define HMSK_H

#include <stddef.h>
#include <stdint.h>

#include "hmsk_config.h"

#ifdef __cplusplus
extern "C" {
#endif

#if defined(__GNUC__) || defined(__clang__)
#define HMSK_NODISCARD __attribute__((warn_unused_result))
#else
#define HMSK_NODISCARD
#endif

/* Error codes. The values are stable (they travel in bridge messages, PROTOCOL.md). The names
 * match the spec's codes (section 8) with the HMSK_E_ prefix. */
typedef enum hmsk_err {
    HMSK_OK = 0,                  /* success: use the output */
    HMSK_E_BAD_LENGTH = 1,        /* wrong input length: read the whole block (16) / record (144) again */
    HMSK_E_BLANK = 2,             /* all 0x00 or all 0xFF: an unwritten card; deny, show "blank card" */
    HMSK_E_UNKNOWN_FORMAT = 3,    /* not an HMSK card (tag != 'H'): deny; another application's card */
    HMSK_E_UNSUPPORTED_VERSION = 4, /* a newer format version: deny, tell the operator to update firmware */
    HMSK_E_BAD_CRC = 5,           /* torn or misread data: re-read once (card may have moved), then deny */
    HMSK_E_BAD_FIELD = 6,         /* CRC right but a field is out of range: deny and report the card */
    HMSK_E_BAD_LRC = 7,           /* stripe LRC wrong: ask for another swipe */
    HMSK_E_BAD_PARITY = 8,        /* stripe parity bit wrong: ask for another swipe */
    HMSK_E_BAD_FORMAT = 9,        /* stripe text not in the HMSK layout: deny; not an HMS card stripe */
    HMSK_E_BAD_CHECK_DIGIT = 10,  /* stripe Luhn digit wrong: ask for another swipe, then deny */
    HMSK_E_ARGUMENT = 11,         /* NULL pointer or impossible argument: a bug in the caller */
    HMSK_E_NO_SPACE = 12          /* the caller's buffer or table is too small: give a bigger one */
} hmsk_err;

/* The spec's name of an error ("BAD_CRC"...), for logs; "OK" for HMSK_OK. */
const char *hmsk_err_name(hmsk_err e);

/* ---- CRCs (spec section 2). HMSK_CRC_TABLES picks sliced tables, one table or bit loops. ---- */
uint16_t hmsk_crc16(const uint8_t *data, size_t len); /* CRC-16/CCITT-FALSE, check 0x29B1 */
uint32_t hmsk_crc32(const uint8_t *data, size_t len); /* CRC-32/ISO-HDLC, check 0xCBF43926 */

/* ---- Gate block and record (spec section 2) ---- */
#define HMSK_GATE_BLOCK_LEN 16
#define HMSK_RECORD_LEN 144
#define HMSK_CATEGORY_CONSTRUCTION 1
#define HMSK_CATEGORY_CLEANING 2
#define HMSK_CATEGORY_VOID 0xF
#define HMSK_MAX_CARD_NUMBER 999999999999ULL
#define HMSK_GENDER_X 0
#define HMSK_GENDER_M 1
#define HMSK_GENDER_F 2
#define HMSK_FLAG_SIGNED 0x01
#define HMSK_FLAG_TRUNCATED 0x02

typedef struct hmsk_gate {
    uint8_t category;     /* HMSK_CATEGORY_* */
    uint8_t issue;        /* issue number 0..255 */
    uint16_t expiry_day;  /* last valid day, day number since 2000-01-01 */
    uint32_t org_number;  /* 0..999 999 999, mod-11 check digit verified */
    uint64_t card_number; /* 1..999 999 999 999 */
} hmsk_gate;

typedef struct hmsk_record {
    hmsk_gate gate;
    uint16_t birth_day; /* day number since 1900-01-01 */
    uint8_t gender;     /* HMSK_GENDER_* */
    uint8_t flags;      /* HMSK_FLAG_* */
    /* UTF-8 texts, not NUL-terminated; they point into the record buffer passed to the decoder. */
    const uint8_t *given_name;
    const uint8_t *family_name;
    const uint8_t *org_name;
    uint8_t given_len, family_len, org_len;
} hmsk_record;

/* Decodes a gate block; checks in the spec's order, returns the first error that applies.
 * On error *out is unspecified. */
HMSK_NODISCARD hmsk_err hmsk_decode_gate(const uint8_t *block, size_t len, hmsk_gate *out);

/* Decodes a whole record; the text pointers of *out point into `record`. */
HMSK_NODISCARD hmsk_err hmsk_decode_record(const uint8_t *record, size_t len, hmsk_record *out);

/* Writes the 16 gate-block bytes of *in (CRC included). Fails with HMSK_E_BAD_FIELD on a value the
 * format cannot hold. Used to void a card (category HMSK_CATEGORY_VOID) and by the cross tests. */
HMSK_NODISCARD hmsk_err hmsk_encode_gate(const hmsk_gate *in, uint8_t out[HMSK_GATE_BLOCK_LEN]);

/* 1 when the 9-digit value passes the mod-11 organisation-number check (spec section 1). */
int hmsk_org_number_valid(uint32_t org);

/* ---- Calendar (proleptic Gregorian) and Europe/Oslo time ---- */
#define HMSK_DAYS_1970_TO_2000 10957
#define HMSK_DAYS_1900_TO_1970 25567

/* Day number since 1970-01-01 of a civil date, and back. Valid for years 0..9999. */
int32_t hmsk_days_from_civil(int32_t y, unsigned m, unsigned d);
void hmsk_civil_from_days(int32_t days, int32_t *y, unsigned *m, unsigned *d);

/* Seconds east of UTC in Europe/Oslo at a UTC instant (3600 CET, 7200 CEST) by the EU rule:
 * summer time from the last Sunday of March 01:00 UTC to the last Sunday of October 01:00 UTC. */
int32_t hmsk_oslo_offset(int64_t unix_seconds);

/* The calendar date in Europe/Oslo at a UTC instant, as a day number since 1970-01-01.
 * Instants are Unix seconds within years 1..9999 (|t| < 2.5e11); the gate passes its RTC time. */
int32_t hmsk_oslo_day(int64_t unix_seconds);

/* ---- Gate decision (spec section 7) ---- */
typedef enum hmsk_hot_status {
    HMSK_HOT_LOST = 1,
    HMSK_HOT_STOLEN = 2,
    HMSK_HOT_BLOCKED = 3,
    HMSK_HOT_DESTROYED = 4
} hmsk_hot_status;

#define HMSK_NO_MIN_ISSUE 0xFFFFu

typedef struct hmsk_hot_entry {
    uint64_t card_number; /* sort key */
    uint16_t min_issue;   /* cards with issue >= min_issue pass; HMSK_NO_MIN_ISSUE: all are hot */
    uint8_t status;       /* hmsk_hot_status (informative: every status denies) */
} hmsk_hot_entry;

/* A hot list the caller owns: entries sorted by card_number ascending (duplicates allowed). */
typedef struct hmsk_hotlist {
    hmsk_hot_entry *entries;
    size_t count;
    size_t capacity; /* for hmsk_hotlist_put; may equal count for a read-only list */
    uint32_t version; /* set by bridge hot-list deltas; informative */
} hmsk_hotlist;

#define HMSK_POLICY_CATEGORIES 0x01u

typedef struct hmsk_policy {
    /* 0: the policy lists no categories (all pass). Else HMSK_POLICY_CATEGORIES | (1 << category)
     * for each allowed category; HMSK_POLICY_CATEGORIES alone is an empty list (none pass). */
    uint8_t category_mask;
    /* Allowed organisation numbers, sorted ascending; NULL = the policy lists no organisations
     * (a non-NULL list with count 0 allows none). */
    const uint32_t *allowed_orgs;
    size_t allowed_org_count;
} hmsk_policy;

typedef enum hmsk_reason {
    HMSK_REASON_OK = 0,
    HMSK_REASON_INVALID = 1,
    HMSK_REASON_VOIDED = 2,
    HMSK_REASON_HOTLISTED = 3,
    HMSK_REASON_CATEGORY_NOT_ALLOWED = 4,
    HMSK_REASON_ORG_NOT_ALLOWED = 5,
    HMSK_REASON_EXPIRED = 6
} hmsk_reason;

/* The spec's reason string ("ok", "hotlisted", "category-not-allowed"...). */
const char *hmsk_reason_name(hmsk_reason r);

typedef struct hmsk_decision {
    uint8_t allow;   /* 1 only with HMSK_REASON_OK */
    hmsk_reason reason;
    hmsk_err error;  /* the decode error with HMSK_REASON_INVALID, else HMSK_OK */
    hmsk_gate gate;  /* the decoded block unless reason is INVALID */
} hmsk_decision;

/* Decides on a gate block at a UTC instant. hotlist and policy may be NULL (empty). Returns the
 * reason (also in out->reason); deny unless it is HMSK_REASON_OK. */
HMSK_NODISCARD hmsk_reason hmsk_decide(const uint8_t *block, size_t len, int64_t now_unix,
                                       const hmsk_hotlist *hotlist, const hmsk_policy *policy,
                                       hmsk_decision *out);

/* 1 when the card is hot-listed (section 7 step 3), by binary search. */
int hmsk_hotlist_hit(const hmsk_hotlist *hl, uint64_t card_number, uint8_t issue);

/* Inserts or replaces the entry for e->card_number, keeping the order (O(n) move). */
HMSK_NODISCARD hmsk_err hmsk_hotlist_put(hmsk_hotlist *hl, const hmsk_hot_entry *e);
/* Removes every entry of card_number (no error when there is none). */
void hmsk_hotlist_remove(hmsk_hotlist *hl, uint64_t card_number);

#if HMSK_WITH_TRACKS
/* ---- Magnetic stripe (spec section 4) ---- */
typedef struct hmsk_track {
    uint32_t org_number;
    uint64_t card_number;
    uint16_t expiry_day; /* since 2000-01-01 */
    uint8_t category;    /* HMSK_CATEGORY_CONSTRUCTION or _CLEANING */
    uint8_t issue;       /* track 2 only */
    const char *name;    /* track 1 only: "FAMILY/GIVEN", points into the input, name_len chars */
    uint8_t name_len;
} hmsk_track;

/* Decode a track string with sentinels, with or without the LRC character after '?'. */
HMSK_NODISCARD hmsk_err hmsk_decode_track2(const char *data, size_t len, hmsk_track *out);
HMSK_NODISCARD hmsk_err hmsk_decode_track1(const char *data, size_t len, hmsk_track *out);
#endif

#if HMSK_WITH_BRIDGE
/* ---- Serial bridge (PROTOCOL.md): COBS frames carrying payload || CRC-16/CCITT-FALSE ---- */
enum hmsk_msg_type {
    HMSK_MSG_CARD = 0x01,      /* reader -> host: UID and gate block of a presented card */
    HMSK_MSG_DECISION = 0x02,  /* host -> reader: allow/deny for the card message with this seq */
    HMSK_MSG_HOTLIST = 0x03,   /* host -> reader: hot-list delta */
    HMSK_MSG_HEARTBEAT = 0x04, /* both ways, about once a second */
    HMSK_MSG_ERROR = 0x05      /* both ways: something the peer sent could not be used */
};

enum hmsk_link_error {
    HMSK_LINK_BAD_FRAME = 1,    /* detail: 0 */
    HMSK_LINK_UNKNOWN_TYPE = 2, /* detail: the type byte */
    HMSK_LINK_BAD_MESSAGE = 3,  /* detail: the type byte (body length or value wrong) */
    HMSK_LINK_HOTLIST_FULL = 4, /* detail: 0 */
    HMSK_LINK_DECODE = 5,       /* detail: hmsk_err of a gate block */
    HMSK_LINK_HOTLIST_GAP = 6   /* detail: low byte of the reader's hot-list version; send the missing deltas */
};

#define HMSK_BRIDGE_MAX_DELTA ((HMSK_BRIDGE_MAX_PAYLOAD - 7) / 9)
#define HMSK_HOTLIST_OP_PUT 1
#define HMSK_HOTLIST_OP_REMOVE 0
/* Encoded frame size for a payload of n bytes: CRC (2), COBS overhead, the 0x00 delimiter. */
#define HMSK_FRAME_MAX(n) ((n) + 2 + ((n) + 2) / 254 + 1 + 1)

typedef struct hmsk_msg {
    uint8_t type; /* enum hmsk_msg_type */
    uint8_t seq;  /* sender's counter; a decision echoes its card message's seq */
    union {
        struct { uint8_t uid_len; uint8_t uid[10]; uint8_t gate[HMSK_GATE_BLOCK_LEN]; } card;
        struct { uint8_t allow; uint8_t reason; uint8_t error; } decision;
        struct {
            uint32_t version; /* hot-list version after this delta is applied */
            uint8_t count;
            struct { uint8_t op; hmsk_hot_entry entry; } items[HMSK_BRIDGE_MAX_DELTA];
        } hotlist;
        struct { uint32_t uptime_ms; uint32_t hotlist_version; uint16_t hotlist_count; uint16_t bad_frames; } heartbeat;
        struct { uint8_t code; uint8_t detail; } error;
    } u;
} hmsk_msg;

/* Payload bytes of a message; *len gets the length. */
HMSK_NODISCARD hmsk_err hmsk_msg_encode(const hmsk_msg *m, uint8_t *payload, size_t cap, size_t *len);
/* Message from payload bytes: HMSK_E_BAD_FORMAT for an unknown type, HMSK_E_BAD_LENGTH for a body
 * of the wrong size, HMSK_E_BAD_FIELD for a bad value. */
HMSK_NODISCARD hmsk_err hmsk_msg_decode(const uint8_t *payload, size_t len, hmsk_msg *m);

/* Frame = COBS(payload || CRC-16 big-endian) || 0x00. */
HMSK_NODISCARD hmsk_err hmsk_frame_encode(const uint8_t *payload, size_t len, uint8_t *out, size_t cap, size_t *out_len);

typedef enum hmsk_rx_result {
    HMSK_RX_MORE = 0,      /* keep feeding */
    HMSK_RX_FRAME = 1,     /* *payload / *len hold a frame whose CRC checked */
    HMSK_RX_BAD_FRAME = 2  /* a frame was dropped (COBS, CRC or overflow); resynchronised at 0x00 */
} hmsk_rx_result;

typedef struct hmsk_bridge_rx {
    uint8_t buf[HMSK_FRAME_MAX(HMSK_BRIDGE_MAX_PAYLOAD)];
    size_t len;
    uint8_t overflow;
    uint32_t bad_frames; /* count of HMSK_RX_BAD_FRAME results */
} hmsk_bridge_rx;

void hmsk_bridge_rx_init(hmsk_bridge_rx *rx);
/* Feeds one received byte. With HMSK_RX_FRAME, *payload points into rx (valid until the next feed). */
HMSK_NODISCARD hmsk_rx_result hmsk_bridge_rx_feed(hmsk_bridge_rx *rx, uint8_t byte, const uint8_t **payload, size_t *len);

/* Applies a decoded hot-list delta to hl (puts and removes, then the version). */
HMSK_NODISCARD hmsk_err hmsk_hotlist_apply(hmsk_hotlist *hl, const hmsk_msg *delta);
#endif

#ifdef __cplusplus
}
#endif
#endif /* HMSK_H */

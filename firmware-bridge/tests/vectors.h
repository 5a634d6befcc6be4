/*
 * Shapes of the shared test vectors (spec section 8) as C data; tests/vectors_data.c is generated
 * from test-vectors/ *.json and shared/spec/examples.json by tools/vectors2c.mjs. Expected values
 * stay in the JSON's string form ("2028-06-30", "123456") and the test formats the C decoder's
 * numbers to compare, so the conversion is checked too.
 */
#ifndef HMSK_TEST_VECTORS_H
#define HMSK_TEST_VECTORS_H
#include <stddef.h>
#include <stdint.h>

/* kinds decode-gate and decode-record */
struct decode_vector {
    const char *id;
    int record;              /* 1: decode-record, 0: decode-gate */
    const uint8_t *input;
    size_t input_len;
    const char *error;       /* expected error code, or NULL */
    const char *category, *card_number, *org_number, *expiry;
    int issue;
    /* decode-record only */
    const char *birth_date, *gender, *given_name, *family_name, *org_name;
    int is_signed, truncated;
};

struct hot_vector_entry {
    uint64_t card_number;
    uint16_t min_issue; /* 0xFFFF: none */
    uint8_t status;
};

/* kind gate */
struct gate_vector {
    const char *id;
    const uint8_t *input;
    size_t input_len;
    int64_t now;             /* unix seconds of input.now */
    const struct hot_vector_entry *hotlist; /* in file order; the test sorts a copy */
    size_t hotlist_len;
    uint8_t category_mask;   /* hmsk_policy.category_mask */
    const uint32_t *orgs;    /* NULL: not listed */
    size_t org_count;
    int allow;
    const char *reason;
    const char *error;       /* NULL when the vector names none */
};

/* kind track-decode */
struct track_vector {
    const char *id;
    int track;
    const char *data;
    size_t data_len;
    const char *error;
    const char *org_number, *card_number, *expiry, *category, *name;
    int issue;               /* -1 when the vector has none */
};

extern const struct decode_vector decode_vectors[];
extern const size_t decode_vector_count;
extern const struct gate_vector gate_vectors[];
extern const size_t gate_vector_count;
extern const struct track_vector track_vectors[];
extern const size_t track_vector_count;
extern const size_t skipped_vector_count;
#endif

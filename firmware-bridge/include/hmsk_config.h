/*
 * hmsk_config.h - compile-time options of the HMSK C decoder (libosdp osdp_config.h style).
 * Every option has an #ifndef default, so a build overrides it with -DNAME=value or by
 * defining it before including hmsk.h.
 */
#ifndef HMSK_CONFIG_H
#define HMSK_CONFIG_H

/* CRC-16 and CRC-32 (src/crc.c), the same values in every mode (tests run all three):
 * 2: sliced tables, CRC-16 by 4 and CRC-32 by 8 (10 KiB of const data; the host default, fastest);
 * 1: one 256-entry table each (1.5 KiB of const data, a byte at a time);
 * 0: bitwise loops (no tables, smallest flash). Sizes of each: `make size`, README. */
#ifndef HMSK_CRC_TABLES
#define HMSK_CRC_TABLES 2
#endif

/* Hot lists of at least this many entries are searched by interpolation and galloping, shorter
 * ones by bisection (src/decide.c lower_bound); the results are the same. */
#ifndef HMSK_HOTLIST_INTERPOLATE_MIN
#define HMSK_HOTLIST_INTERPOLATE_MIN 1024
#endif

/* 1: hmsk_decode_record checks that the texts are valid UTF-8 (spec section 2 requires it; only
 * turn it off on a gate that never reads the holder area). */
#ifndef HMSK_CHECK_UTF8
#define HMSK_CHECK_UTF8 1
#endif

/* 1: build the track 1/track 2 decoders (spec section 4). */
#ifndef HMSK_WITH_TRACKS
#define HMSK_WITH_TRACKS 1
#endif

/* 1: build the serial bridge (PROTOCOL.md). */
#ifndef HMSK_WITH_BRIDGE
#define HMSK_WITH_BRIDGE 1
#endif

/* Largest bridge payload (message type + sequence + body) a receiver accepts; the receive
 * buffer of struct hmsk_bridge_rx is this plus the CRC and the COBS overhead. A hot-list delta
 * of n entries needs 3 + 8n bytes. */
#ifndef HMSK_BRIDGE_MAX_PAYLOAD
#define HMSK_BRIDGE_MAX_PAYLOAD 128
#endif

#endif /* HMSK_CONFIG_H */

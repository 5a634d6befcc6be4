/*
 * hal.h - the small hardware abstraction the gate sketch (gate_mfrc522.c) runs on. A board port
 * implements these with its SPI/UART/GPIO drivers; hal_stub.c implements them on a PC so the
 * sketch builds and runs here. Everything is non-blocking except the reader transfers.
 */
#ifndef GATE_HAL_H
#define GATE_HAL_H
#include <stddef.h>
#include <stdint.h>

/* Milliseconds since reset (wraps after 49 days; the sketch compares with unsigned subtraction). */
uint32_t hal_millis(void);
/* UTC seconds from the RTC (set by the host or GNSS); 0 when the clock was never set. */
int64_t hal_utc_seconds(void);

/* UART to the host: write blocks until queued; read returns 1 and a byte, or 0 when none waits. */
void hal_uart_write(const uint8_t *data, size_t len);
int hal_uart_read(uint8_t *byte);

/* MFRC522 (NXP, ISO/IEC 14443 A) over SPI, the calls a MIFARE Classic read needs:
 * request + anticollision + select -> UID (4, 7 or 10 bytes); 0 = no card in the field. */
int rc522_select(uint8_t uid[10], uint8_t *uid_len);
/* Three-pass authentication of `block` with key A; 1 on success. */
int rc522_auth_key_a(uint8_t block, const uint8_t key[6], const uint8_t *uid, uint8_t uid_len);
/* READ of one 16-byte block; 1 on success (CRC_A checked by the MFRC522). */
int rc522_read_block(uint8_t block, uint8_t out[16]);
void rc522_halt(void);

/* Sector key A = KDF(read master, UID, sector, 'A') (spec section 3: AES-128-CMAC, RFC 4493). The
 * read master never leaves the secure element / AES peripheral that computes this. 1 on success. */
int hal_derive_key_a(const uint8_t *uid, uint8_t uid_len, uint8_t sector, uint8_t key[6]);

/* Door relay and indicator. */
void hal_gate_open(uint32_t ms);
void hal_signal_deny(uint8_t reason);
#endif

/*
 * Semihosting calls of the test image (ARM "Semihosting for AArch32 and AArch64", version 2.0,
 * github.com/ARM-software/abi-aa semihosting/semihosting.rst): on M-profile the call is
 * `BKPT 0xAB` with the operation in r0 and the argument (a parameter block's address) in r1;
 * QEMU answers them with -semihosting-config enable=on,target=native.
 */
#ifndef HMSK_TARGET_SEMIHOST_H
#define HMSK_TARGET_SEMIHOST_H
#include <stdint.h>

#define SH_SYS_OPEN 0x01u  /* [name, mode, name length] -> handle; ":tt" mode 4 ("w") is stdout */
#define SH_SYS_WRITE 0x05u /* [handle, buffer, length] -> bytes NOT written */
#define SH_SYS_EXIT 0x18u  /* AArch32: r1 is the reason itself, not a block */
#define SH_ADP_STOPPED_APPLICATION_EXIT 0x20026u /* QEMU exits with status 0 */
#define SH_ADP_STOPPED_RUNTIME_ERROR 0x20023u    /* any other reason: QEMU exits with status 1 */

uintptr_t sh_call(uintptr_t op, uintptr_t arg);
void sh_exit(int ok) __attribute__((noreturn));
void sh_puts(const char *s);

#endif

/*
 * Start-up of the Cortex-M test image (ARMv7-M Architecture Reference Manual, ARM DDI 0403E,
 * B1.5.3 "The vector table": word 0 is the initial SP, word 1 the reset handler, then NMI and
 * HardFault). reset_handler copies .data from flash, zeroes .bss, paints the stack with a pattern
 * so main can measure how deep it went, and runs main, whose status ends the run through semihosting (semihost.c).
 */
#include <stdint.h>
#include <string.h>

#include "semihost.h"
#include "target.h"

extern uint32_t __data_load[], __data_start[], __data_end[], __bss_start[], __bss_end[];
extern uint8_t __stack_bottom[], __stack_top[];
int main(void);

void reset_handler(void) __attribute__((noreturn));
static void fault_handler(void) __attribute__((noreturn));

__attribute__((section(".vectors"), used)) static void (*const vectors[16])(void) = {
    (void (*)(void))(uintptr_t)__stack_top, reset_handler, fault_handler, fault_handler, fault_handler,
    fault_handler, fault_handler, 0, 0, 0, 0, fault_handler, fault_handler, 0, fault_handler, fault_handler,
};

/* Every fault (HardFault, MemManage, BusFault, UsageFault: an unaligned or bad access, an undefined
 * instruction) ends the run as a failure instead of hanging QEMU until its time-out. */
static void fault_handler(void)
{
    sh_puts("target: FAULT (HardFault/MemManage/BusFault/UsageFault): test run failed\n");
    sh_exit(0);
}

void reset_handler(void)
{
    uint32_t *src = __data_load, *dst = __data_start;
    uint8_t *sp;
    while (dst < __data_end)
        *dst++ = *src++;
    for (dst = __bss_start; dst < __bss_end; dst++)
        *dst = 0;
    __asm__ volatile("mov %0, sp" : "=r"(sp));
    paint_stack(__stack_bottom, sp - 16);
    sh_exit(main() == 0);
}

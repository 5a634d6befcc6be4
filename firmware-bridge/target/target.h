/* Shared by the start-up code and the measuring main of the Cortex-M test image. */
#ifndef HMSK_TARGET_H
#define HMSK_TARGET_H
#include <stdint.h>

#define STACK_PAINT 0xA5u
/* Inlined: a called function would have its own frame inside the range it paints over. */
static inline __attribute__((always_inline)) void paint_stack(volatile uint8_t *from, volatile uint8_t *to)
{
    while (from < to)
        *from++ = STACK_PAINT;
}

#endif

/*
 * Semihosting glue (semihost.h) and the three newlib system calls the test image needs: _write
 * to stdout/stderr, _exit, _isatty; libnosys supplies the rest (open, read, sbrk...) as stubs.
 */
#include <stddef.h>
#include <string.h>

#include "semihost.h"

uintptr_t sh_call(uintptr_t op, uintptr_t arg)
{
    register uintptr_t r0 __asm__("r0") = op;
    register uintptr_t r1 __asm__("r1") = arg;
    __asm__ volatile("bkpt 0xAB" : "+r"(r0) : "r"(r1) : "memory");
    return r0;
}

static uintptr_t stdout_handle(void)
{
    static uintptr_t handle = (uintptr_t)-1;
    if (handle == (uintptr_t)-1) {
        uintptr_t block[3] = {(uintptr_t)":tt", 4u, 3u};
        handle = sh_call(SH_SYS_OPEN, (uintptr_t)block);
    }
    return handle;
}


/* No fflush here: the gate image links no stdio; the test image's stdout is line-buffered. */
void sh_exit(int ok)
{
    for (;;)
        sh_call(SH_SYS_EXIT, ok ? SH_ADP_STOPPED_APPLICATION_EXIT : SH_ADP_STOPPED_RUNTIME_ERROR);
}

int _write(int fd, const char *buf, int len);
int _write(int fd, const char *buf, int len)
{
    uintptr_t block[3];
    (void)fd; /* stdout and stderr both go to the host's stdout */
    block[0] = stdout_handle();
    block[1] = (uintptr_t)buf;
    block[2] = (uintptr_t)len;
    return len - (int)sh_call(SH_SYS_WRITE, (uintptr_t)block);
}

void sh_puts(const char *s)
{
    _write(1, s, (int)strlen(s));
}

int _isatty(int fd);
int _isatty(int fd)
{
    (void)fd;
    return 1; /* line-buffered stdout: output arrives as the tests run */
}

void _exit(int status) __attribute__((noreturn));
void _exit(int status)
{
    sh_exit(status == 0);
}

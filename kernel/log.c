/* The kernel's log: single lines on stderr, where Jupyter shows a kernel's complaints. */
#include "log.h"

#include <stdarg.h>
#include <stdio.h>

void kn_kernel_log(const char *fmt, ...)
{
    char line[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(line, sizeof line, fmt, ap);
    va_end(ap);
    /* One write per line, so lines from different threads do not interleave. */
    fprintf(stderr, "kiln-kernel: %s\n", line);
}

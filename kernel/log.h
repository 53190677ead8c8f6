/* The kernel's log: single lines on stderr, where Jupyter shows a kernel's complaints. */
#ifndef KN_LOG_H
#define KN_LOG_H

/* One line, prefixed "kiln-kernel: ". */
void kn_kernel_log(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif

/* The connection file Jupyter writes for a kernel: where to bind and how to sign. */
#ifndef KN_CONNECTION_H
#define KN_CONNECTION_H

#include <stddef.h>

typedef struct kn_connection {
    char transport[4]; /* "tcp" or "ipc" */
    char *ip;          /* for ipc: the path prefix of the socket files */
    int shell_port, iopub_port, stdin_port, control_port, hb_port;
    char *key; /* "" when messages are not signed */
    size_t key_len;
} kn_connection;

/* 0, or -1 with a one-line reason in err. */
int kn_kernel_connection_parse(const char *text, size_t len, kn_connection *c, char *err,
                               size_t errlen);
int kn_kernel_connection_load(const char *path, kn_connection *c, char *err, size_t errlen);
void kn_kernel_connection_free(kn_connection *c);

/* The ZeroMQ endpoint of one port: tcp://IP:PORT or ipc://IP-PORT. */
void kn_kernel_connection_endpoint(const kn_connection *c, int port, char *buf, size_t len);

#endif

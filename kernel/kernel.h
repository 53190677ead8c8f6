/* The kernel's shared state: its sockets, threads and session, and what handlers are given. */
#ifndef KN_KERNEL_H
#define KN_KERNEL_H

#include <pthread.h>
#include <stdatomic.h>

#include <kiln/session.h>

#include "connection.h"
#include "log.h"
#include "message.h"
#include "socket.h"
#include "wire.h"

typedef struct kn_kernel kn_kernel;
typedef struct kn_request kn_request;

typedef void (*kn_handler_fn)(kn_request *r);

typedef struct kn_handler {
    const char *msg_type;
    kn_handler_fn fn;
} kn_handler;

/* A ROUTER socket that serves requests, with what its thread needs to answer them. */
typedef struct kn_channel {
    const char *name; /* "shell" or "control", for the log */
    void *sock;
    void *wake;                 /* the PAIR that joins the control thread and the main thread */
    const kn_handler *handlers; /* ends with {NULL, NULL} */
    kn_sender out;
    kn_msgvec in;
} kn_channel;

/* A request being handled: its frames stay valid until the handler returns. */
struct kn_request {
    kn_kernel *k;
    kn_channel *ch;
    kn_wire_msg msg;
    int idle; /* its status idle is published */
};

/* The execute_request the main thread is running, for the session's callbacks. */
typedef struct kn_cell {
    const kn_request *req; /* NULL between cells */
    int silent, allow_stdin;
} kn_cell;

struct kn_kernel {
    kn_connection conn;
    kn_frontend frontend;
    kn_session *session;
    char *kernel_info; /* kernel_info_reply content, built once */
    char session_id[KN_UUID_SIZE];
    kn_wire_buf username_json;
    pthread_t main_thread;
    atomic_int stop;    /* set by a shutdown_request or SIGTERM; the main loop then ends */
    atomic_int in_cell; /* the main thread runs a cell, which signals may interrupt */
    void *zctx;

    /* Each thread other than main, with the sockets only it uses while it runs. */
    pthread_t iopub_thread, hb_thread, control_thread;
    int iopub_up, hb_up, control_up;
    void *pub, *pull, *ack; /* iopub thread */
    void *hb;               /* heartbeat thread */
    kn_channel control;     /* control thread */

    /* Main thread only. */
    kn_channel shell;
    void *stdin_sock;
    kn_cell cell;
    int execution_count;
    /* stop_on_error: the requests that were waiting when a cell failed, see shell.c */
    kn_msgvec *held;
    size_t n_held, cap_held;
    int aborting;

    /* Output from Python threads other than main: see output.c. */
    pthread_mutex_t foreign_lock;
    kn_sender foreign;
    int foreign_closed;
    kn_wire_buf foreign_parent;
};

/* kernel.c: runs a kernel for a connection file until shutdown; the process exit status. */
int kn_kernel_run(const char *connection_file);

/* request.c: serves one waiting request, if any. 1: served or dropped, 0: none, -1: dead socket. */
int kn_kernel_serve(kn_kernel *k, kn_channel *ch);
/* Serves a request already received into v, and resets v. */
void kn_kernel_handle(kn_kernel *k, kn_channel *ch, kn_msgvec *v);
/* The reply to r: X_request is answered with X_reply. */
void kn_kernel_reply(kn_request *r, kn_frame content);
void kn_kernel_reply_str(kn_request *r, const char *content);
/* Replies with content the session built and frees it; NULL means the session failed. */
void kn_kernel_reply_owned(kn_request *r, char *content);
void kn_kernel_reply_error(kn_request *r, const char *ename, const char *evalue);

/* iopub.c: the iopub thread, and how other threads publish through it. */
int kn_kernel_iopub_start(kn_kernel *k);
int kn_kernel_publish(kn_sender *s, kn_frame parent, const char *msg_type, kn_frame content);
void kn_kernel_publish_status(kn_sender *s, kn_frame parent, const char *state);
/* Returns once everything s published before is on the PUB socket. */
void kn_kernel_iopub_flush(kn_sender *s);
/* s publishes nothing more; the iopub thread ends when every producer said so. */
void kn_kernel_iopub_done(kn_sender *s);

/* heartbeat.c */
int kn_kernel_heartbeat_start(kn_kernel *k);

/* control.c */
int kn_kernel_control_start(kn_kernel *k);
void kn_kernel_control_stop(kn_kernel *k);

/* shell.c: the main thread's loop, until shutdown. 0, or -1 when the shell socket died. */
int kn_kernel_shell_loop(kn_kernel *k);
/* Takes every request waiting on shell now, to be served (executes aborted) after this one. */
void kn_kernel_shell_hold_queued(kn_kernel *k);
void kn_kernel_shell_free(kn_kernel *k);

/* output.c: the session's callbacks. */
kn_frontend kn_kernel_frontend(kn_kernel *k);

/* signals.c */
void kn_kernel_signals_install(kn_kernel *k);
/* For the exit: SIGINT ignored, SIGTERM fatal again. */
void kn_kernel_signals_exit(void);
/* SIGINTs received so far: a waiting input() compares it to see an interrupt. */
unsigned kn_kernel_interrupts(void);
/* Starts a thread with SIGINT and SIGTERM blocked, so that they reach the main thread. */
int kn_kernel_spawn(pthread_t *t, void *(*fn)(void *), void *arg);

#endif

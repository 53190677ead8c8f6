/* A kernel's life: open its sockets, start its threads and session, serve, tear it all down. */
#include "kernel.h"

#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "handlers.h"

#define IOPUB_PIPE "inproc://kiln-iopub"
#define IOPUB_ACK "inproc://kiln-iopub-ack"
#define WAKE_PIPE "inproc://kiln-wake"
#define SLOT(field) offsetof(kn_kernel, field)
#define PORT(field) offsetof(kn_connection, field)

/* Every socket, where it goes, and (for opening and closing) where it is kept. Binds first. */
static const struct socket_spec {
    size_t slot;
    int type;
    size_t port;        /* a port of the connection file... */
    const char *inproc; /* ...or else a pipe between threads */
    int bind;
} sockets[] = {
    {SLOT(shell.sock), ZMQ_ROUTER, PORT(shell_port), NULL, 1},
    {SLOT(control.sock), ZMQ_ROUTER, PORT(control_port), NULL, 1},
    {SLOT(stdin_sock), ZMQ_ROUTER, PORT(stdin_port), NULL, 1},
    {SLOT(hb), ZMQ_ROUTER, PORT(hb_port), NULL, 1},
    {SLOT(pub), ZMQ_PUB, PORT(iopub_port), NULL, 1},
    {SLOT(pull), ZMQ_PULL, 0, IOPUB_PIPE, 1},
    {SLOT(ack), ZMQ_PAIR, 0, IOPUB_ACK, 1},
    {SLOT(shell.wake), ZMQ_PAIR, 0, WAKE_PIPE, 1},
    {SLOT(shell.out.iopub), ZMQ_PUSH, 0, IOPUB_PIPE, 0},
    {SLOT(shell.out.flush_ack), ZMQ_PAIR, 0, IOPUB_ACK, 0},
    {SLOT(control.out.iopub), ZMQ_PUSH, 0, IOPUB_PIPE, 0},
    {SLOT(control.wake), ZMQ_PAIR, 0, WAKE_PIPE, 0},
    {SLOT(foreign.iopub), ZMQ_PUSH, 0, IOPUB_PIPE, 0},
};
#define N_SOCKETS (sizeof sockets / sizeof sockets[0])

static void **slot_of(kn_kernel *k, const struct socket_spec *s)
{
    return (void **)((char *)k + s->slot);
}

static int open_sockets(kn_kernel *k)
{
    char endpoint[512];
    for (size_t i = 0; i < N_SOCKETS; i++) {
        const struct socket_spec *s = &sockets[i];
        if (s->inproc)
            snprintf(endpoint, sizeof endpoint, "%s", s->inproc);
        else
            kn_kernel_connection_endpoint(&k->conn, *(int *)((char *)&k->conn + s->port), endpoint,
                                          sizeof endpoint);
        *slot_of(k, s) = kn_kernel_socket(k->zctx, s->type, endpoint, s->bind);
        if (!*slot_of(k, s))
            return -1;
    }
    return 0;
}

static void close_sockets(kn_kernel *k)
{
    for (size_t i = 0; i < N_SOCKETS; i++) {
        void **sock = slot_of(k, &sockets[i]);
        if (*sock)
            zmq_close(*sock);
        *sock = NULL;
    }
}

static int init_sender(kn_kernel *k, kn_sender *s)
{
    s->signer = kn_wire_signer_new(k->conn.key, k->conn.key_len);
    s->session_id = k->session_id;
    s->username_json = k->username_json.data;
    return s->signer ? 0 : -1;
}

static void init_identity(kn_kernel *k)
{
    const char *user = getenv("USER");
    struct passwd *pw = user ? NULL : getpwuid(getuid());
    if (!user)
        user = pw ? pw->pw_name : "kernel";
    kn_wire_buf_put_json_string(&k->username_json, user, strlen(user));
    kn_kernel_uuid4(k->session_id);
    k->main_thread = pthread_self();
    k->shell.name = "shell";
    k->control.name = "control";
}

static int start_plumbing(kn_kernel *k)
{
    k->zctx = zmq_ctx_new();
    if (!k->zctx || open_sockets(k) < 0)
        return -1;
    if (init_sender(k, &k->shell.out) < 0 || init_sender(k, &k->control.out) < 0 ||
        init_sender(k, &k->foreign) < 0) {
        kn_kernel_log("cannot set up HMAC-SHA256 signing");
        return -1;
    }
    k->iopub_up = kn_kernel_iopub_start(k) == 0;
    k->hb_up = kn_kernel_heartbeat_start(k) == 0;
    return k->iopub_up && k->hb_up ? 0 : -1;
}

/* The sockets come first: they fail fast (a port in use), Python takes longest. */
static int start(kn_kernel *k)
{
    init_identity(k);
    pthread_mutex_init(&k->foreign_lock, NULL);
    if (start_plumbing(k) < 0)
        return -1;
    k->frontend = kn_kernel_frontend(k);
    k->session = kn_session_create(&k->frontend, 0, NULL);
    if (!k->session) {
        kn_kernel_log("cannot start the Python session");
        return -1;
    }
    k->kernel_info = kn_kernel_info_content(k->session);
    k->control_up = k->kernel_info && kn_kernel_control_start(k) == 0;
    if (!k->control_up)
        return -1;
    kn_kernel_signals_install(k);
    kn_kernel_publish_status(&k->shell.out, (kn_frame){0}, "starting");
    return 0;
}

/* Output from Python's own threads stops here; the session's last words came before. */
static void close_foreign(kn_kernel *k)
{
    pthread_mutex_lock(&k->foreign_lock);
    if (k->iopub_up)
        kn_kernel_iopub_done(&k->foreign);
    k->foreign_closed = 1;
    pthread_mutex_unlock(&k->foreign_lock);
}

/*
 * In order: the control thread (its last messages go into the iopub pipe),
 * the session (Python may still print), then every producer's end of the
 * pipe, so the iopub thread publishes everything before it ends. The
 * heartbeat goes last, when the context shuts down.
 */
static void stop(kn_kernel *k)
{
    kn_kernel_signals_exit();
    if (k->control_up)
        kn_kernel_control_stop(k);
    else if (k->iopub_up)
        kn_kernel_iopub_done(&k->control.out);
    if (k->session)
        kn_session_destroy(k->session);
    close_foreign(k);
    if (k->iopub_up) {
        kn_kernel_iopub_done(&k->shell.out);
        pthread_join(k->iopub_thread, NULL);
    }
    if (k->zctx)
        zmq_ctx_shutdown(k->zctx);
    if (k->hb_up)
        pthread_join(k->hb_thread, NULL);
    close_sockets(k);
    if (k->zctx)
        zmq_ctx_term(k->zctx);
}

static void free_kernel(kn_kernel *k)
{
    kn_kernel_sender_free(&k->shell.out);
    kn_kernel_sender_free(&k->control.out);
    kn_kernel_sender_free(&k->foreign);
    kn_kernel_msgvec_free(&k->shell.in);
    kn_kernel_msgvec_free(&k->control.in);
    kn_kernel_shell_free(k);
    kn_wire_buf_free(&k->username_json);
    kn_wire_buf_free(&k->foreign_parent);
    kn_kernel_connection_free(&k->conn);
    pthread_mutex_destroy(&k->foreign_lock);
    free(k->kernel_info);
    free(k);
}

int kn_kernel_run(const char *connection_file)
{
    char err[512];
    kn_kernel *k = calloc(1, sizeof *k);
    if (!k)
        return 1;
    if (kn_kernel_connection_load(connection_file, &k->conn, err, sizeof err) < 0) {
        kn_kernel_log("bad connection file %s: %s", connection_file, err);
        free(k);
        return 1;
    }
    int rc = start(k) == 0 && kn_kernel_shell_loop(k) == 0 ? 0 : 1;
    stop(k);
    free_kernel(k);
    return rc;
}

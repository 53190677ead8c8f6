/* execute_request: run a cell through the session and answer with execute_reply. */
#include "kernel.h"

#include <stdio.h>
#include <stdlib.h>

#include "handlers.h"

static int flag(json_t *content, const char *name, int def)
{
    json_t *v = json_object_get(content, name);
    return json_is_boolean(v) ? json_is_true(v) : def;
}

/* Output from Python's other threads goes to the latest cell: see output.c. */
static void set_foreign_parent(kn_kernel *k, kn_frame header)
{
    pthread_mutex_lock(&k->foreign_lock);
    kn_wire_buf_reset(&k->foreign_parent);
    kn_wire_buf_put(&k->foreign_parent, header.data, header.len);
    pthread_mutex_unlock(&k->foreign_lock);
}

static void publish_input(kn_request *r, json_t *code, int count)
{
    kn_wire_buf *b = &r->ch->out.body;
    kn_wire_buf_reset(b);
    kn_wire_buf_puts(b, "{\"code\":");
    kn_wire_buf_put_json_string(b, json_string_value(code), json_string_length(code));
    kn_wire_buf_printf(b, ",\"execution_count\":%d}", count);
    kn_kernel_publish(&r->ch->out, r->msg.parts.header, "execute_input", kn_wire_buf_frame(b));
}

static void run(kn_request *r, const char *code, const kn_run_options *o, kn_run_result *res)
{
    kn_kernel *k = r->k;
    set_foreign_parent(k, r->msg.parts.header);
    k->cell = (kn_cell){.req = r, .silent = o->silent, .allow_stdin = o->allow_stdin};
    atomic_store(&k->in_cell, 1);
    kn_session_run_cell(k->session, code, o, res);
    atomic_store(&k->in_cell, 0);
    k->cell = (kn_cell){0};
    k->execution_count = res->execution_count;
}

static void reply_ok(kn_request *r, const kn_run_result *res)
{
    kn_wire_buf *b = &r->ch->out.body;
    kn_wire_buf_reset(b);
    kn_wire_buf_printf(b,
                       "{\"status\":\"ok\",\"execution_count\":%d,\"user_expressions\":%s,"
                       "\"payload\":[]}",
                       res->execution_count,
                       res->user_expressions_json ? res->user_expressions_json : "{}");
    kn_kernel_reply(r, kn_wire_buf_frame(b));
}

/* The session's {"ename","evalue","traceback"}; SystemExit may come without one. */
static json_t *error_object(const kn_run_result *res)
{
    json_t *e = res->error_json ? json_loads(res->error_json, 0, NULL) : NULL;
    if (json_is_object(e))
        return e;
    json_decref(e);
    char evalue[32];
    snprintf(evalue, sizeof evalue, "%d", res->exit_status);
    return json_pack("{s:s, s:s, s:[]}", "ename", res->exit_requested ? "SystemExit" : "Error",
                     "evalue", res->exit_requested ? evalue : "", "traceback");
}

/*
 * The error goes on iopub, then the reply repeats it with user_expressions
 * empty, as ipykernel's does. Like sys.exit() under ipykernel, SystemExit is an
 * error shown to the user; the kernel lives on (a shutdown_request ends it).
 */
static void reply_error(kn_request *r, const kn_run_result *res, int silent, int stop_on_error)
{
    json_t *e = error_object(res);
    char *error = json_dumps(e, JSON_COMPACT);
    if (error && !silent)
        kn_kernel_publish(&r->ch->out, r->msg.parts.header, "error", kn_frame_str(error));
    if (!silent && stop_on_error)
        kn_kernel_shell_hold_queued(r->k);
    json_object_set_new(e, "status", json_string("error"));
    json_object_set_new(e, "execution_count", json_integer(res->execution_count));
    json_object_set_new(e, "user_expressions", json_object());
    json_object_set_new(e, "payload", json_array());
    char *reply = json_dumps(e, JSON_COMPACT);
    if (reply)
        kn_kernel_reply_str(r, reply);
    free(reply);
    free(error);
    json_decref(e);
}

/* Checks what the session cannot: 0, or -1 after an error reply. */
static int check_request(kn_request *r, json_t *code, json_t *exprs)
{
    if (!json_is_string(code)) {
        kn_kernel_reply_error(r, "TypeError", "execute_request: code must be a string");
        return -1;
    }
    if (exprs && !json_is_null(exprs) && !json_is_object(exprs)) {
        kn_kernel_reply_error(r, "TypeError",
                              "execute_request: user_expressions must be an object");
        return -1;
    }
    return 0;
}

/*
 * A cell's output must reach iopub before its reply reaches shell: clients
 * stop collecting output once they have the reply and the idle status. It
 * does: the cell's messages are in the iopub pipe, in order, before the reply
 * is sent, and idle follows them into the same pipe just before it (request.c).
 * Waiting for the iopub thread to put them on the wire as well would cost a
 * round trip between threads on every execute and buy nothing a client can
 * see: shell and iopub are separate connections anyway.
 */
void kn_kernel_handle_execute(kn_request *r)
{
    kn_kernel *k = r->k;
    json_t *c = r->msg.content;
    json_t *code = json_object_get(c, "code");
    json_t *exprs = json_object_get(c, "user_expressions");
    if (check_request(r, code, exprs) < 0)
        return;
    if (k->aborting) {
        kn_kernel_reply_str(r, "{\"status\":\"aborted\"}");
        return;
    }
    kn_run_options o = {.silent = flag(c, "silent", 0), .allow_stdin = flag(c, "allow_stdin", 1),
                        .report = 1};
    o.store_history = o.silent ? 0 : flag(c, "store_history", 1);
    char *exprs_json = json_object_size(exprs) ? json_dumps(exprs, JSON_COMPACT) : NULL;
    o.user_expressions_json = exprs_json;
    if (!o.silent)
        publish_input(r, code, k->execution_count + o.store_history);
    kn_run_result res = {0};
    run(r, json_string_value(code), &o, &res);
    if (res.ok)
        reply_ok(r, &res);
    else
        reply_error(r, &res, o.silent, flag(c, "stop_on_error", 1));
    kn_run_result_clear(&res);
    free(exprs_json);
}

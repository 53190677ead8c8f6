/* The interpreter session: the one API the kernel and the REPL drive. */
#ifndef KILN_SESSION_H
#define KILN_SESSION_H

#include <stddef.h>

typedef struct kn_session kn_session;

/* What an input callback answers. */
enum {
    KN_INPUT_OK = 0,
    KN_INPUT_UNAVAILABLE = -1, /* the front end does not allow stdin now */
    KN_INPUT_INTERRUPTED = -2, /* the user interrupted while we waited */
};

/*
 * Where a session sends what a cell produces. Any callback may be NULL.
 * Texts are UTF-8; *_json arguments are complete JSON documents, so a front
 * end needs no Python to forward them.
 */
typedef struct kn_frontend {
    void *ctx;
    /* name is "stdout" or "stderr"; writes arrive batched and in order. */
    void (*stream)(void *ctx, const char *name, const char *text, size_t len);
    /*
     * A mime bundle. execution_count > 0 marks the result of a cell (the
     * display hook: execute_result); 0 is a display() call (display_data).
     */
    void (*display)(void *ctx, const char *data_json, const char *metadata_json,
                    int execution_count);
    /* Ask for one line; on KN_INPUT_OK *line is malloc'd, without newline. */
    int (*input)(void *ctx, const char *prompt, int password, char **line);
} kn_frontend;

typedef struct kn_run_options {
    int silent;                        /* no output, no history, no count */
    int store_history;                 /* count this cell and keep it in In/Out */
    int allow_stdin;                   /* input() may ask the front end */
    const char *user_expressions_json; /* {"name": "expr", ...} or NULL */
    int report;                        /* show what the cell compiled, as display data */
} kn_run_options;

typedef struct kn_run_result {
    int ok;                      /* 1: the cell ran to the end; 0: it raised */
    int execution_count;         /* the count this cell was given */
    char *error_json;            /* when !ok: {"ename","evalue","traceback":[...]} */
    char *user_expressions_json; /* {"name": {"status": "ok", "data": ...}} */
    int exit_requested;          /* the cell raised SystemExit */
    int exit_status;             /* its status, as python would exit with */
} kn_run_result;

/*
 * Starts loading the JIT (LLVM) in a thread of its own, so that the first
 * compilation does not wait for it: about 25 MB, and 30 ms of one core.
 * For front ends whose users compile at once; importing kiln starts it
 * too. Call it before kn_session_create to overlap the two. KILN_PRELOAD=0
 * in the environment turns it off.
 */
void kn_session_preload_jit(void);

/* argv becomes sys.argv (argc may be 0: sys.argv is then ['']). */
kn_session *kn_session_create(const kn_frontend *frontend, int argc, char **argv);
void kn_session_destroy(kn_session *s);

/* Runs one cell (or a whole script) in the persistent __main__. Returns r->ok. */
int kn_session_run_cell(kn_session *s, const char *code, const kn_run_options *opts,
                        kn_run_result *r);
/* Runs a file as `python FILE` does: __file__ set, SystemExit honoured. */
int kn_session_run_file(kn_session *s, const char *path, kn_run_result *r);
void kn_run_result_clear(kn_run_result *r);

/* Each returns the content of the matching Jupyter reply as JSON (kn_free it). */
char *kn_session_complete(kn_session *s, const char *code, int cursor_pos);
char *kn_session_inspect(kn_session *s, const char *code, int cursor_pos, int detail_level);
char *kn_session_is_complete(kn_session *s, const char *code);
/* request_json is a history_request's content. */
char *kn_session_history(kn_session *s, const char *request_json);

/*
 * Raises KeyboardInterrupt in the running cell, compiled loops included.
 * Async-signal-safe: call it from a SIGINT handler. Does nothing when idle.
 */
void kn_session_interrupt(kn_session *s);

/*
 * The front end shows ANSI colours: magics then colour IR and assembly in
 * their text/plain (the REPL on a terminal, unless NO_COLOR or --no-color).
 */
void kn_session_set_color(kn_session *s, int color);

/* "3.11.2", the embedded interpreter's version. */
const char *kn_session_python_version(const kn_session *s);
const char *kn_version(void);
void kn_free(void *p);

#endif

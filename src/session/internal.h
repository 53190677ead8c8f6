/* Private to src/session/: the session's state and what its files share. */
#ifndef KILN_SESSION_INTERNAL_H
#define KILN_SESSION_INTERNAL_H

#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <signal.h>

#include "kiln/session.h"
#include "session/buf.h"

typedef struct kn_session_output kn_session_output;

struct kn_session {
    kn_frontend fe;
    /* The `self` of every C function the session installs in Python: a capsule of this struct. */
    PyObject *self;
    PyObject *main_dict;
    /* Read by kn_session_interrupt from a signal handler. */
    volatile sig_atomic_t running;
    /* Callbacks run on this thread only; other threads' output waits for it. */
    unsigned long main_thread;

    /* The cell being run. */
    int silent;
    int store_history;
    int allow_stdin;
    int prompt_count; /* the count its result is shown with */

    int execution_count; /* of the last cell stored in history */
    int cells;           /* every cell run, for the <cell-N> names */
    int future_flags;    /* `from __future__` imports seen so far */
    int getpass_patched;
    int no_jedi;
    int color;            /* the front end shows ANSI colours (kn_session_set_color) */
    int report;           /* the cell being run asked for the per-cell report */
    size_t compile_mark;  /* the kiln module's compile log when the cell began */

    kn_session_output *out;
    PyObject *linecache;   /* linecache.cache, once a cell has run */
    PyObject *ast_module;  /* _ast */
    PyObject *compile;     /* builtins.compile */
    PyObject *repr_names;  /* the _repr_*_ method names, interned */
    PyObject *helpers;     /* name -> function, of the Python-written helpers */
    PyObject *tools;       /* the namespace of the magics and the report (tools.c), or NULL */
    PyObject *inputs;      /* history: the stored cells' code, cell N at N - 1 */
    PyObject *outputs;     /* history: N -> text/plain of cell N's result */
    PyObject *in_list;     /* In */
    PyObject *out_dict;    /* Out */
};

kn_session *kn_session_from_self(PyObject *self);
int kn_session_on_main_thread(const kn_session *s);
/* Sets module.<def's name> to def's C function, bound to the session. */
int kn_session_install(kn_session *s, const char *module, PyMethodDef *def);

/* json.c: text is malloc'd; NULL with an exception set on failure. */
char *kn_session_json_dumps(PyObject *obj);
PyObject *kn_session_json_loads(const char *text);
/* A reply's JSON text, or a copy of fallback if reply is NULL or cannot be written. */
char *kn_session_json_reply(PyObject *reply, const char *fallback);

/* stream.c: sys.stdout and sys.stderr, batched to frontend->stream. */
int kn_session_output_init(kn_session *s);
void kn_session_output_free(kn_session *s);
void kn_session_output_begin(kn_session *s);
/* Sends what is pending (or flushes Python's own streams when the session has none). */
void kn_session_output_flush(kn_session *s);
int kn_session_output_write(kn_session *s, int stream, const char *text, size_t len);

/* display.c: sys.displayhook, display(), mime bundles. */
int kn_session_display_init(kn_session *s);
/* The bundle of obj as a dict; *metadata receives its metadata dict. */
PyObject *kn_session_mimebundle(kn_session *s, PyObject *obj, PyObject **metadata);
/* Sends a mime bundle (a dict) as display data, unless the cell is silent. 0 or -1. */
int kn_session_show_bundle(kn_session *s, PyObject *bundle);

/* tools.c: magics and the per-cell report, written in Python. */
/* source with its magic lines made calls (a new reference; source itself when it has none). */
PyObject *kn_session_magics_transform(kn_session *s, PyObject *source);
/* Marks where the cell's compilations begin in the kiln module's log. */
void kn_session_report_begin(kn_session *s);
/* Shows the report of what the cell compiled, if anything and if wanted. 0 or -1. */
int kn_session_report(kn_session *s);

/* input.c: input() and getpass.getpass() through frontend->input. */
int kn_session_input_init(kn_session *s);
int kn_session_input_patch_getpass(kn_session *s);

/* error.c */
/* Takes the raised exception: normalized, traceback attached, kept in sys.last_*. */
PyObject *kn_session_error_take(void);
/* {"ename", "evalue", "traceback"} of exc, as a dict. */
PyObject *kn_session_error_dict(PyObject *exc);
/* The status python exits with for a SystemExit (a message goes to stderr). */
int kn_session_exit_status(PyObject *exc);

/* history.c */
int kn_session_history_init(kn_session *s);
/* Gives the cell the next execution count and stores its code (In, _iN, _i...). */
int kn_session_history_store_input(kn_session *s, PyObject *code);
/* Records a cell's result: _, __, ___ always; Out[N], _N and history when stored. */
int kn_session_history_store_output(kn_session *s, PyObject *value, PyObject *plain);

/* compile.c: a cell's code objects; *result, when set, shows its value through the hook. */
int kn_session_compile_cell(kn_session *s, PyObject *source, PyObject *filename, PyObject **body,
                            PyObject **result);
/* Puts a cell's source in linecache under its filename. */
int kn_session_register_source(kn_session *s, PyObject *source, PyObject *filename);

/* expressions.c: user_expressions JSON of a request, answered as JSON (malloc'd). */
char *kn_session_user_expressions(kn_session *s, const char *request_json);

/* helper.c: a function of the short Python source given, compiled once (borrowed). */
PyObject *kn_session_helper(kn_session *s, const char *name, const char *source);

/* token.c: the dotted name at (or called just before) cursor, as [*start, *end). */
int kn_session_name_at(PyObject *code, Py_ssize_t cursor, Py_ssize_t *start, Py_ssize_t *end);
/* The dotted name ending at cursor: where it starts. */
Py_ssize_t kn_session_name_start(PyObject *code, Py_ssize_t cursor);

#endif

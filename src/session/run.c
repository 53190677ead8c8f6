/* Running a cell or a script in the persistent __main__, and what the run reports. */
#include "session/internal.h"

#include <libgen.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "runtime/interrupt.h"

static void begin(kn_session *s, const kn_run_options *opts)
{
    s->silent = opts->silent;
    s->store_history = opts->store_history && !opts->silent;
    s->allow_stdin = opts->allow_stdin;
    /* An interrupt that came as the previous cell ended must not hit this one. */
    kn_rt_interrupt_clear();
    if (PyErr_CheckSignals() < 0)
        PyErr_Clear();
    kn_session_output_begin(s);
    s->report = opts->report && !opts->silent;
    kn_session_report_begin(s);
    s->running = 1;
}

/* A report that fails says why on stderr; the cell's own outcome stands. */
static void report(kn_session *s)
{
    if (s->report && kn_session_report(s) < 0)
        PyErr_Print();
}

/* The cell raised: reported as ipykernel does, SystemExit included. */
static void fail(kn_run_result *r)
{
    PyObject *exc = kn_session_error_take();
    if (!exc)
        return;
    if (PyErr_GivenExceptionMatches(exc, PyExc_SystemExit)) {
        r->exit_requested = 1;
        r->exit_status = kn_session_exit_status(exc);
    }
    PyObject *error = kn_session_error_dict(exc);
    r->error_json = kn_session_json_reply(error, "{\"ename\":\"Exception\",\"evalue\":\"\","
                                                 "\"traceback\":[]}");
    Py_XDECREF(error);
    Py_DECREF(exc);
}

static int finish(kn_session *s, int ok, const char *user_expressions, kn_run_result *r)
{
    r->ok = ok;
    if (!ok)
        fail(r);
    r->execution_count = s->execution_count;
    /* As ipykernel: after an error the expressions are not even tried. */
    r->user_expressions_json = ok ? kn_session_user_expressions(s, user_expressions) : strdup("{}");
    PyErr_Clear();
    report(s);
    kn_session_output_flush(s);
    s->running = 0;
    s->silent = 0;
    return ok;
}

static int execute(kn_session *s, PyObject *code)
{
    PyObject *r = PyEval_EvalCode(code, s->main_dict, s->main_dict);
    Py_XDECREF(r);
    return r ? 0 : -1;
}

/* Names the cell, registers its source, and gives it its count when it goes to history. */
static PyObject *prepare(kn_session *s, PyObject *source)
{
    PyObject *filename = PyUnicode_FromFormat("<cell-%d>", ++s->cells);
    if (!filename)
        return NULL;
    int rc = PyUnicode_GET_LENGTH(source) > 0 ? kn_session_register_source(s, source, filename) : 0;
    if (rc == 0 && s->store_history)
        rc = kn_session_history_store_input(s, source);
    if (rc == 0)
        rc = kn_session_input_patch_getpass(s);
    s->prompt_count = s->execution_count + !s->store_history;
    if (rc == 0)
        return filename;
    Py_DECREF(filename);
    return NULL;
}

/* Only blanks: nothing to compile or run (an empty cell still counts, as in ipykernel). */
static int blank(const char *code)
{
    return code[strspn(code, " \t\r\n")] == '\0';
}

static int run_source(kn_session *s, const char *code)
{
    PyObject *source = PyUnicode_DecodeUTF8(code, (Py_ssize_t)strlen(code), "replace");
    PyObject *filename = source ? prepare(s, source) : NULL;
    if (filename && blank(code)) {
        Py_DECREF(source);
        Py_DECREF(filename);
        return 0;
    }
    /* Compiled with its magics made calls; linecache keeps the text as typed. */
    PyObject *python = filename ? kn_session_magics_transform(s, source) : NULL;
    PyObject *body = NULL, *result = NULL;
    int rc = python ? kn_session_compile_cell(s, python, filename, &body, &result) : -1;
    Py_XDECREF(python);
    if (rc == 0)
        rc = execute(s, body);
    if (rc == 0 && result)
        rc = execute(s, result);
    Py_XDECREF(source);
    Py_XDECREF(filename);
    Py_XDECREF(body);
    Py_XDECREF(result);
    return rc;
}

int kn_session_run_cell(kn_session *s, const char *code, const kn_run_options *opts,
                        kn_run_result *r)
{
    static const kn_run_options defaults = {0};
    if (!opts)
        opts = &defaults;
    memset(r, 0, sizeof *r);
    PyGILState_STATE gil = PyGILState_Ensure();
    begin(s, opts);
    int ok = finish(s, run_source(s, code ? code : "") == 0, opts->user_expressions_json, r);
    PyGILState_Release(gil);
    return ok;
}

/* As python does: the path made absolute, not resolved (/cwd/./x.py stays so); malloc'd. */
static char *absolute_path(const char *path)
{
    char cwd[PATH_MAX];
    if (path[0] == '/' || !getcwd(cwd, sizeof cwd))
        return strdup(path);
    size_t n = strlen(cwd) + strlen(path) + 2;
    char *joined = malloc(n);
    if (joined)
        snprintf(joined, n, "%s/%s", cwd, path);
    return joined;
}

/* sys.path[0] is the folder the script really lives in, symbolic links resolved. */
static int set_path0(const char *path)
{
    char real[PATH_MAX];
    if (!realpath(path, real)) {
        PyErr_SetFromErrnoWithFilename(PyExc_OSError, path);
        return -1;
    }
    PyObject *dir = PyUnicode_DecodeFSDefault(dirname(real));
    PyObject *sys_path = PySys_GetObject("path");
    int rc = dir && sys_path && PyList_Check(sys_path)
                 ? (PyList_GET_SIZE(sys_path) > 0 ? PyList_SetItem(sys_path, 0, Py_NewRef(dir))
                                                  : PyList_Append(sys_path, dir))
                 : -1;
    Py_XDECREF(dir);
    return rc;
}

static int set_file(kn_session *s, const char *path, const char *absolute)
{
    PyObject *file = PyUnicode_DecodeFSDefault(absolute);
    int rc = file && PyDict_SetItemString(s->main_dict, "__file__", file) == 0 &&
                     PyDict_SetItemString(s->main_dict, "__cached__", Py_None) == 0
                 ? set_path0(path)
                 : -1;
    Py_XDECREF(file);
    return rc;
}

static int run_script(kn_session *s, const char *path)
{
    char *absolute = absolute_path(path);
    if (!absolute) {
        PyErr_NoMemory();
        return -1;
    }
    FILE *fp = set_file(s, path, absolute) == 0 ? fopen(path, "rb") : NULL;
    if (!fp && !PyErr_Occurred())
        PyErr_SetFromErrnoWithFilename(PyExc_OSError, path);
    PyCompilerFlags flags = {0, PY_MINOR_VERSION};
    PyObject *r =
        fp ? PyRun_FileExFlags(fp, absolute, Py_file_input, s->main_dict, s->main_dict, 1, &flags)
           : NULL;
    free(absolute);
    Py_XDECREF(r);
    return r ? 0 : -1;
}

int kn_session_run_file(kn_session *s, const char *path, kn_run_result *r)
{
    static const kn_run_options script = {.allow_stdin = 1};
    memset(r, 0, sizeof *r);
    PyGILState_STATE gil = PyGILState_Ensure();
    begin(s, &script);
    int ok = finish(s, run_script(s, path) == 0, NULL, r);
    PyGILState_Release(gil);
    return ok;
}

void kn_run_result_clear(kn_run_result *r)
{
    free(r->error_json);
    free(r->user_expressions_json);
    memset(r, 0, sizeof *r);
}

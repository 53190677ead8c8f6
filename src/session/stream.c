/* sys.stdout and sys.stderr: a C text stream type batching writes to frontend->stream. */
#include "session/internal.h"

#include <stdlib.h>
#include <time.h>

/*
 * A cell printing in a loop must not cost a message per print, and output must
 * still show up while the cell runs: pending text goes out when it passes
 * FLUSH_BYTES, when FLUSH_SECONDS passed since the last send (checked on write),
 * before a display or a result, and when the cell ends.
 */
enum { FLUSH_BYTES = 64 * 1024 };
static const double FLUSH_SECONDS = 0.05;

static const char *const stream_names[] = {"stdout", "stderr"};

/* Consecutive pending text of one stream: order across streams is kept by runs. */
typedef struct run {
    int stream;
    size_t end;
} run;

struct kn_session_output {
    kn_session_buf text;
    run *runs;
    size_t nruns;
    size_t cap;
    double last_send;
};

typedef struct {
    PyObject ob_base;
    kn_session *s;
    int stream;
} OutStream;

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static int add_run(kn_session_output *o, int stream)
{
    if (o->nruns > 0 && o->runs[o->nruns - 1].stream == stream)
        return 0;
    if (o->nruns == o->cap) {
        size_t cap = o->cap ? 2 * o->cap : 8;
        run *runs = realloc(o->runs, cap * sizeof *runs);
        if (!runs) {
            PyErr_NoMemory();
            return -1;
        }
        o->runs = runs;
        o->cap = cap;
    }
    o->runs[o->nruns++] = (run){stream, o->text.len};
    return 0;
}

static void send_pending(kn_session *s)
{
    kn_session_output *o = s->out;
    size_t start = 0;
    for (size_t i = 0; i < o->nruns; i++) {
        const run *r = &o->runs[i];
        if (r->end > start)
            s->fe.stream(s->fe.ctx, stream_names[r->stream], o->text.data + start, r->end - start);
        start = r->end;
    }
    o->nruns = 0;
    o->text.len = 0;
    /* One huge print should not pin its memory for the rest of the session. */
    if (o->text.cap > 4 * FLUSH_BYTES)
        kn_session_buf_free(&o->text);
    o->last_send = now();
}

int kn_session_output_write(kn_session *s, int stream, const char *text, size_t len)
{
    kn_session_output *o = s->out;
    if (s->silent || len == 0)
        return 0;
    if (add_run(o, stream) < 0 || kn_session_buf_append(&o->text, text, len) < 0)
        return -1;
    o->runs[o->nruns - 1].end = o->text.len;
    if (kn_session_on_main_thread(s) &&
        (o->text.len >= FLUSH_BYTES || now() - o->last_send >= FLUSH_SECONDS))
        send_pending(s);
    return 0;
}

static void flush_python_stream(const char *name)
{
    PyObject *f = PySys_GetObject(name);
    if (!f || f == Py_None)
        return;
    PyObject *r = PyObject_CallMethod(f, "flush", NULL);
    Py_XDECREF(r);
}

void kn_session_output_flush(kn_session *s)
{
    PyObject *type, *value, *tb;
    if (s->fe.stream) {
        if (s->out->nruns > 0 && kn_session_on_main_thread(s))
            send_pending(s);
        return;
    }
    PyErr_Fetch(&type, &value, &tb);
    flush_python_stream("stdout");
    flush_python_stream("stderr");
    PyErr_Clear();
    PyErr_Restore(type, value, tb);
}

void kn_session_output_begin(kn_session *s)
{
    kn_session_output_flush(s);
    s->out->last_send = now();
}

/* The stream's methods, as io.TextIOBase has them. */

static PyObject *stream_write(OutStream *self, PyObject *arg)
{
    if (!PyUnicode_Check(arg))
        return PyErr_Format(PyExc_TypeError, "write() argument must be str, not %.100s",
                            Py_TYPE(arg)->tp_name);
    Py_ssize_t n;
    const char *p = PyUnicode_AsUTF8AndSize(arg, &n);
    PyObject *bytes = NULL;
    if (!p) {
        /* Lone surrogates: shown escaped rather than failing the print. */
        PyErr_Clear();
        bytes = PyUnicode_AsEncodedString(arg, "utf-8", "backslashreplace");
        if (!bytes)
            return NULL;
        p = PyBytes_AS_STRING(bytes);
        n = PyBytes_GET_SIZE(bytes);
    }
    int rc = kn_session_output_write(self->s, self->stream, p, (size_t)n);
    Py_XDECREF(bytes);
    return rc < 0 ? NULL : PyLong_FromSsize_t(PyUnicode_GET_LENGTH(arg));
}

static PyObject *stream_writelines(OutStream *self, PyObject *lines)
{
    PyObject *it = PyObject_GetIter(lines);
    if (!it)
        return NULL;
    PyObject *line;
    while ((line = PyIter_Next(it))) {
        PyObject *r = stream_write(self, line);
        Py_DECREF(line);
        if (!r)
            break;
        Py_DECREF(r);
    }
    Py_DECREF(it);
    if (PyErr_Occurred())
        return NULL;
    Py_RETURN_NONE;
}

static PyObject *stream_flush(OutStream *self, PyObject *Py_UNUSED(ignored))
{
    kn_session_output_flush(self->s);
    Py_RETURN_NONE;
}

static PyObject *stream_fileno(OutStream *Py_UNUSED(self), PyObject *Py_UNUSED(ignored))
{
    PyObject *io = PyImport_ImportModule("io");
    if (!io)
        return NULL;
    PyObject *unsupported = PyObject_GetAttrString(io, "UnsupportedOperation");
    Py_DECREF(io);
    if (unsupported) {
        PyErr_SetString(unsupported, "fileno: this stream is not a file");
        Py_DECREF(unsupported);
    }
    return NULL;
}

static PyObject *return_false(PyObject *Py_UNUSED(self), PyObject *Py_UNUSED(ignored))
{
    Py_RETURN_FALSE;
}

static PyObject *return_true(PyObject *Py_UNUSED(self), PyObject *Py_UNUSED(ignored))
{
    Py_RETURN_TRUE;
}

/* Closing the front end's stream is not the cell's to do: close() leaves it open. */
static PyObject *return_none(PyObject *Py_UNUSED(self), PyObject *Py_UNUSED(ignored))
{
    Py_RETURN_NONE;
}

static PyObject *stream_name(OutStream *self, void *Py_UNUSED(closure))
{
    return PyUnicode_FromFormat("<%s>", stream_names[self->stream]);
}

static PyMethodDef stream_methods[] = {
    {"write", (PyCFunction)stream_write, METH_O, "Write text; return its length."},
    {"writelines", (PyCFunction)stream_writelines, METH_O, "Write each string of an iterable."},
    {"flush", (PyCFunction)stream_flush, METH_NOARGS, "Send pending text to the front end."},
    {"fileno", (PyCFunction)stream_fileno, METH_NOARGS, "Raise io.UnsupportedOperation."},
    {"isatty", return_false, METH_NOARGS, "False."},
    {"readable", return_false, METH_NOARGS, "False."},
    {"seekable", return_false, METH_NOARGS, "False."},
    {"writable", return_true, METH_NOARGS, "True."},
    {"close", return_none, METH_NOARGS, "Do nothing: the front end owns the stream."},
    {NULL},
};

static PyGetSetDef stream_getset[] = {
    {"name", (getter)stream_name, NULL, "<stdout> or <stderr>.", NULL},
    {NULL},
};

static void stream_dealloc(OutStream *self)
{
    PyTypeObject *type = Py_TYPE(self);
    type->tp_free(self);
    Py_DECREF(type);
}

static PyType_Slot stream_slots[] = {
    {Py_tp_doc, "A text stream whose writes go to the Kiln front end."},
    {Py_tp_methods, stream_methods},
    {Py_tp_getset, stream_getset},
    {Py_tp_dealloc, stream_dealloc},
    {0, NULL},
};

static PyType_Spec stream_spec = {
    .name = "kiln.OutStream",
    .basicsize = sizeof(OutStream),
    .flags = Py_TPFLAGS_DEFAULT,
    .slots = stream_slots,
};

/* Constant attributes, as a TextIOWrapper writing UTF-8 has them. */
static int set_class_attributes(PyObject *type)
{
    static const char *const texts[][2] = {
        {"encoding", "utf-8"}, {"errors", "strict"}, {"mode", "w"}};
    for (size_t i = 0; i < sizeof texts / sizeof texts[0]; i++) {
        PyObject *value = PyUnicode_FromString(texts[i][1]);
        int rc = value ? PyObject_SetAttrString(type, texts[i][0], value) : -1;
        Py_XDECREF(value);
        if (rc < 0)
            return -1;
    }
    if (PyObject_SetAttrString(type, "closed", Py_False) < 0 ||
        PyObject_SetAttrString(type, "line_buffering", Py_False) < 0 ||
        PyObject_SetAttrString(type, "newlines", Py_None) < 0)
        return -1;
    return 0;
}

/* So that isinstance(sys.stdout, io.TextIOBase) holds, as it does in python. */
static int register_text_io(PyObject *type)
{
    PyObject *io = PyImport_ImportModule("io");
    if (!io)
        return -1;
    PyObject *base = PyObject_GetAttrString(io, "TextIOBase");
    Py_DECREF(io);
    if (!base)
        return -1;
    PyObject *r = PyObject_CallMethod(base, "register", "O", type);
    Py_DECREF(base);
    Py_XDECREF(r);
    return r ? 0 : -1;
}

static int install_streams(kn_session *s)
{
    PyObject *type = PyType_FromSpec(&stream_spec);
    if (!type)
        return -1;
    int rc = set_class_attributes(type) < 0 || register_text_io(type) < 0 ? -1 : 0;
    for (int i = 0; rc == 0 && i < 2; i++) {
        OutStream *f = PyObject_New(OutStream, (PyTypeObject *)type);
        if (!f) {
            rc = -1;
            break;
        }
        f->s = s;
        f->stream = i;
        rc = PySys_SetObject(stream_names[i], (PyObject *)f);
        Py_DECREF(f);
    }
    Py_DECREF(type);
    return rc;
}

int kn_session_output_init(kn_session *s)
{
    s->out = calloc(1, sizeof *s->out);
    if (!s->out) {
        PyErr_NoMemory();
        return -1;
    }
    return s->fe.stream ? install_streams(s) : 0;
}

void kn_session_output_free(kn_session *s)
{
    if (!s->out)
        return;
    kn_session_buf_free(&s->out->text);
    free(s->out->runs);
    free(s->out);
    s->out = NULL;
}

/* Type inference of a call to a kiln function: arguments bound to parameters, defaults frozen. */
#include <string.h>

#include "compiler/callargs.h"
#include "compiler/infer_impl.h"

/* The TypeError kn_bind_arguments set, reported where the call is. Returns -1. */
static int bind_error(kn_infer_state *s, kn_expr *e)
{
    PyObject *type, *value, *tb;
    PyErr_Fetch(&type, &value, &tb);
    PyObject *text = value ? PyObject_Str(value) : NULL;
    const char *msg = text ? PyUnicode_AsUTF8(text) : NULL;
    kn_infer_error(s, e->loc, "%s", msg ? msg : "the arguments do not match the parameters");
    Py_XDECREF(text);
    Py_XDECREF(type);
    Py_XDECREF(value);
    Py_XDECREF(tb);
    PyErr_Clear();
    return -1;
}

/* Parameter i's default value, frozen into a constant where the call is. */
static kn_expr *default_value(kn_infer_state *s, kn_expr *e, PyObject *func, int i,
                              const char *name)
{
    kn_expr *c = kn_arena_alloc(s->f->arena, sizeof *c);
    c->kind = KN_E_CONST;
    c->loc = e->loc;
    PyObject *names = PyCode_GetVarnames((PyCodeObject *)PyFunction_GET_CODE(func));
    const char *param = names ? PyUnicode_AsUTF8(PyTuple_GET_ITEM(names, i)) : NULL;
    c->sval = kn_arena_strdup(s->f->arena, param ? param : "?");
    Py_XDECREF(names);
    PyErr_Clear();
    PyObject *value = kn_bind_default(func, i);
    int r = kn_infer_freeze(s, c, value);
    if (r > 0)
        return c;
    if (r == 0)
        kn_infer_error(s, e->loc,
                       "the default value of %s's parameter '%s' is %s: only numbers and tuples "
                       "of numbers can be frozen into compiled code",
                       name, c->sval, value == Py_None ? "None" : Py_TYPE(value)->tp_name);
    return NULL;
}

int kn_infer_bind(kn_infer_state *s, kn_expr *e, PyObject *func, const char *name)
{
    enum { MAX = 32 }; /* kn_signature's limit */
    int slots[MAX];
    int n = kn_bind_arguments(func, e->noperands - e->nkw, e->kwnames, e->nkw, slots, MAX);
    if (n < 0)
        return bind_error(s, e);
    if (n == e->noperands && !e->nkw)
        return 0; /* positional already: a call as written, or bound by an earlier pass */
    kn_expr **operands = kn_arena_alloc(s->f->arena, (n ? n : 1) * sizeof *operands);
    for (int i = 0; i < n; i++) {
        operands[i] = slots[i] == KN_BIND_DEFAULT ? default_value(s, e, func, i, name)
                                                  : e->operands[slots[i]];
        if (!operands[i])
            return -1;
    }
    e->operands = operands;
    e->noperands = n;
    e->nkw = 0;
    return 0;
}

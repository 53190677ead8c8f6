/* What object-mode code calls that takes more than one C API call: CPython's own steps, in C. */
#include <string.h>

#include "codegen/object.h"

/*
 * These run inside compiled code, as the runtime's helpers do; they live
 * with the back end that calls them (kn_obj_helper calls them by
 * address). Each follows what CPython 3.11's interpreter does for the
 * same bytecode, with its messages, so that object mode raises what
 * plain Python raises.
 */

// except: the exception being raised, normalized, its traceback attached; the indicator cleared
PyObject *kn_obj_rt_catch(void)
{
    PyObject *type, *value, *tb;
    PyErr_Fetch(&type, &value, &tb);
    PyErr_NormalizeException(&type, &value, &tb);
    if (value && tb)
        PyException_SetTraceback(value, tb);
    Py_XDECREF(type);
    Py_XDECREF(tb);
    return value ? value : Py_NewRef(Py_None);
}

// raise again an exception caught before (steals it), with the traceback it has
void kn_obj_rt_throw(PyObject *exc)
{
    PyObject *tb = PyException_GetTraceback(exc);
    PyErr_Restore(Py_NewRef((PyObject *)Py_TYPE(exc)), exc, tb);
}

/* A class is called to make the instance raised; an instance is raised as it is. */
static PyObject *instance_of(PyObject *exc)
{
    if (!PyExceptionClass_Check(exc))
        return Py_NewRef(exc);
    PyObject *value = PyObject_CallNoArgs(exc);
    if (value && !PyExceptionInstance_Check(value)) {
        PyErr_Format(PyExc_TypeError,
                     "calling %R should have returned an instance of BaseException, not %R", exc,
                     Py_TYPE(value));
        Py_CLEAR(value);
    }
    return value;
}

// raise exc [from cause]: ceval's do_raise; always -1, the exception set
int kn_obj_rt_raise(PyObject *exc, PyObject *cause)
{
    if (!PyExceptionClass_Check(exc) && !PyExceptionInstance_Check(exc)) {
        PyErr_SetString(PyExc_TypeError, "exceptions must derive from BaseException");
        return -1;
    }
    PyObject *value = instance_of(exc);
    if (!value)
        return -1;
    if (cause && cause != Py_None && !PyExceptionClass_Check(cause) &&
        !PyExceptionInstance_Check(cause)) {
        PyErr_SetString(PyExc_TypeError, "exception causes must derive from BaseException");
        Py_DECREF(value);
        return -1;
    }
    if (cause) {
        PyObject *fixed = cause == Py_None ? NULL : instance_of(cause);
        if (!fixed && cause != Py_None) {
            Py_DECREF(value);
            return -1;
        }
        PyException_SetCause(value, fixed); /* steals fixed; sets __suppress_context__ */
    }
    PyErr_SetObject((PyObject *)Py_TYPE(value), value);
    Py_DECREF(value);
    return -1;
}

/*
 * raise, alone: the exception being handled again, with its traceback.
 * Returns 1 then (its traceback has this frame already), or 0 after
 * raising RuntimeError when there is none (a new error of this frame).
 */
int kn_obj_rt_reraise(void)
{
    PyObject *exc = PyErr_GetHandledException();
    if (!exc) {
        PyErr_SetString(PyExc_RuntimeError, "No active exception to reraise");
        return 0;
    }
    kn_obj_rt_throw(exc);
    return 1;
}

// except type: 1 when exc matches, 0 when not, -1 when type cannot be caught
int kn_obj_rt_matches(PyObject *exc, PyObject *type)
{
    Py_ssize_t n = PyTuple_Check(type) ? PyTuple_GET_SIZE(type) : 1;
    for (Py_ssize_t i = 0; i < n; i++) {
        PyObject *t = PyTuple_Check(type) ? PyTuple_GET_ITEM(type, i) : type;
        if (!PyExceptionClass_Check(t)) {
            PyErr_SetString(PyExc_TypeError, "catching classes that do not inherit from "
                                             "BaseException is not allowed");
            return -1;
        }
    }
    return PyErr_GivenExceptionMatches(exc, type);
}

/* The items of a tuple or list of exactly n, as new references in out: 1, else 0. */
static int unpack_exact(PyObject *seq, int n, PyObject **out)
{
    int exact = (PyTuple_CheckExact(seq) || PyList_CheckExact(seq)) && Py_SIZE(seq) == n;
    PyObject **items = !exact               ? NULL
                       : PyTuple_Check(seq) ? ((PyTupleObject *)seq)->ob_item
                                            : ((PyListObject *)seq)->ob_item;
    for (int i = 0; exact && i < n; i++)
        out[i] = Py_NewRef(items[i]);
    return exact;
}

static int not_enough(int before, int after, Py_ssize_t got)
{
    if (after < 0)
        PyErr_Format(PyExc_ValueError, "not enough values to unpack (expected %d, got %zd)", before,
                     got);
    else
        PyErr_Format(PyExc_ValueError,
                     "not enough values to unpack (expected at least %d, got %zd)", before + after,
                     got);
    return -1;
}

/* a, *rest, b = ...: the starred list, its last `after` items moved out to out. */
static int unpack_rest(PyObject *it, int after, PyObject **out, int before)
{
    PyObject *rest = PySequence_List(it);
    if (!rest)
        return -1;
    Py_ssize_t n = PyList_GET_SIZE(rest);
    if (n < after) {
        Py_DECREF(rest);
        return not_enough(before, after, before + n);
    }
    for (int j = 0; j < after; j++)
        out[1 + j] = Py_NewRef(PyList_GET_ITEM(rest, n - after + j));
    if (PyList_SetSlice(rest, n - after, n, NULL) < 0) {
        for (int j = 0; j < after; j++)
            Py_DECREF(out[1 + j]);
        Py_DECREF(rest);
        return -1;
    }
    out[0] = rest;
    return 0;
}

static int unpack_iterable(PyObject *it, int before, int after, PyObject **out)
{
    int i = 0;
    for (; i < before; i++)
        if (!(out[i] = PyIter_Next(it)))
            break;
    int rc = i < before ? (PyErr_Occurred() ? -1 : not_enough(before, after, i)) : 0;
    if (rc == 0 && after >= 0) {
        rc = unpack_rest(it, after, out + before, before);
    } else if (rc == 0) {
        PyObject *extra = PyIter_Next(it);
        if (extra || PyErr_Occurred())
            rc = -1;
        if (extra)
            PyErr_Format(PyExc_ValueError, "too many values to unpack (expected %d)", before);
        Py_XDECREF(extra);
    }
    for (int j = 0; rc < 0 && j < i; j++)
        Py_DECREF(out[j]);
    return rc;
}

/*
 * a, b = seq (after -1) | a, *b, c = seq (before 1, after 1): new
 * references in out, the starred part as a list. UNPACK_SEQUENCE and
 * UNPACK_EX, with their messages. 0 or -1.
 */
int kn_obj_rt_unpack(PyObject *seq, int before, int after, PyObject **out)
{
    if (after < 0 && unpack_exact(seq, before, out))
        return 0;
    PyObject *it = PyObject_GetIter(seq);
    if (!it) {
        if (PyErr_ExceptionMatches(PyExc_TypeError) && !Py_TYPE(seq)->tp_iter &&
            !PySequence_Check(seq))
            PyErr_Format(PyExc_TypeError, "cannot unpack non-iterable %.200s object",
                         Py_TYPE(seq)->tp_name);
        return -1;
    }
    int rc = unpack_iterable(it, before, after, out);
    Py_DECREF(it);
    return rc;
}

/* A special method of mgr's type, bound; NULL with TypeError (what) when it has none. */
static PyObject *special(PyObject *mgr, _Py_Identifier *name, const char *what)
{
    PyObject *m = _PyObject_LookupSpecial(mgr, name);
    if (!m && !PyErr_Occurred())
        PyErr_Format(PyExc_TypeError,
                     "'%.200s' object does not support the context manager "
                     "protocol%s",
                     Py_TYPE(mgr)->tp_name, what);
    return m;
}

// with mgr: its __exit__ in *exit and what __enter__() returned (BEFORE_WITH); NULL on error
PyObject *kn_obj_rt_enter(PyObject *mgr, PyObject **exit)
{
    _Py_IDENTIFIER(__enter__);
    _Py_IDENTIFIER(__exit__);
    *exit = NULL;
    PyObject *enter = special(mgr, &PyId___enter__, "");
    if (!enter)
        return NULL;
    *exit = special(mgr, &PyId___exit__, " (missed __exit__ method)");
    PyObject *r = *exit ? PyObject_CallNoArgs(enter) : NULL;
    Py_DECREF(enter);
    return r;
}

// __exit__(type, exc, traceback), or __exit__(None, None, None) when exc is NULL
PyObject *kn_obj_rt_exit(PyObject *exit, PyObject *exc)
{
    if (!exc)
        return PyObject_CallFunctionObjArgs(exit, Py_None, Py_None, Py_None, NULL);
    PyObject *tb = PyException_GetTraceback(exc);
    PyObject *r =
        PyObject_CallFunctionObjArgs(exit, (PyObject *)Py_TYPE(exc), exc, tb ? tb : Py_None, NULL);
    Py_XDECREF(tb);
    return r;
}

/*
 * str(v) (PyObject_Str): an exact int of at most two digits written out
 * here, without CPython's conversion of any size through base 10**9.
 */
PyObject *kn_obj_rt_str(PyObject *v)
{
    if (!PyLong_CheckExact(v) || Py_SIZE(v) < -2 || Py_SIZE(v) > 2)
        return PyObject_Str(v);
    long long x = PyLong_AsLongLong(v);
    unsigned long long m = x < 0 ? 0ull - (unsigned long long)x : (unsigned long long)x;
    char digits[24];
    int n = 0;
    do {
        digits[sizeof digits - ++n] = (char)('0' + m % 10);
        m /= 10;
    } while (m);
    if (x < 0)
        digits[sizeof digits - ++n] = '-';
    PyObject *s = PyUnicode_New(n, 127);
    if (s)
        memcpy(PyUnicode_1BYTE_DATA(s), digits + sizeof digits - n, (size_t)n);
    return s;
}

// {value!conversion:spec} (FORMAT_VALUE): conversion 's', 'r', 'a' or -1; spec may be NULL
PyObject *kn_obj_rt_format(PyObject *value, int conversion, PyObject *spec)
{
    if ((conversion == 's' || conversion == -1) && !spec && PyLong_CheckExact(value))
        return kn_obj_rt_str(value); /* format(i, '') is str(i) */
    PyObject *converted = conversion == 's'   ? PyObject_Str(value)
                          : conversion == 'r' ? PyObject_Repr(value)
                          : conversion == 'a' ? PyObject_ASCII(value)
                                              : Py_NewRef(value);
    if (!converted || (PyUnicode_CheckExact(converted) && !spec))
        return converted;
    PyObject *r = PyObject_Format(converted, spec);
    Py_DECREF(converted);
    return r;
}

/* NameError("name 'x' is not defined"), with the name attribute that suggestions read. */
static PyObject *name_error(PyObject *name)
{
    PyErr_Format(PyExc_NameError, "name '%.200U' is not defined", name);
    PyObject *type, *value, *tb;
    PyErr_Fetch(&type, &value, &tb);
    PyErr_NormalizeException(&type, &value, &tb);
    if (value && PyObject_SetAttrString(value, "name", name) < 0)
        PyErr_Clear();
    PyErr_Restore(type, value, tb);
    return NULL;
}

// a global not in the function's globals: a builtin, else NameError; a new reference
PyObject *kn_obj_rt_builtin(PyObject *builtins, PyObject *name)
{
    if (PyErr_Occurred())
        return NULL; /* the globals lookup failed: a key's __eq__ raised */
    PyObject *v = PyDict_CheckExact(builtins) ? Py_XNewRef(PyDict_GetItemWithError(builtins, name))
                                              : PyObject_GetItem(builtins, name);
    if (!v && PyDict_CheckExact(builtins) && !PyErr_Occurred())
        return name_error(name);
    if (!v && PyErr_ExceptionMatches(PyExc_KeyError)) {
        PyErr_Clear();
        return name_error(name);
    }
    return v;
}

// a free variable of a closure: its cell's contents, a new reference
PyObject *kn_obj_rt_cell(PyObject *cell, PyObject *name)
{
    PyObject *v = PyCell_Get(cell);
    if (!v && !PyErr_Occurred())
        PyErr_Format(PyExc_NameError,
                     "cannot access free variable '%U' where it is not associated with a value in "
                     "enclosing scope",
                     name);
    return v;
}

// del x of a global: NameError when it is not there
int kn_obj_rt_del_global(PyObject *globals, PyObject *name)
{
    if (PyDict_DelItem(globals, name) == 0)
        return 0;
    if (PyErr_ExceptionMatches(PyExc_KeyError)) {
        PyErr_Clear();
        name_error(name);
    }
    return -1;
}

// import name (IMPORT_NAME): fromlist NULL for none
PyObject *kn_obj_rt_import(PyObject *name, PyObject *globals, PyObject *fromlist, int level)
{
    return PyImport_ImportModuleLevelObject(name, globals, Py_None, fromlist ? fromlist : Py_None,
                                            level);
}

/* ImportError "cannot import name 'x' from 'm' (its file)", with name and path, as ceval's. */
static PyObject *cannot_import(PyObject *module, PyObject *name, PyObject *package)
{
    PyObject *path = PyModule_Check(module) ? PyModule_GetFilenameObject(module) : NULL;
    PyObject *spec = path ? PyObject_GetAttrString(module, "__spec__") : NULL;
    int initializing = spec && _PyModuleSpec_IsInitializing(spec);
    PyErr_Clear();
    PyObject *known = package ? Py_NewRef(package) : PyUnicode_FromString("<unknown module name>");
    const char *fmt = !path || !PyUnicode_Check(path)
                          ? "cannot import name %R from %R (unknown location)"
                      : initializing ? "cannot import name %R from partially initialized module %R "
                                       "(most likely due to a circular import) (%S)"
                                     : "cannot import name %R from %R (%S)";
    PyObject *msg = PyUnicode_FromFormat(fmt, name, known, path);
    if (msg)
        PyErr_SetImportError(msg, package, path && PyUnicode_Check(path) ? path : NULL);
    Py_XDECREF(msg);
    Py_XDECREF(known);
    Py_XDECREF(spec);
    Py_XDECREF(path);
    return NULL;
}

// from module import name (IMPORT_FROM): the attribute, or the submodule sys.modules has
PyObject *kn_obj_rt_import_from(PyObject *module, PyObject *name)
{
    PyObject *v;
    if (_PyObject_LookupAttr(module, name, &v) != 0)
        return v;
    PyObject *package = PyObject_GetAttrString(module, "__name__");
    if (!package || !PyUnicode_Check(package)) {
        Py_CLEAR(package);
        return cannot_import(module, name, NULL);
    }
    PyObject *full = PyUnicode_FromFormat("%U.%U", package, name);
    v = full ? PyImport_GetModule(full) : NULL;
    if (!v && !PyErr_Occurred())
        cannot_import(module, name, package);
    Py_XDECREF(full);
    Py_DECREF(package);
    return v;
}

/* TypeError "f() argument after * must be an iterable, not int", as CPython words it. */
static int argument_error(PyObject *callee, const char *after, const char *what, PyObject *arg)
{
    PyObject *name = _PyObject_FunctionStr(callee);
    if (name)
        PyErr_Format(PyExc_TypeError, "%U argument after %s must be %s, not %.200s", name, after,
                     what, Py_TYPE(arg)->tp_name);
    Py_XDECREF(name);
    return -1;
}

// f(*iterable): its items added to the positional arguments (a list)
int kn_obj_rt_extend_args(PyObject *args, PyObject *iterable, PyObject *callee)
{
    if (!Py_TYPE(iterable)->tp_iter && !PySequence_Check(iterable))
        return argument_error(callee, "*", "an iterable", iterable);
    PyObject *none = _PyList_Extend((PyListObject *)args, iterable);
    Py_XDECREF(none);
    return none ? 0 : -1;
}

// f(**mapping): its items added to the keyword arguments, each name only once
int kn_obj_rt_merge_kwargs(PyObject *kwargs, PyObject *mapping, PyObject *callee)
{
    PyObject *keys = PyMapping_Keys(mapping);
    if (!keys) {
        if (!PyErr_ExceptionMatches(PyExc_AttributeError))
            return -1;
        PyErr_Clear();
        return argument_error(callee, "**", "a mapping", mapping);
    }
    int rc = 0;
    for (Py_ssize_t i = 0; rc == 0 && i < PyList_GET_SIZE(keys); i++) {
        PyObject *key = PyList_GET_ITEM(keys, i);
        int dup = PyDict_Contains(kwargs, key);
        PyObject *name = dup > 0 ? _PyObject_FunctionStr(callee) : NULL;
        if (name)
            PyErr_Format(PyExc_TypeError, "%U got multiple values for keyword argument '%S'", name,
                         key);
        Py_XDECREF(name);
        PyObject *v = dup == 0 ? PyObject_GetItem(mapping, key) : NULL;
        rc = v ? PyDict_SetItem(kwargs, key, v) : -1;
        Py_XDECREF(v);
    }
    Py_DECREF(keys);
    return rc;
}

/*
 * for i in range(...): the start, step and number of items in out, when
 * callee is the builtin range and its arguments exact ints that fit a
 * Py_ssize_t (1); else 0, and the loop calls callee and iterates what it
 * returns, which raises what range raises.
 */
int kn_obj_rt_range(PyObject *callee, PyObject *const *args, int n, Py_ssize_t *out)
{
    Py_ssize_t v[3] = {0, 0, 1};
    if (callee != (PyObject *)&PyRange_Type)
        return 0;
    for (int i = 0; i < n; i++) {
        if (!PyLong_CheckExact(args[i]))
            return 0;
        v[n == 1 ? 1 : i] = PyLong_AsSsize_t(args[i]);
        if (v[n == 1 ? 1 : i] == -1 && PyErr_Occurred()) {
            PyErr_Clear();
            return 0;
        }
    }
    Py_ssize_t start = v[0], stop = v[1], step = v[2];
    if (step == 0)
        return 0;
    size_t lo = (size_t)start, hi = (size_t)stop, count = 0;
    if (step > 0 && start < stop)
        count = (hi - lo - 1) / (size_t)step + 1;
    else if (step < 0 && start > stop)
        count = (lo - hi - 1) / (0 - (size_t)step) + 1;
    out[0] = start;
    out[1] = step;
    out[2] = (Py_ssize_t)count;
    return 1;
}

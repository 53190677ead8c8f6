/* src/pymod: types, typeof, signatures, decorators, dispatch (fake backend), then real compiles. */
#include <Python.h>

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "compiler/diag.h"
#include "pymod/backend.h"
#include "pymod/pymod.h"

/*
 * The fake backend compiles nothing: its wrappers hand back the arguments
 * they received (one: the argument itself; two: a pair), so a test sees
 * which values a call passed after conversion. A function named bad_*
 * fails to compile; a function with a global `callee` asks resolve_call
 * for it, as compiling a call to it would. Its specialization in progress
 * returns its first argument's type, or nothing yet for a function named
 * late_* (whose every return would go through the callee).
 */
static int compiles, frees;

static PyObject *wrap0(PyObject *const *args)
{
    (void)args;
    Py_RETURN_NONE;
}

static PyObject *wrap1(PyObject *const *args)
{
    return Py_NewRef(args[0]);
}

static PyObject *wrap2(PyObject *const *args)
{
    return PyTuple_Pack(2, args[0], args[1]);
}

static int fake_error(const char *message)
{
    PyErr_Format(kn_diag_typing_error_type(), "fake.py:1:1: error: %s", message);
    return -1;
}

/* What the compiler's last pass does with each outcome of resolve_call. */
static int resolve_callee(PyObject *func, const kn_signature *sig, const kn_compile_options *opts)
{
    PyObject *callee = PyDict_GetItemString(PyFunction_GET_GLOBALS(func), "callee");
    if (!callee || callee == func)
        return 0;
    kn_callee out;
    switch (opts->resolve_call(callee, sig, 1, &out)) {
    case KN_RESOLVED:
        return 0;
    case KN_NOT_KILN:
        return fake_error("cannot call the callee");
    case KN_NOT_YET:
        return fake_error("cannot infer the return type of the callee");
    case KN_RESOLVE_FAILED:
        break;
    }
    return -1;
}

static const kn_type *first_type(const kn_signature *sig)
{
    return sig->nargs ? sig->args[0] : kn_type_void();
}

static kn_specialization *fake_compile(PyObject *func, const kn_signature *sig,
                                       const kn_compile_options *opts)
{
    compiles++;
    const char *name = PyUnicode_AsUTF8(((PyFunctionObject *)func)->func_name);
    if (!strncmp(name, "bad", 3)) {
        fake_error("cannot add int64 and str");
        return NULL;
    }
    kn_specialization *spec = calloc(1, sizeof *spec);
    spec->sig = *sig;
    if (!spec->sig.ret && strncmp(name, "late", 4))
        spec->sig.ret = first_type(sig);
    if (opts->progress)
        opts->progress->spec = spec;
    if (resolve_callee(func, sig, opts) < 0) {
        *opts->progress = (kn_compile_progress){.ret = spec->sig.ret};
        free(spec);
        return NULL;
    }
    if (!spec->sig.ret)
        spec->sig.ret = first_type(sig);
    kn_wrapper_fn wrappers[] = {wrap0, wrap1, wrap2};
    spec->wrapper = wrappers[sig->nargs < 3 ? sig->nargs : 0];
    spec->native = (void *)spec;
    spec->ir_optimized = strdup("define i64 @fake()");
    spec->annotated = strdup("# fake annotation");
    spec->times.parse = 0.5;
    return spec;
}

static const char *fake_asm(kn_specialization *spec)
{
    (void)spec;
    return "fake: ret";
}

static void fake_free(kn_specialization *spec)
{
    frees++;
    free(spec->ir_optimized);
    free(spec->annotated);
    free(spec);
}

static int fake_link(kn_specialization *spec)
{
    (void)spec;
    return 0;
}

static const kn_pymod_backend fake = {fake_compile, fake_asm, fake_free, fake_link, NULL, NULL};

static PyObject *init_kiln(void)
{
    static PyModuleDef def = {PyModuleDef_HEAD_INIT, .m_name = "kiln", .m_size = -1};
    PyObject *m = PyModule_Create(&def);
    if (m && kn_pymod_add_jit(m) < 0)
        Py_CLEAR(m);
    return m;
}

/* Runs code in __main__; fails the test, printing the traceback, if it raises. */
static void run(const char *code)
{
    PyObject *main = PyImport_AddModule("__main__");
    PyObject *r = PyRun_String(code, Py_file_input, PyModule_GetDict(main), PyModule_GetDict(main));
    if (!r)
        PyErr_Print();
    assert_non_null(r);
    Py_XDECREF(r);
}

static int setup(void **state)
{
    (void)state;
    PyImport_AppendInittab("kiln", init_kiln);
    Py_InitializeEx(0);
    run("import kiln, warnings, gc\n"
        "def raises(exc, f, *args, match=None, **kw):\n"
        "    try:\n"
        "        f(*args, **kw)\n"
        "    except exc as e:\n"
        "        assert match is None or match in str(e), f'{match!r} not in {str(e)!r}'\n"
        "        return e\n"
        "    raise AssertionError(f'{exc.__name__} not raised')\n");
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    return Py_FinalizeEx();
}

/* Before any backend is set: either the plugin loads, or ImportError says why it did not. */
static void test_backend_loader(void **state)
{
    (void)state;
    const kn_pymod_backend *b = kn_pymod_backend_get();
    if (!b) {
        assert_true(PyErr_ExceptionMatches(PyExc_ImportError));
        PyObject *type, *value, *tb;
        PyErr_Fetch(&type, &value, &tb);
        PyObject *text = PyObject_Str(value);
        assert_non_null(
            strstr(PyUnicode_AsUTF8(text), "Kiln's LLVM backend could not be loaded: "));
        Py_DECREF(text);
        Py_XDECREF(type);
        Py_XDECREF(value);
        Py_XDECREF(tb);
    }
    kn_pymod_backend_set(&fake);
    assert_ptr_equal(kn_pymod_backend_get(), &fake);
}

static void test_type_objects(void **state)
{
    (void)state;
    run("from kiln import *\n"
        "assert repr(int64) == str(int64) == 'int64' and repr(boolean) == 'bool'\n"
        "assert i8 is int64 and f8 is float64 is double and b1 is boolean is bool_ and c16 is "
        "complex128\n"
        "assert i1 is int8 and i2 is int16 and i4 is int32 and u1 is uint8 and u8 is uint64 and f4 "
        "is float32\n"
        "assert intp is int64 and uintp is uint64 and void is none and repr(none) == 'none'\n"
        "assert int64 == i8 and int64 != float64 and hash(int64) == hash(i8)\n"
        "assert {int64: 1}[i8] == 1 and isinstance(int64, Type)\n"
        "assert int64.bitwidth == 64 and float32.bitwidth == 32\n"
        "raises(AttributeError, lambda: int64.ndim, match='int64 has no attribute')\n");
}

static void test_array_types(void **state)
{
    (void)state;
    run("from kiln import *\n"
        "assert repr(int64[:]) == 'array(int64, 1d, A)'\n"
        "assert repr(int64[::1]) == 'array(int64, 1d, C)'\n"
        "assert repr(float64[:, ::1]) == 'array(float64, 2d, C)'\n"
        "assert repr(float64[::1, :]) == 'array(float64, 2d, F)'\n"
        "assert repr(float64[:, :, :]) == 'array(float64, 3d, A)'\n"
        "assert float64[:, ::1] is float64[:, ::1]\n"
        "a = uint8[:, ::1]\n"
        "assert a.dtype is uint8 and a.ndim == 2 and a.layout == 'C'\n"
        "raises(KeyError, lambda: int64[1], match='slices with no start or stop')\n"
        "raises(KeyError, lambda: int64[1:], match='slices')\n"
        "raises(KeyError, lambda: int64[::2], match='slices')\n"
        "raises(KeyError, lambda: int64[()], match='slices')\n"
        "raises(TypeError, lambda: int64[:][:], match='no arrays of')\n"
        "raises(TypeError, lambda: void[:], match='no arrays of')\n");
}

static void test_signatures(void **state)
{
    (void)state;
    run("from kiln import *\n"
        "s = float64(int64, int64)\n"
        "assert repr(s) == str(s) == '(int64, int64) -> float64'\n"
        "assert s.args == (int64, int64) and s.return_type is float64\n"
        "assert s == float64(i8, i8) and s != float64(int64) and hash(s) == hash(float64(i8, i8))\n"
        "assert repr(float64(int64)) == '(int64,) -> float64' and repr(void()) == '() -> none'\n"
        "assert repr(float64[:](float64[:, ::1])) == "
        "'(array(float64, 2d, C),) -> array(float64, 1d, A)'\n"
        "assert isinstance(s, Signature)\n"
        "raises(TypeError, int64, 3, match='must be Kiln types')\n"
        "raises(TypeError, int64, void, match='must be Kiln types')\n"
        "raises(TypeError, int64, x=int64, match='no keyword')\n");
}

static void test_typeof(void **state)
{
    (void)state;
    run("from kiln import *\n"
        "assert typeof(1) is int64 and typeof(-2**63) is int64 and typeof(2**63) is uint64\n"
        "assert typeof(1.5) is float64 and typeof(True) is boolean and typeof(1j) is complex128\n"
        "assert repr(typeof((1, 2))) == 'UniTuple(int64 x 2)'\n"
        "assert repr(typeof((1, 2.0))) == 'Tuple(int64, float64)'\n"
        "assert repr(typeof(((1, 2), 3.0))) == 'Tuple(UniTuple(int64 x 2), float64)'\n"
        "assert typeof((1, 2)).types == (int64, int64) and typeof(None) is none\n"
        "raises(ValueError, typeof, 2**64, match='Int value is too large')\n"
        "raises(ValueError, typeof, 'a', match=\"Cannot determine Kiln type of <class 'str'>\")\n"
        "raises(ValueError, typeof, (1, 'a'), match='Cannot determine Kiln type')\n"
        "import numpy as np\n"
        "assert typeof(np.float32(1)) is float32 and typeof(np.int8(1)) is int8\n"
        "assert typeof(np.bool_(1)) is boolean and typeof(np.uint16(1)) is uint16\n"
        "assert repr(typeof(np.zeros(3))) == 'array(float64, 1d, C)'\n"
        "assert repr(typeof(np.zeros((2, 3), np.int32).T)) == 'array(int32, 2d, F)'\n"
        "assert repr(typeof(np.zeros((4, 4))[::2])) == 'array(float64, 2d, A)'\n"
        "raises(ValueError, typeof, np.complex64(1), match='Kiln has no complex64 values')\n"
        "assert repr(typeof(np.zeros(2, np.longlong))) == 'array(int64, 1d, C)'\n"
        "assert repr(typeof(np.zeros(2, np.uintc))) == 'array(uint32, 1d, C)'\n"
        "assert repr(typeof(np.zeros((2, 2), bool)[:, 0])) == 'array(bool, 1d, A)'\n"
        "frozen = np.zeros(2, np.complex128); frozen.flags.writeable = False\n"
        "assert repr(typeof(frozen)) == 'readonly array(complex128, 1d, C)'\n"
        "for dtype in ('>f8', '>i4', np.float16, np.complex64, np.longdouble, object, 'M8[s]'):\n"
        "    raises(ValueError, typeof, np.zeros(2, dtype), match='Kiln has no ')\n"
        "raises(ValueError, typeof, np.zeros(2, '>f8'), match=\"no >f8 arrays (items must be in this "
        "machine's byte order)\")\n"
        "raises(ValueError, typeof, np.ma.masked_array([1.0, 2.0], mask=[0, 1]), match='no masked arrays')\n"
        "assert repr(typeof(np.matrix([[1.0]]))) == 'array(float64, 2d, C)'\n");
}

/* Options: accepted, warned about once per option, never an error; decorating compiles nothing. */
static void test_decorator_options(void **state)
{
    (void)state;
    run("from kiln import jit, njit, KilnWarning\n"
        "assert issubclass(KilnWarning, UserWarning)\n"
        "def f(x): return x\n"
        "with warnings.catch_warnings(record=True) as w:\n"
        "    warnings.simplefilter('always')\n"
        "    for i in range(2):\n"
        "        njit(cache=True, nogil=True, parallel=True, error_model='numpy')(f)\n"
        "        njit(inline='always', locals={'x': kiln.int64}, fastmath=True, "
        "boundscheck=False)(f)\n"
        "        njit(cache=False, error_model='python', inline='never', locals={}, "
        "parallel=False)(f)\n"
        "        jit(nopython=True, boundscheck=None)(f)\n"
        "ws = [str(x.message) for x in w if x.category is KilnWarning]\n"
        "assert len(ws) == 6, ws\n"
        "assert any('cache=True' in m for m in ws) and any(\"error_model='numpy'\" in m for m in "
        "ws)\n"
        "with warnings.catch_warnings(record=True) as w:\n"
        "    warnings.simplefilter('always')\n"
        "    jit(nopython=False)(f); jit(forceobj=True)(f)\n"
        "assert [str(x.message) for x in w] == []\n" /* object mode: nothing to warn about */
        "with warnings.catch_warnings(record=True) as w:\n"
        "    warnings.simplefilter('always')\n"
        "    njit(nopython=True)(f)\n"
        "assert w[0].category is RuntimeWarning and 'nopython is set for njit' in "
        "str(w[0].message)\n"
        "raises(TypeError, jit, foo=1, match=\"unexpected keyword argument 'foo'\")\n"
        "raises(TypeError, jit, 42, match=\"not a function (got type <class 'int'>)\")\n"
        "raises(TypeError, jit(), 42, match='not a function')\n"
        "raises(TypeError, jit, 'float64(', match='invalid signature')\n"
        "raises(TypeError, jit, ['int64(int64)', 3], match='a signature is a string')\n");
    assert_int_equal(compiles, 0);
}

static void test_decorator_forms(void **state)
{
    (void)state;
    run("from kiln import *\n"
        "def f(x): 'doc'; return x\n"
        "for d in (jit(f), njit(f), jit()(f), jit(nopython=True)(f), njit()(f)):\n"
        "    assert type(d).__name__ == 'CPUDispatcher' and isinstance(d, Dispatcher)\n"
        "    assert d.py_func is f and d.__wrapped__ is f and d.__name__ == 'f' and d.__doc__ == "
        "'doc'\n"
        "    assert d.__qualname__ == 'f' and d.__module__ == '__main__'\n"
        "    assert repr(d) == f'CPUDispatcher({f!r})' and d.signatures == []\n"
        "@jit\n"
        "def g(x): return x\n"
        "assert g.__name__ == 'g' and g.nopython_signatures == [] and g.overloads == {}\n");
    assert_int_equal(compiles, 0);
}

static void test_lazy_specializations(void **state)
{
    (void)state;
    compiles = 0;
    run("from kiln import *\n"
        "@njit\n"
        "def f(x): return x\n"
        "assert f(1) == 1 and f(2) == 2 and f(1.5) == 1.5 and f(True) is True and f(1j) == 1j\n"
        "assert f((1, 2)) == (1, 2) and f(2**63) == 2**63 and f(-2**62) == -2**62\n"
        "assert f.signatures == [(int64,), (float64,), (boolean,), (complex128,), "
        "(typeof((1, 2)),), (uint64,)]\n"
        "assert f.nopython_signatures[0] == int64(int64)\n"
        "o = f.overloads[(int64,)]\n"
        "assert o.signature == int64(int64) and isinstance(o.entry_point, int)\n"
        "assert f.inspect_llvm()[(float64,)] == 'define i64 @fake()'\n"
        "assert f.inspect_llvm((int64,)) == f.inspect_llvm('(int64)') == "
        "f.inspect_llvm(int64(int64))\n"
        "assert f.inspect_asm((int64,)) == 'fake: ret'\n"
        "raises(KeyError, f.inspect_llvm, (int8,))\n"
        "st = f.stats[(int64,)]\n"
        "assert set(st) == {'parse', 'infer', 'lower', 'optimize', 'machine_code', 'total'}\n"
        "assert st['total'] == 0.5\n"
        "import io\n"
        "out = io.StringIO(); f.inspect_types(file=out, signature=(int64,))\n"
        "assert out.getvalue() == 'f (int64,)\\n' + '-' * 80 + '\\n# fake annotation\\n' + '=' * "
        "80 "
        "+ '\\n'\n"
        "f.compile('int8(int8)')\n"
        "assert f.signatures[-1] == (int8,)\n");
    assert_int_equal(compiles, 7);
}

static void test_explicit_signatures(void **state)
{
    (void)state;
    compiles = 0;
    run("from kiln import *\n"
        "@jit('float64(float64)')\n"
        "def f(x): return x\n"
        "assert f.signatures == [(float64,)]\n"
        "r = f(2); assert r == 2.0 and type(r) is float\n"
        "r = f(True); assert type(r) is float\n"
        "e = raises(TypeError, f, 1j, match='No matching definition for argument type(s) "
        "complex128')\n"
        "assert '(float64) -> float64' in str(e)\n"
        "raises(TypeError, f, 'a', match='No matching definition for argument type(s) pyobject')\n"
        "raises(RuntimeError, f.compile, 'int64(int64)', match='compilation disabled')\n"
        "@njit(['int32(int32)', int64(int64), (float64,)])\n"
        "def g(x): return x\n"
        "assert g.signatures == [(int32,), (int64,), (float64,)]\n"
        "r = g(5); assert type(r) is int and g.nopython_signatures[0].return_type is int32\n"
        "r = g(True); assert type(r) is int\n"
        "r = g(1.5); assert r == 1.5\n"
        "@jit(float64(float64, float64))\n"
        "def h(x, y): return x\n"
        "assert h(1, 2.5) == (1.0, 2.5) and type(h(1, 2)[1]) is float\n"
        "raises(TypeError, h, 1j, 1, match='argument type(s) complex128, int64')\n"
        "@njit(int8(int8))\n"
        "def narrow(x): return x\n"
        "r = narrow(100); assert r == 100 and type(r) is int\n"
        "raises(OverflowError, narrow, 128, match='128 is out of the range of int8')\n"
        "raises(TypeError, narrow, 1.0, match='argument type(s) float64')\n"
        "@njit([uint8(uint8), float32(float32)])\n"
        "def small(x): return x\n"
        "assert small(255) == 255 and small(1.5) == 1.5\n"
        "raises(OverflowError, small, -1, match='out of the range of uint8')\n"
        "@njit((int64, int64))\n"
        "def k(x, y): return x\n"
        "assert k(1, 2) == (1, 2) and k.nopython_signatures == [int64(int64, int64)]\n");
    assert_int_equal(compiles, 9);
}

static void test_arguments(void **state)
{
    (void)state;
    run("from kiln import *\n"
        "@njit\n"
        "def f(x, y=2.5): return x\n"
        "assert f(1) == (1, 2.5) and f(1, y=3) == (1, 3) and f(y=1, x=2) == (2, 1)\n"
        "assert f.signatures == [(int64, float64), (int64, int64)]\n"
        "raises(TypeError, f, match=\"f() missing required argument: 'x'\")\n"
        "raises(TypeError, f, 1, z=3, match=\"f() got an unexpected keyword argument 'z'\")\n"
        "raises(TypeError, f, 1, x=3, match=\"f() got multiple values for argument 'x'\")\n"
        "raises(TypeError, f, 1, 2, 3, match='f() takes 2 positional arguments but 3 were given')\n"
        "e = raises(kiln.TypingError, f, 'a', 1, match='non-precise type pyobject')\n"
        "assert \"- argument 0: Cannot determine Kiln type of <class 'str'>\" in str(e)\n"
        "raises(kiln.TypingError, f, None, 1, match='None cannot be passed to compiled code yet')\n"
        "class C:\n"
        "    m = njit(lambda self, x: x)\n"
        "assert C.m.__name__ == '<lambda>'\n"
        "raises(kiln.TypingError, C().m, 1, match='argument 0')\n");
}

static void test_compile_errors(void **state)
{
    (void)state;
    compiles = 0;
    run("from kiln import *\n"
        "@njit\n"
        "def bad(x): return x\n"
        "for i in range(2):\n"
        "    raises(TypingError, bad, 1, match='cannot add int64 and str')\n"
        "assert bad.signatures == []\n"
        "raises(TypingError, njit('int64(int64)'), bad.py_func, match='cannot add')\n");
    assert_int_equal(compiles, 3);
}

/* resolve_call: the callee compiles on demand; a frozen one converts, or it is an error. */
static void test_resolve_call(void **state)
{
    (void)state;
    compiles = 0;
    run("import types\n"
        "from kiln import *\n"
        "target = njit(lambda x: x)\n"
        "def make(name, callee):\n"
        "    code = compile('def f(x): return x', name, 'exec').co_consts[0]\n"
        "    return types.FunctionType(code, {'callee': callee}, name)\n"
        "caller = njit(make('caller', target))\n"
        "assert caller(1) == 1 and target.signatures == [(int64,)]\n"
        "frozen = njit('float64(float64)')(lambda x: x)\n"
        "g = njit(make('frozen_caller', frozen))\n"
        "assert g(1) == 1 and g(True) is True and frozen.signatures == [(float64,)]\n"
        "raises(TypingError, g, 1j, match='no compiled signature that argument type(s) "
        "complex128 convert to')\n");
    assert_int_equal(compiles, 6);
}

/*
 * Dispatchers that call each other: the second compiles against the first
 * in progress and waits for it, then both are published. When the first
 * has no return type before its callee is typed, both fail, plainly.
 */
static void test_mutual_recursion(void **state)
{
    (void)state;
    compiles = 0;
    run("from kiln import *\n"
        "import types\n"
        "code = compile('def f(x): return x', 'm', 'exec').co_consts[0]\n"
        "def pair(first, second):\n"
        "    ga, gb = {}, {}\n"
        "    a = njit(types.FunctionType(code, ga, first))\n"
        "    b = njit(types.FunctionType(code, gb, second))\n"
        "    ga['callee'], gb['callee'] = b, a\n"
        "    return a, b\n"
        "a, b = pair('a', 'b')\n"
        "assert a(1) == 1 and a.signatures == [(int64,)] and b.signatures == [(int64,)]\n"
        "assert b(2) == 2\n"
        "a, b = pair('late_a', 'late_b')\n"
        "raises(TypingError, a, 1, match='cannot infer the return type of the callee')\n"
        "assert a.signatures == [] and b.signatures == []\n"
        "del a, b\n");
    assert_int_equal(compiles, 4);
    kn_pymod_compile_mark();
    run("gc.collect()\n");
}

static void count_visit(void *ctx, PyObject *dispatcher, kn_specialization *spec)
{
    (void)dispatcher;
    (void)spec;
    (*(int *)ctx)++;
}

static void test_compile_log(void **state)
{
    (void)state;
    size_t mark = kn_pymod_compile_mark();
    int seen = 0;
    kn_pymod_compiled_since(mark, count_visit, &seen);
    assert_int_equal(seen, 0);
    run("logged = kiln.njit(lambda x: x)\n"
        "logged(1); logged(1.0); logged(2)\n");
    kn_pymod_compiled_since(mark, count_visit, &seen);
    assert_int_equal(seen, 2);
    seen = 0;
    kn_pymod_compiled_since(kn_pymod_compile_mark(), count_visit, &seen);
    assert_int_equal(seen, 0);
}

/* A dispatcher frees its specializations when it goes, once the log lets it go. */
static void test_release(void **state)
{
    (void)state;
    run("tmp = kiln.njit(lambda x: x)\n"
        "tmp(1); tmp(2.0)\n");
    kn_pymod_compile_mark();
    frees = 0;
    run("del tmp\n"
        "gc.collect()\n");
    assert_int_equal(frees, 2);
}

/* ---- The same API through the real compiler, linked into this test ---- */

static const kn_pymod_backend llvm = {kn_compile,     kn_specialization_asm, kn_specialization_free,
                                      kn_specialization_link, kn_cuda_compile,   kn_cuda_free};

/*
 * Drops every dispatcher the fake backend compiled (each frees its
 * specializations through the backend of the moment), then switches to
 * LLVM. Sources go into linecache, as the session puts a cell's.
 */
static int use_llvm(void **state)
{
    (void)state;
    run("for name in [n for n in globals() if n not in ('__builtins__', '__name__', 'kiln', "
        "'warnings', 'gc', 'raises')]:\n"
        "    del globals()[name]\n"
        "import linecache\n"
        "def define(source, name):\n"
        "    linecache.cache[name] = (len(source), None, source.splitlines(True), name)\n"
        "    namespace = {}\n"
        "    exec(compile(source, name, 'exec'), namespace)\n"
        "    return namespace\n");
    kn_pymod_compile_mark();
    run("gc.collect()\n");
    kn_pymod_backend_set(&llvm);
    return 0;
}

static void test_compile_and_call(void **state)
{
    (void)state;
    run("ns = define('''\n"
        "import kiln\n"
        "@kiln.njit\n"
        "def inc(x):\n"
        "    return x + 1\n"
        "@kiln.jit(['int64(int64)', 'float64(float64)'])\n"
        "def twice(x):\n"
        "    return 2 * x\n"
        "@kiln.njit\n"
        "def twice_inc(x, y):\n"
        "    return twice(inc(x)) - y\n"
        "''', '<kiln-test-1>')\n"
        "inc, twice, twice_inc = ns['inc'], ns['twice'], ns['twice_inc']\n"
        "from kiln import int64, float64\n"
        "assert inc(1) == 2 and inc(-5) == -4 and inc(2.5) == 3.5 and inc(True) == 2\n"
        "assert inc.signatures == [(int64,), (float64,), (kiln.boolean,)]\n"
        "assert twice(3) == 6 and twice(1.5) == 3.0 and twice(True) == 2\n"
        "e = raises(TypeError, twice, 1j, match='No matching definition for argument type(s) "
        "complex128')\n"
        "assert '(int64) -> int64' in str(e) and '(float64) -> float64' in str(e)\n"
        "assert twice_inc(3, y=1) == 7 and twice_inc.signatures == [(int64, int64)]\n"
        "assert 'define' in inc.inspect_llvm((int64,)) and inc.inspect_asm((int64,)).strip()\n"
        "assert inc.stats[(int64,)]['total'] > 0\n");
}

/*
 * Calls between dispatchers, compiled: mutual recursion (typed from the
 * base case, widened to a fixpoint, or plainly refused without one), a
 * frozen callee converting its arguments, defaults and keywords.
 */
static void test_calls_between_dispatchers(void **state)
{
    (void)state;
    run("ns = define('''\n"
        "import kiln\n"
        "@kiln.njit\n"
        "def is_even(n):\n"
        "    return True if n == 0 else is_odd(n - 1)\n"
        "@kiln.njit\n"
        "def is_odd(n):\n"
        "    return False if n == 0 else is_even(n - 1)\n"
        "@kiln.njit\n"
        "def ping(n):\n"
        "    if n <= 0:\n"
        "        return 0\n"
        "    return pong(n - 1) + 0.5\n"
        "@kiln.njit\n"
        "def pong(n):\n"
        "    return ping(n - 1) * 2\n"
        "@kiln.njit\n"
        "def loop_a(n):\n"
        "    return loop_b(n)\n"
        "@kiln.njit\n"
        "def loop_b(n):\n"
        "    return loop_a(n)\n"
        "@kiln.jit('float64(float64, float64)')\n"
        "def scaled(x, k):\n"
        "    return x * k\n"
        "@kiln.njit\n"
        "def use_scaled(n):\n"
        "    return scaled(n, 2) + scaled(True, n)\n"
        "@kiln.njit\n"
        "def power(x, k=2, c=0.5):\n"
        "    return x ** k + c\n"
        "@kiln.njit\n"
        "def use_power(n):\n"
        "    return power(n) + power(n, c=1) + power(k=3, x=n)\n"
        "''', '<kiln-test-3>')\n"
        "globals().update(ns)\n"
        "from kiln import int64, float64\n"
        "assert [is_even(n) for n in range(6)] == [is_even.py_func(n) for n in range(6)]\n"
        "assert is_even.signatures == is_odd.signatures == [(int64,)]\n"
        "assert [ping(n) for n in range(8)] == [ping.py_func(n) for n in range(8)]\n"
        "assert ping.nopython_signatures == [float64(int64)] == pong.nopython_signatures\n"
        "raises(kiln.TypingError, loop_a, 1, match='cannot infer the return type of loop_b')\n"
        "assert loop_a.signatures == [] and loop_b.signatures == []\n"
        "assert use_scaled(3) == use_scaled.py_func(3) == 9.0\n"
        "assert scaled.signatures == [(float64, float64)]\n"
        "assert use_power(2) == use_power.py_func(2) == 18.0\n"
        "assert power.signatures == [(int64, int64, float64), (int64, int64, int64)]\n");
}

/* The call paths keep no references: fast path, conversions, keywords, errors. */
static void test_no_leaks(void **state)
{
    (void)state;
    run("import sys\n"
        "big, f = 10**12, 0.25\n"
        "before = sys.getrefcount(big), sys.getrefcount(f)\n"
        "for i in range(10000):\n"
        "    inc(big); twice(big); twice(f); twice_inc(big, y=big)\n"
        "    try:\n"
        "        twice(1j)\n"
        "    except TypeError:\n"
        "        pass\n"
        "assert (sys.getrefcount(big), sys.getrefcount(f)) == before\n");
}

static void test_compile_error_at_call(void **state)
{
    (void)state;
    run("ns = define('''\n"
        "import kiln\n"
        "@kiln.njit\n"
        "def bad(x):\n"
        "    return x + 'a'\n"
        "''', '<kiln-test-2>')\n"
        "bad = ns['bad']\n"
        "for i in range(2):\n"
        "    e = raises(kiln.TypingError, bad, 1, match='cannot add int64 and str')\n"
        "assert '<kiln-test-2>:5:12' in str(e) and '^' in str(e), str(e)\n"
        "assert bad.signatures == []\n");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_backend_loader),
        cmocka_unit_test(test_type_objects),
        cmocka_unit_test(test_array_types),
        cmocka_unit_test(test_signatures),
        cmocka_unit_test(test_typeof),
        cmocka_unit_test(test_decorator_options),
        cmocka_unit_test(test_decorator_forms),
        cmocka_unit_test(test_lazy_specializations),
        cmocka_unit_test(test_explicit_signatures),
        cmocka_unit_test(test_arguments),
        cmocka_unit_test(test_compile_errors),
        cmocka_unit_test(test_resolve_call),
        cmocka_unit_test(test_mutual_recursion),
        cmocka_unit_test(test_compile_log),
        cmocka_unit_test(test_release),
        cmocka_unit_test_setup(test_compile_and_call, use_llvm),
        cmocka_unit_test(test_calls_between_dispatchers),
        cmocka_unit_test(test_no_leaks),
        cmocka_unit_test(test_compile_error_at_call),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}

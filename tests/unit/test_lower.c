/* Lowering end to end: Python functions through kn_compile, run against Python. */
#include <Python.h>

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "compiler/compile.h"
#include "compiler/diag.h"
#include "embed.h"
#include "runtime/interrupt.h"

/*
 * Results are compared as the e2e cases compare them: NaN equals NaN,
 * -0.0 differs from 0.0, types must match, exceptions by type and message;
 * and integers modulo 2**64, since compiled ones wrap where Python's grow.
 */
static const char helper[] =
    "def outcome(f, args):\n"
    "    try:\n"
    "        return ('value', f(*args))\n"
    "    except Exception as e:\n"
    "        return ('raises', type(e), str(e))\n"
    "def same(a, b):\n"
    "    if type(a) is not type(b):\n"
    "        return False\n"
    "    if isinstance(a, tuple):\n"
    "        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b))\n"
    "    if isinstance(a, complex):\n"
    "        return same(a.real, b.real) and same(a.imag, b.imag)\n"
    "    if isinstance(a, float):\n"
    "        if math.isnan(a) or math.isnan(b):\n"
    "            return math.isnan(a) and math.isnan(b)\n"
    "        return a == b and math.copysign(1, a) == math.copysign(1, b)\n"
    "    if type(a) is int:\n"
    "        return (a - b) % 2**64 == 0\n"
    "    return a == b\n"
    "def agree(got, want):\n"
    "    if got[0] != want[0]:\n"
    "        return False\n"
    "    return got[1:] == want[1:] if got[0] == 'raises' else same(got[1], want[1])\n";

static int cells;

/* Each definition in a cell file of its own, as Jupyter numbers them. */
static PyObject *define(const char *src, const char *name)
{
    char filename[64];
    snprintf(filename, sizeof filename, "<cell %d>", ++cells);
    PyObject *f = embed_define(src, filename, name);
    assert_non_null(f);
    return f;
}

static kn_specialization *compile_with(PyObject *func, const char *sigtext,
                                       const kn_compile_options *opts)
{
    kn_signature sig;
    char err[256];
    if (kn_signature_parse(sigtext, &sig, err, sizeof err) < 0)
        fail_msg("%s: %s", sigtext, err);
    kn_specialization *spec = kn_compile(func, &sig, opts);
    if (!spec && PyErr_Occurred())
        PyErr_Print();
    else if (!spec)
        fprintf(stderr, "kn_compile failed without an exception\n");
    assert_non_null(spec);
    return spec;
}

static kn_specialization *compile(PyObject *func, const char *sigtext)
{
    return compile_with(func, sigtext, NULL);
}

/* ('value', result) or ('raises', type, message) of the compiled function. */
static PyObject *native_outcome(kn_specialization *spec, PyObject *args)
{
    PyObject *r = spec->wrapper(&PyTuple_GET_ITEM(args, 0));
    if (r)
        return Py_BuildValue("(sN)", "value", r);
    PyObject *type, *value, *tb;
    PyErr_Fetch(&type, &value, &tb);
    PyErr_NormalizeException(&type, &value, &tb);
    PyObject *o = Py_BuildValue("(sON)", "raises", type, PyObject_Str(value));
    Py_XDECREF(type);
    Py_XDECREF(value);
    Py_XDECREF(tb);
    return o;
}

/* The compiled function and the Python one agree on args (a tuple); prints both when not. */
static int agrees(kn_specialization *spec, PyObject *func, PyObject *args)
{
    PyObject *got = native_outcome(spec, args);
    PyObject *want = PyObject_CallFunction(embed_helper("outcome"), "OO", func, args);
    PyObject *ok = PyObject_CallFunction(embed_helper("agree"), "OO", got, want);
    int same = ok == Py_True;
    if (!same) {
        PyObject *name = PyObject_GetAttrString(func, "__name__");
        fprintf(stderr, "%s%s: kiln ", PyUnicode_AsUTF8(name),
                PyUnicode_AsUTF8(PyObject_Repr(args)));
        PyObject_Print(got, stderr, 0);
        fprintf(stderr, ", python ");
        PyObject_Print(want, stderr, 0);
        fprintf(stderr, "\n");
        Py_XDECREF(name);
    }
    Py_XDECREF(got);
    Py_XDECREF(want);
    Py_XDECREF(ok);
    return same;
}

/* Every args tuple the Python expression `inputs` gives. */
static void check_all(kn_specialization *spec, PyObject *func, const char *inputs)
{
    PyObject *list = PyRun_String(inputs, Py_eval_input, embed_helpers, embed_helpers);
    if (!list)
        PyErr_Print();
    assert_non_null(list);
    int bad = 0;
    for (Py_ssize_t i = 0; i < PyList_GET_SIZE(list); i++)
        bad += !agrees(spec, func, PyList_GET_ITEM(list, i));
    Py_DECREF(list);
    assert_int_equal(bad, 0);
}

/* Compiles src's function `name` for sig and checks it against Python on inputs. */
static void check_function(const char *src, const char *name, const char *sig, const char *inputs)
{
    PyObject *func = define(src, name);
    kn_specialization *spec = compile(func, sig);
    check_all(spec, func, inputs);
    kn_specialization_free(spec);
    Py_DECREF(func);
}

/* check_function, then whether the optimized IR holds needle (holds 1) or not (0). */
static void check_ir(const char *src, const char *name, const char *sig, const char *inputs,
                     const char *needle, int holds)
{
    PyObject *func = define(src, name);
    kn_specialization *spec = compile(func, sig);
    check_all(spec, func, inputs);
    int found = strstr(spec->ir_optimized, needle) != NULL;
    if (found != holds)
        fprintf(stderr, "%s\n", spec->ir_optimized);
    assert_int_equal(found, holds);
    kn_specialization_free(spec);
    Py_DECREF(func);
}

static const char ints[] =
    "[0, 1, -1, 2, -2, 3, -3, 7, -7, 10, -10, 255, -256, 123456789, -987654321, "
    "2**62, -2**62, 2**63 - 1, -2**63]";
static const char floats[] =
    "[0.0, -0.0, 1.0, -1.0, 0.5, -0.5, 2.5, -3.75, 1e-300, -1e300, 123456.789, "
    "math.inf, -math.inf, math.nan]";

static char *pairs_of(const char *xs, char *buf, size_t size)
{
    snprintf(buf, size, "[(a, b) for a in %s for b in %s]", xs, xs);
    return buf;
}

static void test_add(void **state)
{
    (void)state;
    const char *src = "def add(a, b):\n    return a + b\n";
    char buf[1024];
    check_function(src, "add", "(int64, int64)", "[(3, 4), (-5, 2), (2**63 - 1, 0)]");
    check_function(src, "add", "(float64, float64)", pairs_of(floats, buf, sizeof buf));
}

/* Narrow and unsigned types through the wrapper: truncated on the way in, widened on the way out.
 */
static void test_argument_types(void **state)
{
    (void)state;
    PyObject *func = define(
        "def pick(b, x, y, z):\n    return (x if b else -x), z + 1, not b, x, y * 2\n", "pick");
    kn_specialization *spec = compile(func, "(bool, int32, float32, uint64)");
    check_all(spec, func, "[(True, 3, 0.5, 7), (False, -3, 2.25, 2**64 - 2)]");
    PyObject *args[] = {Py_True, PyLong_FromLongLong(1LL << 33 | 5), PyFloat_FromDouble(1.5),
                        PyLong_FromLong(-1)};
    PyObject *r = spec->wrapper(args);
    assert_non_null(r);
    assert_int_equal(PyLong_AsLongLong(PyTuple_GET_ITEM(r, 3)),
                     5); /* int32 keeps the low 32 bits */
    assert_int_equal(PyLong_AsUnsignedLongLong(PyTuple_GET_ITEM(r, 1)),
                     0); /* (2**64 - 1) + 1 wraps */
    Py_DECREF(r);
    for (int i = 1; i < 4; i++)
        Py_DECREF(args[i]);
    kn_specialization_free(spec);
    Py_DECREF(func);
}

static void test_fib(void **state)
{
    (void)state;
    PyObject *func = define("def fib(n):\n"
                            "    if n < 2:\n"
                            "        return n\n"
                            "    return fib(n - 1) + fib(n - 2)\n",
                            "fib");
    kn_specialization *spec = compile(func, "(int64)");
    assert_ptr_equal(spec->sig.ret, kn_type_int(64));
    check_all(spec, func, "[(0,), (1,), (2,), (10,), (20,)]");
    int32_t (*native)(int64_t *, int64_t) = (int32_t(*)(int64_t *, int64_t))spec->native;
    int64_t r = 0;
    assert_int_equal(native(&r, 30), 0);
    assert_int_equal(r, 832040);
    kn_specialization_free(spec);
    Py_DECREF(func);
}

static void test_prime_count(void **state)
{
    (void)state;
    check_function("def primes(n):\n"
                   "    count = 0\n"
                   "    for k in range(2, n):\n"
                   "        d = 2\n"
                   "        prime = True\n"
                   "        while d * d <= k:\n"
                   "            if k % d == 0:\n"
                   "                prime = False\n"
                   "                break\n"
                   "            d += 1\n"
                   "        if prime:\n"
                   "            count += 1\n"
                   "    return count\n",
                   "primes", "(int64)", "[(0,), (2,), (3,), (100,), (10000,)]");
}

static void test_float_loop_sqrt(void **state)
{
    (void)state;
    check_function("def norm(n, scale):\n"
                   "    s = 0.0\n"
                   "    for i in range(n):\n"
                   "        s += math.sqrt(i * scale)\n"
                   "    return s\n",
                   "norm", "(int64, float64)", "[(0, 1.0), (10, 0.5), (1000, 2.0), (5, -1.0)]");
}

static void test_floor_division_and_modulo_signs(void **state)
{
    (void)state;
    const char *src = "def dm(a, b):\n    return a // b, a % b, divmod(a, b)\n";
    char buf[1024];
    check_function(src, "dm", "(int64, int64)", pairs_of(ints, buf, sizeof buf));
    check_function(src, "dm", "(float64, float64)", pairs_of(floats, buf, sizeof buf));
    check_function(src, "dm", "(int64, float64)", "[(7, 2.0), (-7, 2.0), (7, -0.0), (0, -3.5)]");
}

/*
 * a % b compared with zero tests whether b divides a, without the sign fix
 * of a % b: the same answers for every sign, INT64_MIN % -1 included, and
 * ZeroDivisionError for b == 0.
 */
static void test_remainder_compared_with_zero(void **state)
{
    (void)state;
    const char *src = "def divides(a, b):\n"
                      "    return a % b == 0, a % b != 0, 0 == a % b, a % b == 0.0, 0 != a % b\n";
    char buf[1024];
    /* the sign fix that is skipped would compare signs with an xor */
    check_ir(src, "divides", "(int64, int64)", pairs_of(ints, buf, sizeof buf), "xor i64", 0);
    check_function(src, "divides", "(int8, int8)",
                   pairs_of("[0, 1, -1, 2, -2, 3, -3, 7, 127, -128]", buf, sizeof buf));
    check_function(src, "divides", "(uint64, uint64)",
                   pairs_of("[0, 1, 2, 3, 7, 2**63, 2**64 - 1, 2**64 - 2]", buf, sizeof buf));
    check_function(src, "divides", "(float64, float64)", pairs_of(floats, buf, sizeof buf));
}

static void test_true_division(void **state)
{
    (void)state;
    const char *src = "def div(a, b):\n    return a / b\n";
    char buf[1024];
    check_function(src, "div", "(int64, int64)", "[(1, 3), (-7, 2), (2**53, 3), (1, 0), (0, 0)]");
    check_function(src, "div", "(float64, float64)", pairs_of(floats, buf, sizeof buf));
}

static void test_tuples(void **state)
{
    (void)state;
    check_function("def parts(a, b):\n"
                   "    t = (a, b * 2.0, a > b)\n"
                   "    x, y, z = t\n"
                   "    return (y, x), z, t[-1], len(t)\n",
                   "parts", "(int64, float64)", "[(1, 2.5), (-3, -7.0)]");
    check_function("def swap(t):\n    a, b = t\n    return b, a\n", "swap", "(UniTuple(int64, 2))",
                   "[((1, 2),), ((-5, 9),)]");
}

static void test_complex(void **state)
{
    (void)state;
    check_function(
        "def cx(z, w):\n"
        "    return z * w + z / w - z ** 2, abs(z), z.conjugate(), z.real, w.imag, z == w\n",
        "cx", "(complex128, complex128)", "[(1+2j, 3-1j), (-0.5j, 2+0j), (1j, 1j), (1+1j, 0j)]");
    check_function("def cpow(z, w):\n    return z ** w\n", "cpow", "(complex128, complex128)",
                   "[(1+2j, 3+0j), (2j, -2+0j), (0j, -1+0j), (1+1j, 0.5+0.5j)]");
}

/* Python's own SIGINT handling, as the session installs it: an interrupt raises KeyboardInterrupt.
 */
static void take_sigint(void)
{
    assert_int_equal(
        PyRun_SimpleString("import signal\n"
                           "signal.signal(signal.SIGINT, signal.default_int_handler)\n"),
        0);
}

/* The loop forms that poll: a while loop counted or not, one that holds a loop, a range loop. */
static const char *const endless_loops[] = {
    "def spin(x):\n"
    "    while True:\n"
    "        x += 1\n"
    "    return x\n",
    "def spin(x):\n"
    "    s = 0\n"
    "    while x < 2**62:\n"
    "        s += x * x\n"
    "        x += 1\n"
    "    return s\n",
    "def spin(x):\n"
    "    while x != 1:\n"
    "        x = x // 2 if x % 2 == 0 else 3 * x + 2\n"
    "    return x\n",
    "def spin(x):\n"
    "    while True:\n"
    "        for i in range(2):\n"
    "            x += i\n"
    "    return x\n",
    "def spin(x):\n"
    "    s = 0.0\n"
    "    for i in range(x, 2**62):\n"
    "        s += i * 0.5\n"
    "    return s\n",
};

static void test_interrupt_stops_an_endless_loop(void **state)
{
    (void)state;
    take_sigint();
    PyObject *arg = PyLong_FromLong(3);
    for (size_t i = 0; i < sizeof endless_loops / sizeof endless_loops[0]; i++) {
        PyObject *func = define(endless_loops[i], "spin");
        kn_specialization *spec = compile(func, "(int64)");
        kn_rt_interrupt_request();
        PyObject *r = spec->wrapper(&arg);
        if (r)
            fprintf(stderr, "not interrupted:\n%s", endless_loops[i]);
        assert_null(r);
        assert_true(PyErr_ExceptionMatches(PyExc_KeyboardInterrupt));
        PyErr_Clear();
        assert_int_equal(kn_rt_interrupt_requested, 0);
        kn_specialization_free(spec);
        Py_DECREF(func);
    }
    Py_DECREF(arg);
}

/*
 * An interrupt that Python code raised as KeyboardInterrupt, and the
 * program caught, leaves the flag set with nothing pending: a compiled loop
 * that runs next goes on to its end, and clears the flag at its first poll
 * (after a chunk of iterations: 300000 makes a few).
 */
static void test_stale_interrupt_is_ignored(void **state)
{
    (void)state;
    PyObject *func = define("def total(n):\n"
                            "    s = 0\n"
                            "    i = 0\n"
                            "    while i < n:\n"
                            "        s += i\n"
                            "        i += 1\n"
                            "    return s\n",
                            "total");
    kn_specialization *spec = compile(func, "(int64)");
    take_sigint();
    kn_rt_interrupt_request();
    assert_int_equal(PyErr_CheckSignals(), -1); /* as Python code would, between two bytecodes */
    assert_true(PyErr_ExceptionMatches(PyExc_KeyboardInterrupt));
    PyErr_Clear(); /* the program catches it */
    assert_int_equal(kn_rt_interrupt_requested, 1);
    check_all(spec, func, "[(0,), (1000,), (-5,), (300000,)]");
    assert_int_equal(kn_rt_interrupt_requested, 0);
    kn_specialization_free(spec);
    Py_DECREF(func);
}

static void test_sum_of_squares_vectorizes(void **state)
{
    (void)state;
    const char *src = "def squares(n):\n"
                      "    s = 0\n"
                      "    for i in range(n):\n"
                      "        s += i * i\n"
                      "    return s\n";
    PyObject *func = define(src, "squares");
    kn_specialization *spec = compile(func, "(int64)");
    check_all(spec, func, "[(0,), (1,), (10,), (100000,), (-5,)]");
    /*
     * Either the loop vectorized, or LLVM found the closed form and no loop
     * is left inside the chunks (only the outer one, which polls).
     */
    int vector = strstr(spec->ir_optimized, "vector.body") != NULL;
    int closed = strstr(spec->ir_optimized, "\nfor.head") == NULL &&
                 strstr(spec->ir_optimized, "\nfor.body:") == NULL;
    if (!vector && !closed)
        fprintf(stderr, "%s\n", spec->ir_optimized);
    assert_true(vector || closed);
    kn_specialization_free(spec);
    Py_DECREF(func);
}

/*
 * A counted while loop vectorizes too: the countdown that takes it to a
 * poll every chunk leaves LLVM a trip count. Its results across the chunks'
 * edges, and those of while loops with continue, break and else.
 */
static void test_while_loops_in_chunks(void **state)
{
    (void)state;
    check_ir("def squares(n):\n"
             "    s = 0\n"
             "    i = 0\n"
             "    while i < n:\n"
             "        s += (i * i) >> 3\n"
             "        i += 1\n"
             "    return s\n",
             "squares", "(int64)",
             "[(n,) for n in (-1, 0, 1, 65535, 65536, 65537, 131072, 200003)]", "vector.body", 1);
    check_function("def steps(n, stop):\n"
                   "    s = 0\n"
                   "    i = 0\n"
                   "    while i < n:\n"
                   "        i += 1\n"
                   "        if i % 7 == 0:\n"
                   "            continue\n"
                   "        if i == stop:\n"
                   "            break\n"
                   "        s += i\n"
                   "    else:\n"
                   "        s = -s\n"
                   "    return s, i\n",
                   "steps", "(int64, int64)",
                   "[(n, stop) for n in (0, 65535, 65536, 65537, 140000) "
                   "for stop in (-1, 65536, 65543, 131073)]");
    check_function("def halve(n):\n"
                   "    k = 0\n"
                   "    while n > 0:\n"
                   "        n -= 3\n"
                   "        k += n & 1\n"
                   "    return n, k\n",
                   "halve", "(int64)", "[(n,) for n in (-2, 0, 1, 196607, 196608, 196610)]");
}

/* fastmath lets LLVM reassociate a float sum, so it vectorizes; without it the order is kept. */
static void test_fastmath_vectorizes_float_sums(void **state)
{
    (void)state;
    PyObject *func = define("def poly(n):\n"
                            "    s = 0.0\n"
                            "    for i in range(n):\n"
                            "        x = i * 0.5\n"
                            "        s += x * x - 3.0 * x\n"
                            "    return s\n",
                            "poly");
    kn_compile_options opts = {.boundscheck = 1, .fastmath = 1};
    kn_specialization *fast = compile_with(func, "(int64)", &opts);
    kn_specialization *exact = compile(func, "(int64)");
    assert_non_null(strstr(fast->ir_optimized, "vector.body"));
    assert_null(strstr(exact->ir_optimized, "vector.body"));
    check_all(exact, func, "[(0,), (7,), (1000,)]");
    kn_specialization_free(fast);
    kn_specialization_free(exact);
    Py_DECREF(func);
}

static void test_ranges(void **state)
{
    (void)state;
    check_function("def steps(a, b, s):\n"
                   "    total = 0\n"
                   "    last = -1\n"
                   "    for i in range(a, b, s):\n"
                   "        if i == 13:\n"
                   "            continue\n"
                   "        if i == 50:\n"
                   "            break\n"
                   "        total += i\n"
                   "        last = i\n"
                   "    else:\n"
                   "        total = -total\n"
                   "    return total, last\n",
                   "steps", "(int64, int64, int64)",
                   "[(0, 10, 1), (10, 0, -1), (0, 100, 7), (5, 5, 1), (0, 10, 0), (-3, 60, 1), "
                   "(100, -100, -3), (2**63 - 3, 2**63 - 1, 1), (-2**63, -2**63 + 5, 2)]");
    check_function("def one(n):\n"
                   "    s = 0\n"
                   "    for i in range(n):\n"
                   "        for j in range(i):\n"
                   "            s += j\n"
                   "    return s\n",
                   "one", "(int64)", "[(0,), (5,), (300,)]");
}

static void test_integer_operators(void **state)
{
    (void)state;
    char buf[1024];
    check_function("def ops(a, b):\n"
                   "    return a & b, a | b, a ^ b, ~a, -a, +a, a << (b & 63), a >> (b & 63), a << "
                   "b, a >> b\n",
                   "ops", "(int64, int64)",
                   pairs_of("[0, 1, -1, 5, -7, 63, 64, 100]", buf, sizeof buf));
    check_function("def power(a, b):\n    return a ** b\n", "power", "(int64, int64)",
                   "[(a, b) for a in [0, 1, -1, 2, -3, 10] for b in [0, 1, 2, 3, 5, 10]]");
    check_function("def square(a):\n    return a ** 2, a ** -2\n", "square", "(int64)",
                   "[(3,), (-4,), (1,)]");
    check_function("def fpow(a, b):\n    return a ** b\n", "fpow", "(float64, float64)",
                   "[(a, b) for a in [0.0, -0.0, 1.0, 2.0, 0.5, 10.0, math.inf] "
                   "for b in [0.0, 1.0, -1.0, 2.0, 0.5, -2.5, math.inf, math.nan]]");
}

static void test_comparisons_and_logic(void **state)
{
    (void)state;
    char buf[1024];
    check_function("def cmp(a, b):\n"
                   "    return a < b, a <= b, a == b, a != b, a > b, a >= b, 0 < a < b <= 10, "
                   "a and b, a or b, not a, (a if b > a else b)\n",
                   "cmp", "(float64, float64)",
                   pairs_of("[0.0, 1.0, -2.5, 10.0, math.nan]", buf, sizeof buf));
    check_function("def mixed(a, b):\n    return a < b, a == b, a >= b\n", "mixed",
                   "(int64, float64)", "[(1, 1.0), (2, 1.5), (0, 0.0), (-1, math.nan)]");
}

static void test_builtins(void **state)
{
    (void)state;
    check_function(
        "def b(x, y):\n"
        "    return abs(x), abs(y), min(y, 0.5), max(y, -1.0, 0.5), min(x, 2), round(y), round(y, "
        "1), "
        "int(y), float(x), bool(y), pow(x, 2), divmod(x, 3)\n",
        "b", "(int64, float64)",
        "[(1, 2.5), (-3, -2.5), (0, 0.5), (7, 1.5), (-8, -0.25), (5, 2.675), (2, 1e18)]");
    check_function("def cx(x, y):\n    return complex(x), complex(x, y), complex(y, 0.5)\n", "cx",
                   "(int64, float64)", "[(1, 2.5), (-3, -0.0)]");
    check_function("def conv(y):\n    return int(y)\n", "conv", "(float64)",
                   "[(1.9,), (-1.9,), (math.nan,), (math.inf,), (-math.inf,), (1e19,), (-1e30,)]");
    check_function("def rnd(y):\n    return round(y)\n", "rnd", "(float64)",
                   "[(0.5,), (1.5,), (2.5,), (-0.5,), (-1.5,), (math.nan,), (math.inf,)]");
}

static void test_math(void **state)
{
    (void)state;
    check_function(
        "def m(x):\n"
        "    return math.sqrt(x), math.log(x), math.exp(x), math.floor(x), math.isnan(x)\n",
        "m", "(float64)",
        "[(1.0,), (2.5,), (0.0,), (-1.0,), (1000.0,), (math.nan,), (math.inf,), (-math.inf,)]");
    char inputs[256];
    check_function("def lg(x, b):\n    return math.log(x, b)\n", "lg", "(float64, float64)",
                   pairs_of("[8.0, 100.0, 1.0, 0.5, 0.0, -2.0, 1e300, math.inf, -math.inf, "
                            "math.nan]",
                            inputs, sizeof inputs));
    check_function("def lgi(x, b):\n    return math.log(x, b)\n", "lgi", "(int64, int64)",
                   "[(8, 2), (1000, 10), (7, 1), (0, 2), (2, 0), (-8, 2), (9, -3), (1, 1)]");
}

/*
 * Where the math functions fail, tested on their arguments: at and around
 * each edge, signed zeros, infinities and NaN (which goes through without
 * an error), in float64 and in float32.
 */
static void test_math_domain_edges(void **state)
{
    (void)state;
    const char *src = "def edges(x):\n"
                      "    return (math.sqrt(x), math.log(x), math.log2(x), math.log10(x),\n"
                      "            math.log1p(x), math.sin(x), math.cos(x), math.tan(x),\n"
                      "            math.asin(x), math.acos(x))\n";
    const char *one_each = "def sqrt(x):\n    return math.sqrt(x)\n"
                           "def log(x):\n    return math.log(x)\n"
                           "def log1p(x):\n    return math.log1p(x)\n"
                           "def asin(x):\n    return math.asin(x)\n"
                           "def acos(x):\n    return math.acos(x)\n"
                           "def sin(x):\n    return math.sin(x)\n"
                           "def tan(x):\n    return math.tan(x)\n";
    const char *inputs = "[(x,) for x in (0.0, -0.0, 1.0, -1.0, 0.5, -0.5, 2.0, -2.0, 1e-300, "
                         "-1e-300, -5e-324, math.nextafter(1.0, 2.0), -math.nextafter(1.0, 2.0), "
                         "math.nextafter(-1.0, 0.0), math.inf, -math.inf, math.nan)]";
    const char *names[] = {"sqrt", "log", "log1p", "asin", "acos", "sin", "tan"};
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
        check_function(one_each, names[i], "(float64)", inputs);
    /* float32 computes in float32: inputs whose results it holds exactly */
    const char *exact = "[(x,) for x in (0.0, -0.0, 1.0, -1.0, -0.25, math.inf, -math.inf, "
                        "math.nan)]";
    check_function(one_each, "sqrt", "(float32)", exact);
    check_function(one_each, "sqrt", "(float32)", "[(4.0,), (0.25,)]");
    check_function(one_each, "log", "(float32)", exact);
    check_function(src, "edges", "(float64)", "[(0.5,), (-0.5,), (0.0,), (math.nan,)]");
    check_function(src, "edges", "(int64)", "[(1,), (0,), (-1,)]");
}

/* math.sqrt over a range: its argument is never negative, so no domain test is left. */
static void test_sqrt_of_a_range_needs_no_test(void **state)
{
    (void)state;
    check_ir("def roots(n):\n"
             "    s = 0.0\n"
             "    for i in range(n):\n"
             "        s += math.sqrt(i)\n"
             "    return s\n",
             "roots", "(int64)", "[(0,), (1,), (10,), (-5,), (70000,)]", "kn_rt_raise", 0);
    /* a range that starts or ends below zero still fails where Python does */
    check_function("def down(a, b, s):\n"
                   "    t = 0.0\n"
                   "    for i in range(a, b, s):\n"
                   "        t += math.sqrt(i)\n"
                   "    return t\n",
                   "down", "(int64, int64, int64)",
                   "[(10, -1, -1), (10, -2, -1), (-3, 5, 1), (0, 9, 2), (9, -9, -3), (5, 0, 1)]");
}

/* A conditional expression whose other branch recurses, as fib is often written. */
static void test_recursion_in_a_conditional_expression(void **state)
{
    (void)state;
    check_function("def fib(n):\n    return n if n < 2 else fib(n - 1) + fib(n - 2)\n", "fib",
                   "(int64)", "[(n,) for n in range(-3, 22)]");
    check_function("def down(n):\n    return n <= 0 or down(n - 2)\n", "down", "(int64)",
                   "[(-1,), (0,), (7,), (10,)]");
}

/* None is no value: compiling for a None argument is a typing error, never a crash in LLVM. */
static void test_none_argument(void **state)
{
    (void)state;
    PyObject *func = define("def idn(x):\n    return x\n", "idn");
    kn_signature sig = {.nargs = 1, .args = {kn_type_void()}};
    assert_null(kn_compile(func, &sig, NULL));
    assert_true(PyErr_ExceptionMatches(kn_diag_typing_error_type()));
    PyErr_Clear();
    Py_DECREF(func);
}

static void test_errors(void **state)
{
    (void)state;
    check_function("def guard(x):\n"
                   "    assert x != 3\n"
                   "    assert x > 0, \"x must be positive\"\n"
                   "    if x > 100:\n"
                   "        raise ValueError(\"too big\")\n"
                   "    if x == 50:\n"
                   "        raise OverflowError\n"
                   "    return x\n",
                   "guard", "(int64)", "[(1,), (3,), (-1,), (101,), (50,)]");
    check_function("class Boom(Exception):\n    pass\n"
                   "def mine(x):\n"
                   "    if x:\n"
                   "        raise Boom(\"boom\")\n"
                   "    return x\n",
                   "mine", "(int64)", "[(0,), (1,)]");
    check_function("def shift(a, b):\n    return a << b\n", "shift", "(int64, int64)",
                   "[(1, -1), (1, 3)]");
    check_function(
        "def steps(n):\n    s = 0\n    for i in range(0, 10, n):\n        s += i\n    return s\n",
        "steps", "(int64)", "[(0,), (3,)]");
}

static void test_ir_and_assembly_are_kept(void **state)
{
    (void)state;
    PyObject *func = define("def f(a):\n    b = a * 3\n    return b + 1\n", "f");
    kn_specialization *spec = compile(func, "(int64)");
    assert_non_null(strstr(spec->ir_raw, "%b = alloca"));
    assert_null(strstr(spec->ir_optimized, "%b = alloca")); /* SROA made the local SSA */
    assert_non_null(strstr(spec->ir_optimized, "!DILocation(line: 3"));
    assert_non_null(spec->annotated);
    const char *text = kn_specialization_asm(spec);
    assert_non_null(text);
    assert_ptr_equal(text, kn_specialization_asm(spec));
    assert_non_null(strstr(text, ".loc"));
    assert_true(spec->times.parse > 0 && spec->times.infer > 0 && spec->times.lower > 0);
    assert_true(spec->times.optimize > 0 && spec->times.machine_code > 0);
    kn_specialization_free(spec);
    Py_DECREF(func);
}

/*
 * opts.resolve_call for the test: compiles a callee once, as the
 * dispatcher's cache would (inference asks again on each of its passes).
 */
static kn_specialization *callees[8];
static PyObject *callee_funcs[8];
static int ncallees;
static kn_resolved resolve(PyObject *callee, const kn_signature *sig, int final, kn_callee *out)
{
    (void) final;
    for (int i = 0; i < ncallees; i++)
        if (callee_funcs[i] == callee) {
            *out = (kn_callee){callees[i], callees[i]->sig.ret};
            return KN_RESOLVED;
        }
    kn_specialization *spec = kn_compile(callee, sig, NULL);
    if (!spec)
        return KN_RESOLVE_FAILED;
    callee_funcs[ncallees] = callee;
    callees[ncallees++] = spec;
    *out = (kn_callee){spec, spec->sig.ret};
    return KN_RESOLVED;
}

static void test_calls_between_functions(void **state)
{
    (void)state;
    PyObject *func = define("def hyp(a, b):\n"
                            "    return math.sqrt(a * a + b * b)\n"
                            "def outer(x, y):\n"
                            "    t = 0.0\n"
                            "    for i in range(3):\n"
                            "        t += hyp(x + i, y)\n"
                            "    return t\n",
                            "outer");
    kn_compile_options opts = {.boundscheck = 1, .resolve_call = resolve};
    kn_specialization *spec = compile_with(func, "(int64, float64)", &opts);
    assert_int_equal(ncallees, 1);
    check_all(spec, func, "[(3, 4.0), (-1, 0.5)]");
    kn_specialization_free(spec);
    while (ncallees)
        kn_specialization_free(callees[--ncallees]);
    Py_DECREF(func);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_add),
        cmocka_unit_test(test_argument_types),
        cmocka_unit_test(test_fib),
        cmocka_unit_test(test_prime_count),
        cmocka_unit_test(test_float_loop_sqrt),
        cmocka_unit_test(test_floor_division_and_modulo_signs),
        cmocka_unit_test(test_remainder_compared_with_zero),
        cmocka_unit_test(test_true_division),
        cmocka_unit_test(test_tuples),
        cmocka_unit_test(test_complex),
        cmocka_unit_test(test_interrupt_stops_an_endless_loop),
        cmocka_unit_test(test_stale_interrupt_is_ignored),
        cmocka_unit_test(test_sum_of_squares_vectorizes),
        cmocka_unit_test(test_while_loops_in_chunks),
        cmocka_unit_test(test_fastmath_vectorizes_float_sums),
        cmocka_unit_test(test_ranges),
        cmocka_unit_test(test_integer_operators),
        cmocka_unit_test(test_comparisons_and_logic),
        cmocka_unit_test(test_builtins),
        cmocka_unit_test(test_math),
        cmocka_unit_test(test_math_domain_edges),
        cmocka_unit_test(test_sqrt_of_a_range_needs_no_test),
        cmocka_unit_test(test_recursion_in_a_conditional_expression),
        cmocka_unit_test(test_none_argument),
        cmocka_unit_test(test_errors),
        cmocka_unit_test(test_ir_and_assembly_are_kept),
        cmocka_unit_test(test_calls_between_functions),
    };
    embed_extra = helper;
    return cmocka_run_group_tests(tests, embed_setup, embed_teardown);
}

/* Unit tests: the front end and type inference of small functions, in an embedded Python. */
#include <Python.h>

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "compiler/diag.h"
#include "compiler/front.h"
#include "compiler/infer.h"
#include "embed.h"

/* A function built by exec, whose source is nowhere. */
static const char helper[] = "def define_unregistered(src, name):\n"
                             "    g = {}\n"
                             "    exec(src, g)\n"
                             "    return g[name]\n";

/* Every function of these tests is defined in the cell file cell.py. */
static PyObject *define(const char *src, const char *name)
{
    PyObject *f = embed_define(src, "cell.py", name);
    assert_non_null(f);
    return f;
}

/* One compilation: the function, its arena, and the error text when it failed. */
typedef struct run {
    PyObject *func;
    kn_arena *arena;
    kn_func *f;
    char error[2048];
} run;

/*
 * env->resolve_call for the tests: a global named `helper_*` compiles to
 * float64; one named `late_*` calls back into a function with no return
 * type yet (mutual recursion).
 */
static int handle;
static kn_resolved resolve(void *ctx, PyObject *callee, const kn_signature *sig, int final,
                           void **out, const kn_type **ret)
{
    (void)ctx;
    (void)sig;
    (void) final;
    PyObject *name = PyObject_GetAttrString(callee, "__name__");
    const char *text = name ? PyUnicode_AsUTF8(name) : "";
    kn_resolved r = !strncmp(text, "helper_", 7) ? KN_RESOLVED
                    : !strncmp(text, "late_", 5) ? KN_NOT_YET
                                                 : KN_NOT_KILN;
    Py_XDECREF(name);
    PyErr_Clear();
    *out = &handle;
    *ret = r == KN_RESOLVED ? kn_type_float(64) : NULL;
    return r;
}

static void take_error(run *r)
{
    PyObject *type, *value, *tb;
    PyErr_Fetch(&type, &value, &tb);
    assert_ptr_equal(type, kn_diag_typing_error_type());
    PyObject *text = PyObject_Str(value);
    snprintf(r->error, sizeof r->error, "%s", PyUnicode_AsUTF8(text));
    Py_XDECREF(text);
    Py_XDECREF(type);
    Py_XDECREF(value);
    Py_XDECREF(tb);
}

/* Converts and infers func for sig; r->f NULL and r->error set on failure. */
static int compile_sig(run *r, PyObject *func, const kn_signature *sig)
{
    r->func = func;
    r->arena = kn_arena_new();
    r->error[0] = 0;
    r->f = kn_front_convert(func, r->arena);
    kn_infer_env env = {.ctx = func,
                        .lookup_global = kn_infer_lookup_global,
                        .resolve_call = resolve,
                        .self = func,
                        .self_handle = r};
    if (r->f && kn_infer(r->f, sig, &env) == 0)
        return 0;
    take_error(r);
    r->f = NULL;
    return -1;
}

/* The same for a signature in Numba's syntax. */
static int compile(run *r, PyObject *func, const char *signature)
{
    kn_signature sig;
    char err[128];
    assert_int_equal(kn_signature_parse(signature, &sig, err, sizeof err), 0);
    return compile_sig(r, func, &sig);
}

static void done(run *r)
{
    kn_arena_free(r->arena);
    Py_XDECREF(r->func);
}

/* The inferred types of a function, as "ret(args) x:t y:t" for one-line checks. */
static void assert_types(const char *src, const char *name, const char *sig, const char *want)
{
    run r;
    if (compile(&r, define(src, name), sig) < 0)
        fail_msg("%s did not compile:\n%s", name, r.error);
    char got[512];
    int n = snprintf(got, sizeof got, "%s", r.f->ret->name);
    for (int i = 0; i < r.f->nvars; i++)
        n += snprintf(got + n, sizeof got - n, " %s:%s", r.f->vars[i]->name,
                      r.f->vars[i]->type ? r.f->vars[i]->type->name : "?");
    assert_string_equal(got, want);
    done(&r);
}

static void assert_error(const char *src, const char *name, const char *sig, const char *want)
{
    run r;
    assert_int_equal(compile(&r, define(src, name), sig), -1);
    if (!strstr(r.error, want))
        fail_msg("expected\n%s\nin\n%s", want, r.error);
    done(&r);
}

static void test_arithmetic(void **state)
{
    (void)state;
    const char *add = "def add(a, b):\n    return a + b\n";
    assert_types(add, "add", "(int64, int64)", "int64 a:int64 b:int64");
    assert_types(add, "add", "(int64, float64)", "float64 a:int64 b:float64");
    assert_types(add, "add", "(float32, float32)", "float32 a:float32 b:float32");
    assert_types(add, "add", "(int32, int8)", "int64 a:int32 b:int8");
    assert_types(add, "add", "(bool, bool)", "int64 a:bool b:bool");
    assert_types(add, "add", "(uint64, uint64)", "uint64 a:uint64 b:uint64");
    assert_types(add, "add", "(int64, complex128)", "complex128 a:int64 b:complex128");
    const char *ops =
        "def ops(a, b):\n    return a / b, a // b, a % b, a ** b, a ** -2, -a, a & b\n";
    assert_types(ops, "ops", "(int64, int64)",
                 "Tuple(float64, int64, int64, int64, float64, int64, int64) a:int64 b:int64");
    assert_types("def cmp(a, b, c):\n    return a < b <= c, not a, a or c\n", "cmp",
                 "(int64, float64, float64)",
                 "Tuple(bool, bool, float64) a:int64 b:float64 c:float64");
    assert_types("def iff(a):\n    return a if a > 0 else 0.5\n", "iff", "(int64)",
                 "float64 a:int64");
}

static void test_loops_widen_variables(void **state)
{
    (void)state;
    assert_types("def acc(n):\n"
                 "    x = 0\n"
                 "    for i in range(n):\n"
                 "        x = x + 0.5\n"
                 "    return x\n",
                 "acc", "(int64)", "float64 n:int64 x:float64 i:int64");
    assert_types("def aug(n):\n"
                 "    x = 0\n"
                 "    i = 0\n"
                 "    while i < n:\n"
                 "        x += i / 2\n"
                 "        i += 1\n"
                 "    else:\n"
                 "        x -= 1\n"
                 "    return x\n",
                 "aug", "(int64)", "float64 n:int64 x:float64 i:int64");
    /* z is read before the line that assigns it: only a later pass knows its type */
    assert_types("def later(n):\n"
                 "    y = 0\n"
                 "    for i in range(1, n, 2):\n"
                 "        if i > 1:\n"
                 "            y = z * 2\n"
                 "        elif i == 0:\n"
                 "            continue\n"
                 "        else:\n"
                 "            pass\n"
                 "        z = i + 0.5\n"
                 "        if z > 100:\n"
                 "            break\n"
                 "    return y\n",
                 "later", "(int64)", "float64 n:int64 y:float64 i:int64 z:float64");
}

static void test_tuples(void **state)
{
    (void)state;
    assert_types("def tup(a, b):\n"
                 "    t = (a, b)\n"
                 "    x, y = t\n"
                 "    p = q = x\n"
                 "    return t[1], len(t), t[-2], q\n",
                 "tup", "(int64, float64)",
                 "Tuple(float64, int64, int64, int64) a:int64 b:float64 t:Tuple(int64, float64) "
                 "x:int64 y:float64 p:int64 q:int64");
    assert_types("def arg(t):\n    a, b = t\n    return a * b\n", "arg", "(UniTuple(int32, 2))",
                 "int64 t:UniTuple(int32 x 2) a:int32 b:int32");
}

static void test_recursion(void **state)
{
    (void)state;
    run r;
    PyObject *fib = define("def fib(n):\n"
                           "    if n < 2:\n"
                           "        return n\n"
                           "    return fib(n - 1) + fib(n - 2)\n",
                           "fib");
    assert_int_equal(compile(&r, fib, "(int64)"), 0);
    assert_ptr_equal(r.f->ret, kn_type_int(64));
    kn_expr *sum = r.f->body.stmts[1]->value;
    assert_int_equal(sum->operands[0]->ival, KN_BI_SELF);
    assert_ptr_equal(sum->operands[0]->payload, &r);
    assert_ptr_equal(sum->operands[0]->type, kn_type_int(64));
    done(&r);
    assert_error("def loop(n):\n    return loop(n)\n", "loop", "(int64)",
                 "cannot infer the return type of loop");
}

/* The branch that does not recurse types a conditional expression, and/or, first. */
static void test_recursion_in_expressions(void **state)
{
    (void)state;
    assert_types("def fib(n):\n    return n if n < 2 else fib(n - 1) + fib(n - 2)\n", "fib",
                 "(int64)", "int64 n:int64");
    assert_types("def half(x):\n    return 0.5 * x if x < 1 else half(x - 1)\n", "half", "(int64)",
                 "float64 x:int64");
    assert_types("def down(n):\n    return n <= 0 or down(n - 1)\n", "down", "(int64)",
                 "bool n:int64");
    assert_types("def up(n):\n    return n > 9 and up(n + 1)\n", "up", "(int64)", "bool n:int64");
    assert_error("def ever(n):\n    return ever(n) if n else ever(n + 1)\n", "ever", "(int64)",
                 "cannot infer the return type of ever");
}

/* A call back into a function whose return type is not known yet types nothing, then fails. */
static void test_mutual_recursion_not_yet(void **state)
{
    (void)state;
    assert_error("def late_g(n):\n    return n\n"
                 "def f(n):\n    return 1 if n == 0 else late_g(n - 1)\n",
                 "f", "(int64)",
                 "cell.py:4:29: error: cannot infer the return type of late_g: it calls back into "
                 "a function whose return type is not known yet");
}

static void test_globals_freeze(void **state)
{
    (void)state;
    run r;
    PyObject *f = define("import math\n"
                         "N = 10\nSCALE = 2.5\nPAIR = (1, 2.0)\nZ = 1+2j\n"
                         "def k(x):\n"
                         "    return x * SCALE + N + PAIR[0] + math.pi, Z\n",
                         "k");
    assert_int_equal(compile(&r, f, "(int64)"), 0);
    assert_string_equal(r.f->ret->name, "Tuple(float64, complex128)");
    kn_expr *sum = r.f->body.stmts[0]->value->operands[0];
    kn_expr *pi = sum->operands[1];
    assert_int_equal(pi->kind, KN_E_CONST);
    assert_true(pi->fval > 3.14159 && pi->fval < 3.1416);
    kn_expr *pair0 = sum->operands[0]->operands[1];
    assert_int_equal(pair0->value->kind, KN_E_CONST);
    assert_int_equal(pair0->value->noperands, 2);
    assert_int_equal(pair0->ival, 0);
    kn_expr *n = sum->operands[0]->operands[0]->operands[1];
    assert_int_equal(n->kind, KN_E_CONST);
    assert_int_equal(n->ival, 10);
    kn_expr *z = r.f->body.stmts[0]->value->operands[1];
    assert_int_equal(z->kind, KN_E_CONST);
    assert_true(z->operands[0]->fval == 1.0 && z->operands[1]->fval == 2.0);
    done(&r);
    f = define("import numpy as np\n"
               "H = np.float32(0.5)\nU = np.uint8(200)\nB = np.bool_(True)\nI = np.int16(-3)\n"
               "def npg(x):\n"
               "    return H, U, B, I, np.pi\n",
               "npg");
    assert_int_equal(compile(&r, f, "(int64)"), 0);
    assert_string_equal(r.f->ret->name, "Tuple(float32, uint8, bool, int16, float64)");
    kn_expr **items = r.f->body.stmts[0]->value->operands;
    assert_true(items[0]->fval == 0.5);
    assert_int_equal(items[1]->ival, 200);
    assert_int_equal(items[2]->ival, 1);
    assert_int_equal(items[3]->ival, -3);
    done(&r);
}

/* A closure's free variables are frozen as globals are. */
static void test_closures_freeze(void **state)
{
    (void)state;
    assert_types("def outer():\n"
                 "    k = 2.5\n"
                 "    def inner(x):\n"
                 "        return x * k\n"
                 "    return inner\n"
                 "inner = outer()\n",
                 "inner", "(int64)", "float64 x:int64");
}

static void test_builtins_and_math(void **state)
{
    (void)state;
    const char *src = "import math\n"
                      "def m(x, y):\n"
                      "    a = math.sqrt(x)\n"
                      "    b = math.floor(y)\n"
                      "    c = abs(-3), min(x, y, 2), max(1, 2), round(y), round(y, 2)\n"
                      "    d = int(y), float(x), bool(x), complex(x, y), pow(x, 2)\n"
                      "    e = math.isnan(y), math.atan2(y, y), divmod(x, 3), math.hypot(x, 1)\n"
                      "    return a\n";
    assert_types(src, "m", "(int64, float32)",
                 "float64 x:int64 y:float32 a:float64 b:int64 "
                 "c:Tuple(int64, float64, int64, int64, float32) "
                 "d:Tuple(int64, float64, bool, complex128, int64) "
                 "e:Tuple(bool, float32, UniTuple(int64 x 2), float64)");
    assert_types("def cx(z):\n    return z.real + z.imag, z.conjugate()\n", "cx", "(complex128)",
                 "Tuple(float64, complex128) z:complex128");
}

static void test_raise_and_assert(void **state)
{
    (void)state;
    run r;
    PyObject *f = define("def chk(x):\n"
                         "    assert x > 0, \"positive\"\n"
                         "    if x > 10:\n"
                         "        raise ValueError(\"too big\")\n"
                         "    if x > 5:\n"
                         "        raise ZeroDivisionError\n"
                         "    return x\n",
                         "chk");
    assert_int_equal(compile(&r, f, "(int64)"), 0);
    kn_expr *exc = r.f->body.stmts[1]->body.stmts[0]->value;
    assert_int_equal(exc->ival, KN_BI_EXCEPTION);
    assert_ptr_equal(exc->payload, PyExc_ValueError);
    assert_string_equal(exc->operands[0]->sval, "too big");
    assert_ptr_equal(r.f->body.stmts[2]->body.stmts[0]->value->payload, PyExc_ZeroDivisionError);
    done(&r);
    assert_error("def r2(x):\n    raise ValueError(x)\n", "r2", "(int64)",
                 "takes at most one argument, a constant string");
}

static void test_calls_to_other_functions(void **state)
{
    (void)state;
    run r;
    PyObject *f = define("def helper_g(x):\n    return x\n"
                         "def caller(x):\n    return helper_g(x) + 1\n",
                         "caller");
    assert_int_equal(compile(&r, f, "(int64)"), 0);
    kn_expr *call = r.f->body.stmts[0]->value->operands[0];
    assert_int_equal(call->ival, KN_BI_JIT);
    assert_ptr_equal(call->payload, &handle);
    assert_ptr_equal(r.f->ret, kn_type_float(64));
    done(&r);
    assert_error("def p(x):\n    print(x)\n", "p", "(int64)",
                 "cannot call function 'print' in nopython mode");
    assert_error("def plain(x):\n    return x\ndef q(x):\n    return plain(x)\n", "q", "(int64)",
                 "cannot call function 'plain' in nopython mode\n"
                 " 4 |     return plain(x)\n"
                 "   |            ^~~~~~~~\n"
                 "note: decorate plain with @kiln.jit to call it from compiled code");
}

static void test_returns(void **state)
{
    (void)state;
    assert_types("def v(x):\n    y = x\n", "v", "(int64)", "none x:int64 y:int64");
    assert_types("def v2(x):\n    if x:\n        return\n    x = 1\n", "v2", "(int64)",
                 "none x:int64");
    assert_types("def w(n):\n"
                 "    while True:\n"
                 "        if n > 10:\n"
                 "            return n\n"
                 "        n += 1\n",
                 "w", "(int64)", "int64 n:int64");
    assert_types("def s(x):\n    return x\n", "s", "float64(int64)", "float64 x:int64");
    assert_types("def r(x):\n    if x > 0:\n        return 1\n    return 2.5\n", "r", "(int64)",
                 "float64 x:int64");
    assert_error("def m(x):\n    if x > 0:\n        return 1\n", "m", "(int64)",
                 "m can run past its end, returning None, but returns int64 elsewhere");
    assert_error("def n(x):\n    if x > 0:\n        return\n    return 1\n", "n", "(int64)",
                 "n returns both None and int64");
    assert_error("def c(x):\n    return x\n", "c", "float64(complex128)",
                 "c returns complex128, which does not convert to float64");
    assert_error("def a(x):\n    return x\n", "a", "(int64, int64)",
                 "a takes 1 argument but the signature has 2");
}

static void test_typing_error_message(void **state)
{
    (void)state;
    run r;
    assert_int_equal(compile(&r, define("def bad(x):\n    return x + \"a\"\n", "bad"), "(int64)"),
                     -1);
    assert_string_equal(r.error,
                        "cell.py:2:12: error: cannot add int64 and str\n"
                        " 2 |     return x + \"a\"\n"
                        "   |            ^~~~~~~\n"
                        "note: the operator is '+'; the left operand is int64, the right str");
    done(&r);
}

static void test_typing_errors(void **state)
{
    (void)state;
    assert_error("def u(x):\n    return foo + x\n", "u", "(int64)",
                 "cell.py:2:12: error: unknown name 'foo'");
    assert_error("def t(x):\n    x = (1, 2)\n", "t", "(int64)",
                 "cell.py:2:5: error: cannot unify int64 and UniTuple(int64 x 2) for variable 'x'\n"
                 " 2 |     x = (1, 2)\n"
                 "   |     ^\n"
                 "note: 'x' is argument 0, int64");
    assert_error("import math\ndef mf(x):\n    return math.factorial(x)\n", "mf", "(int64)",
                 "cell.py:3:12: error: math.factorial is not supported in nopython mode");
    assert_error("import math\ndef mg(x):\n    return math.foo(x)\n", "mg", "(int64)",
                 "module 'math' has no attribute 'foo'");
    assert_error("def ti(t, i):\n    return t[i]\n", "ti", "(UniTuple(int64, 2), int64)",
                 "a tuple index must be a constant integer");
    assert_error("def to(t):\n    return t[2]\n", "to", "(UniTuple(int64, 2))",
                 "tuple index 2 is out of range for UniTuple(int64 x 2)");
    assert_error("def it(x):\n    for i in (1, 2):\n        pass\n", "it", "(int64)",
                 "a for loop can iterate over range(), arrays, and enumerate() or zip() of arrays, not UniTuple(int64 x 2)");
    assert_error("def rf(x):\n    for i in range(x):\n        pass\n", "rf", "(float64)",
                 "range() needs integers, not float64");
    assert_error("def cm(z):\n    return z < 1\n", "cm", "(complex128)",
                 "cannot compare complex128 and int64");
    assert_error("def fm(x):\n    return x & 1\n", "fm", "(float64)",
                 "cannot bitwise-and float64 and int64");
    assert_error("def ar(a):\n    return a[0.5]\n", "ar", "(int64[:])",
                 "arrays are indexed by integers and slices, not float64");
    assert_error("def an(a):\n    return a[1, 2]\n", "an", "(int64[:])",
                 "too many indices for array: array is 1-dimensional, but 2 were indexed");
    assert_error("def aa(a):\n    return a.foo\n", "aa", "(float64[:, :])",
                 "array(float64, 2d, A) has no attribute 'foo'");
    assert_error("def ab(a, b):\n    a[:] = b\n", "ab", "(float64[:], float64[:, :])",
                 "cannot store array(float64, 2d, A) into array(float64, 1d, A)");
    assert_error("def gl(x):\n    return open\n", "gl", "(int64)",
                 "function 'open' cannot be used as a value");
    assert_error("import sys\nP = sys.path\ndef gp(x):\n    return P\n", "gp", "(int64)",
                 "global 'P' is a list object: only numbers and tuples of numbers can be frozen");
    assert_error("def sq(x):\n    return abs\n", "sq", "(int64)",
                 "function 'abs' cannot be used as a value in nopython mode");
}

static void test_unsupported_constructs(void **state)
{
    (void)state;
    run r;
    PyObject *f = define("def lc(n):\n"
                         "    xs = [i for i in range(n)]\n"
                         "    with open('x') as fh:\n"
                         "        pass\n"
                         "    return lambda: n\n",
                         "lc");
    assert_int_equal(compile(&r, f, "(int64)"), -1);
    /* the comprehension and the with statement are object mode's: see below */
    assert_string_equal(r.error, "cell.py:5:12: error: unsupported construct: lambda\n"
                                 " 5 |     return lambda: n\n"
                                 "   |            ^~~~~~~~~");
    done(&r);
    assert_error("def va(*args):\n    pass\n", "va", "()",
                 "unsupported construct: *args parameter");
    assert_error("def kw(a, *, b):\n    pass\n", "kw", "(int64)",
                 "unsupported construct: keyword-only parameter");
    assert_error("def fs(a):\n    return f'{a}'\n", "fs", "(int64)",
                 "cell.py:2:12: error: f-string is not supported in nopython mode");
    assert_error("def lc(n):\n    xs = [i for i in range(n)]\n", "lc", "(int64)",
                 "cell.py:2:10: error: list comprehension is not supported in nopython mode\n"
                 " 2 |     xs = [i for i in range(n)]\n"
                 "   |          ^~~~~~~~~~~~~~~~~~~~~");
    assert_error("def ws(n):\n    with open('x') as fh:\n        pass\n", "ws", "(int64)",
                 "cell.py:2:5: error: with statement is not supported in nopython mode");
}

/*
 * Defaults are the callers': the function takes every parameter. A call
 * to a kiln function binds keywords by name and freezes the defaults it
 * leaves out into constants, as Numba does; a bad call is Python's
 * TypeError, as a typing error.
 */
static void test_defaults_and_keywords(void **state)
{
    (void)state;
    assert_types("def df(a, b=1):\n    return a + b\n", "df", "(int64, float64)",
                 "float64 a:int64 b:float64");
    run r;
    PyObject *f = define("T = (1, 2.5)\n"
                         "def helper_k(x, y=2, z=0.5, t=T):\n    return x\n"
                         "def kc(a):\n    return helper_k(a, z=1.5) + helper_k(t=(1, 1), x=a)\n",
                         "kc");
    assert_int_equal(compile(&r, f, "(int64)"), 0);
    kn_expr *call = r.f->body.stmts[0]->value->operands[0];
    assert_int_equal(call->noperands, 4);
    assert_int_equal(call->nkw, 0);
    assert_ptr_equal(call->operands[0]->var, r.f->vars[0]);
    assert_int_equal(call->operands[1]->kind, KN_E_CONST);
    assert_int_equal(call->operands[1]->ival, 2);
    assert_true(call->operands[2]->kind == KN_E_FLOAT && call->operands[2]->fval == 1.5);
    assert_string_equal(call->operands[3]->type->name, "Tuple(int64, float64)");
    kn_expr *other = r.f->body.stmts[0]->value->operands[1];
    assert_int_equal(other->operands[3]->kind, KN_E_TUPLE);
    assert_true(other->operands[2]->kind == KN_E_CONST && other->operands[2]->fval == 0.5);
    done(&r);
    assert_types("def acc(n, total=0):\n    return total if n == 0 else acc(n - 1, total + n)\n",
                 "acc", "(int64, int64)", "int64 n:int64 total:int64");
    const char *helper = "def helper_h(x, y=2):\n    return x\n";
    char src[256];
    snprintf(src, sizeof src, "%sdef kw(a):\n    return helper_h(a, w=1)\n", helper);
    assert_error(src, "kw", "(int64)",
                 "cell.py:4:12: error: helper_h() got an unexpected keyword argument 'w'");
    snprintf(src, sizeof src, "%sdef many(a):\n    return helper_h(a, 1, 2)\n", helper);
    assert_error(src, "many", "(int64)",
                 "helper_h() takes 2 positional arguments but 3 were given");
    snprintf(src, sizeof src, "%sdef few(a):\n    return helper_h(y=a)\n", helper);
    assert_error(src, "few", "(int64)", "helper_h() missing required argument: 'x'");
    snprintf(src, sizeof src, "%sdef twice(a):\n    return helper_h(a, x=a)\n", helper);
    assert_error(src, "twice", "(int64)", "helper_h() got multiple values for argument 'x'");
    assert_error("def helper_n(x, y=None):\n    return x\ndef nd(a):\n    return helper_n(a)\n",
                 "nd", "(int64)",
                 "the default value of helper_n's parameter 'y' is None: only numbers and tuples "
                 "of numbers can be frozen");
}

/* None is no value nopython mode has: an argument of that type is an error where it is named. */
static void test_none_argument(void **state)
{
    (void)state;
    run r;
    kn_signature sig = {.nargs = 2, .args = {kn_type_int(64), kn_type_void()}};
    PyObject *f = define("def nn(a,  b):\n    return a\n", "nn");
    assert_int_equal(compile_sig(&r, f, &sig), -1);
    assert_string_equal(r.error, "cell.py:1:12: error: argument 'b' is None: nopython mode takes "
                                 "numbers, tuples and arrays\n"
                                 " 1 | def nn(a,  b):\n"
                                 "   |            ^");
    done(&r);
}

/* The file changed since the function was defined: the source read now is what compiles. */
static void test_stale_source(void **state)
{
    (void)state;
    PyObject *f = define("def bo(a):\n    pass\n", "bo");
    PyObject *r =
        PyObject_CallFunction(embed_helper("register"), "ss", "def bo(a):\n    break\n", "cell.py");
    Py_XDECREF(r);
    run run;
    assert_int_equal(compile(&run, f, "(int64)"), -1);
    assert_string_equal(run.error, "cell.py:2:5: error: 'break' outside loop\n"
                                   " 2 |     break\n"
                                   "   |     ^~~~~");
    done(&run);
}

static void test_source_not_available(void **state)
{
    (void)state;
    PyObject *fn = embed_helper("define_unregistered");
    PyObject *f = PyObject_CallFunction(fn, "ss", "def nosrc(x):\n    return x\n", "nosrc");
    run r;
    assert_int_equal(compile(&r, f, "(int64)"), -1);
    assert_string_equal(r.error, "cannot compile nosrc: its source is not available (functions "
                                 "typed at a plain python prompt or built with exec have no "
                                 "source file)");
    done(&r);
}

/* A method's def is indented and decorated: locations still count in the file. */
static void test_locations_in_the_file(void **state)
{
    (void)state;
    run r;
    PyObject *cls = define("def ident(f):\n"
                           "    return f\n"
                           "class C:\n"
                           "    @staticmethod\n"
                           "    @ident\n"
                           "    def meth(x):\n"
                           "        y = x\n"
                           "        return y + \"s\"\n",
                           "C");
    PyObject *meth = PyObject_GetAttrString(cls, "meth");
    Py_DECREF(cls);
    assert_int_equal(compile(&r, meth, "(int64)"), -1);
    if (!strstr(r.error, "cell.py:8:16: error: cannot add int64 and str\n"
                         " 8 |         return y + \"s\"\n"
                         "   |                ^~~~~~~\n"))
        fail_msg("%s", r.error);
    done(&r);
}

/* An error in a function of a Jupyter cell, found and quoted at its line. */
static void assert_cell_error(const char *src, const char *cell, const char *name, const char *sig,
                              const char *want)
{
    run r;
    PyObject *f = embed_define(src, cell, name);
    assert_non_null(f);
    assert_int_equal(compile(&r, f, sig), -1);
    if (!strstr(r.error, want))
        fail_msg("expected\n%s\nin\n%s", want, r.error);
    done(&r);
}

/*
 * Cells as the session registers them, <cell-N> in linecache: the first
 * line of the body, a nested block, a decorator call over several lines,
 * the def itself, and lines that str.splitlines splits where the tokenizer
 * does not (a form feed in a comment), which linecache then holds as two.
 */
static void test_locations_in_cells(void **state)
{
    (void)state;
    assert_cell_error("def first(x):\n    return x + 'a'\n", "<cell-1>", "first", "(int64)",
                      "<cell-1>:2:12: error: cannot add int64 and str\n"
                      " 2 |     return x + 'a'\n"
                      "   |            ^~~~~~~\n");
    assert_cell_error("x = 1\n"
                      "def deco(*a, **k):\n"
                      "    return lambda f: f\n"
                      "@deco(\n"
                      "    1,\n"
                      "    k=2,\n"
                      ")\n"
                      "def nested(x):\n"
                      "    if x:\n"
                      "        while x > 0:\n"
                      "            x = x - 'b'\n"
                      "    return x\n",
                      "<cell-2>", "nested", "(int64)",
                      "<cell-2>:11:17: error: cannot subtract int64 and str\n"
                      " 11 |             x = x - 'b'\n"
                      "    |                 ^~~~~~~\n");
    assert_cell_error("class K:\n"
                      "    @staticmethod\n"
                      "    def arity(x):\n"
                      "        return x\n"
                      "arity = K.arity\n",
                      "<cell-3>", "arity", "(int64, int64)",
                      "<cell-3>:3:5: error: arity takes 1 argument but the signature has 2\n"
                      " 3 |     def arity(x):\n"
                      "   |     ^~~~~~~~~~~~~");
    assert_cell_error("def feed(x):\n    y = x  # a\x0c"
                      "b\n    return y + 'a'\n",
                      "<cell-4>", "feed", "(int64)",
                      "<cell-4>:3:12: error: cannot add int64 and str\n"
                      " 3 |     return y + 'a'\n"
                      "   |            ^~~~~~~\n");
    assert_cell_error("x = 1  # a\x0c"
                      "b\ndef after(x):\n    return x + 'a'\n",
                      "<cell-6>", "after", "(int64)",
                      "<cell-6>:3:12: error: cannot add int64 and str\n"
                      " 3 |     return x + 'a'\n"
                      "   |            ^~~~~~~\n");
}

/* Other code is where the function was (the cell changed since): said, not compiled. */
static void test_source_of_another_function(void **state)
{
    (void)state;
    PyObject *f = embed_define("def was(x):\n    return x\n", "<cell-5>", "was");
    PyObject *r = PyObject_CallFunction(embed_helper("register"), "ss",
                                        "def now(x):\n    return x + 'a'\n", "<cell-5>");
    Py_XDECREF(r);
    run run;
    assert_int_equal(compile(&run, f, "(int64)"), -1);
    assert_string_equal(run.error, "cannot compile was: its source (<cell-5>, line 1) defines now "
                                   "instead; was the file changed since?");
    done(&run);
}

static void test_front_end_shape(void **state)
{
    (void)state;
    run r;
    PyObject *f = define("def shape(a, b):\n"
                         "    \"\"\"docstring\"\"\"\n"
                         "    c = -9223372036854775808\n"
                         "    return a if b else c\n",
                         "shape");
    r.arena = kn_arena_new();
    r.func = f;
    kn_func *fn = kn_front_convert(f, r.arena);
    assert_non_null(fn);
    assert_string_equal(fn->name, "shape");
    assert_string_equal(fn->filename, "cell.py");
    assert_int_equal(fn->first_line, 1);
    assert_int_equal(fn->nsource_lines, 4);
    assert_int_equal(fn->nargs, 2);
    assert_int_equal(fn->nvars, 3);
    assert_int_equal(fn->body.n, 2); /* the docstring is dropped */
    kn_expr *lit = fn->body.stmts[0]->value;
    assert_int_equal(lit->kind, KN_E_INT);
    assert_true(lit->ival == INT64_MIN);
    kn_expr *ifexp = fn->body.stmts[1]->value;
    assert_int_equal(ifexp->kind, KN_E_IFEXP);
    assert_ptr_equal(ifexp->operands[1]->var, fn->vars[0]);
    assert_int_equal(ifexp->loc.line, 4);
    assert_int_equal(ifexp->loc.col, 11);
    assert_int_equal(ifexp->loc.end_col, 24);
    done(&r);
}

static void test_annotate(void **state)
{
    (void)state;
    run r;
    PyObject *f = define("def ann(n):\n"
                         "    x = 0\n"
                         "    for i in range(n):\n"
                         "        x += 0.5\n"
                         "    return x\n",
                         "ann");
    assert_int_equal(compile(&r, f, "(int64)"), 0);
    char *text = kn_infer_annotate(r.f);
    assert_string_equal(text, "# File: cell.py\n"
                              "# --- ann, line 1 ---\n"
                              "def ann(n):\n"
                              "    #   n = arg(0, name=n)  :: int64\n"
                              "    #   -> float64\n"
                              "    x = 0\n"
                              "    #   x = 0  :: float64\n"
                              "    for i in range(n):\n"
                              "    #   i  :: int64\n"
                              "        x += 0.5\n"
                              "        #   x += 0.5  :: float64\n"
                              "    return x\n"
                              "    #   return  :: float64\n");
    free(text);
    done(&r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_arithmetic),
        cmocka_unit_test(test_loops_widen_variables),
        cmocka_unit_test(test_tuples),
        cmocka_unit_test(test_recursion),
        cmocka_unit_test(test_recursion_in_expressions),
        cmocka_unit_test(test_mutual_recursion_not_yet),
        cmocka_unit_test(test_defaults_and_keywords),
        cmocka_unit_test(test_none_argument),
        cmocka_unit_test(test_globals_freeze),
        cmocka_unit_test(test_closures_freeze),
        cmocka_unit_test(test_builtins_and_math),
        cmocka_unit_test(test_raise_and_assert),
        cmocka_unit_test(test_calls_to_other_functions),
        cmocka_unit_test(test_returns),
        cmocka_unit_test(test_typing_error_message),
        cmocka_unit_test(test_typing_errors),
        cmocka_unit_test(test_unsupported_constructs),
        cmocka_unit_test(test_stale_source),
        cmocka_unit_test(test_source_not_available),
        cmocka_unit_test(test_locations_in_the_file),
        cmocka_unit_test(test_locations_in_cells),
        cmocka_unit_test(test_source_of_another_function),
        cmocka_unit_test(test_front_end_shape),
        cmocka_unit_test(test_annotate),
    };
    embed_extra = helper;
    return cmocka_run_group_tests(tests, embed_setup, embed_teardown);
}

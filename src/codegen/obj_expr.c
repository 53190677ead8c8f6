/* Object mode's expressions: literals, names, attributes, operators, comparisons, items. */
#include <string.h>

#include "codegen/object.h"

static const kn_ov failed = {NULL, -1};

// 42 | 2.5 | 3j | "text" | b"bytes" | 10**30: an object made now, kept by the code
static LLVMValueRef literal_object(kn_obj *o, const kn_expr *e)
{
    switch (e->kind) {
    case KN_E_INT:
        return kn_obj_const(o, e->sval ? PyLong_FromString(e->sval, NULL, 10)
                                       : PyLong_FromLongLong(e->ival));
    case KN_E_FLOAT:
        return kn_obj_const(o, PyFloat_FromDouble(e->fval));
    case KN_E_COMPLEX:
        return kn_obj_const(o, PyComplex_FromDoubles(0.0, e->fval));
    case KN_E_BYTES:
        return kn_obj_const(o, PyBytes_FromStringAndSize(e->sval, (Py_ssize_t)e->ival));
    default: {
        /* interned, as CPython's constants of one function are shared */
        PyObject *s = PyUnicode_DecodeUTF8(e->sval, (Py_ssize_t)e->ival, "surrogatepass");
        if (s)
            PyUnicode_InternInPlace(&s);
        return kn_obj_const(o, s);
    }
    }
}

// literals, True, False, None, ...: borrowed
static kn_ov literal(kn_obj *o, const kn_expr *e)
{
    switch (e->kind) {
    case KN_E_BOOL:
        return kn_obj_borrowed(e->ival ? kn_obj_true(o) : kn_obj_false(o));
    case KN_E_NONE:
        return kn_obj_borrowed(kn_obj_none(o));
    case KN_E_ELLIPSIS:
        return kn_obj_borrowed(kn_obj_symbol(o, "_Py_EllipsisObject"));
    default: {
        LLVMValueRef v = literal_object(o, e);
        return v ? kn_obj_borrowed(v) : failed;
    }
    }
}

/* ---- names ---- */

kn_ov kn_obj_load_local(kn_obj *o, const kn_var *var)
{
    LLVMValueRef v = LLVMBuildLoad2(o->cg.b, o->ptr, o->locals[var->index], var->name);
    LLVMBasicBlockRef unbound = kn_cg_block(&o->cg, "unbound"), ok = kn_cg_block(&o->cg, "bound");
    kn_cg_unlikely(&o->cg, LLVMBuildCondBr(o->cg.b, LLVMBuildIsNull(o->cg.b, v, ""), unbound, ok));
    kn_cg_enter(&o->cg, unbound);
    char msg[300];
    snprintf(msg, sizeof msg,
             "cannot access local variable '%s' where it is not associated with a value",
             var->name);
    kn_obj_raise_string(o, "PyExc_UnboundLocalError", msg);
    kn_cg_enter(&o->cg, ok);
    return kn_obj_borrowed(v);
}

/* The closure cell of a free variable of the function; NULL when name is not one. */
static PyObject *cell_of(kn_obj *o, const char *name)
{
    PyObject *closure = PyFunction_GET_CLOSURE(o->func);
    PyObject *names =
        closure ? PyCode_GetFreevars((PyCodeObject *)PyFunction_GET_CODE(o->func)) : NULL;
    PyObject *cell = NULL;
    for (Py_ssize_t i = 0; names && i < PyTuple_GET_SIZE(names) && !cell; i++) {
        const char *free = PyUnicode_AsUTF8(PyTuple_GET_ITEM(names, i));
        if (free && !strcmp(free, name) && i < PyTuple_GET_SIZE(closure))
            cell = PyTuple_GET_ITEM(closure, i);
    }
    Py_XDECREF(names);
    PyErr_Clear();
    return cell;
}

// a free variable: the cell's contents now (the enclosing function may have changed them)
static kn_ov load_cell(kn_obj *o, PyObject *cell, const char *name)
{
    LLVMValueRef args[] = {kn_obj_const(o, Py_NewRef(cell)), kn_obj_str(o, name)};
    LLVMValueRef v = kn_obj_helper(o, "kn_obj_rt_cell", (void *)kn_obj_rt_cell, o->ptr, args, 2);
    kn_obj_check(o, v);
    return kn_obj_owned(o, v);
}

/*
 * A global looked up (LOAD_GLOBAL): the function's globals, then its
 * builtins. A new reference, or NULL with NameError.
 */
static LLVMValueRef lookup_global(kn_obj *o, LLVMValueRef globals, LLVMValueRef builtins,
                                  LLVMValueRef key)
{
    LLVMValueRef args[] = {globals, key};
    LLVMValueRef v = kn_obj_api(o, "PyDict_GetItemWithError", o->ptr, args, 2);
    LLVMBasicBlockRef found = kn_cg_block(&o->cg, "global"), other = kn_cg_block(&o->cg, "builtin");
    LLVMBasicBlockRef done = kn_cg_block(&o->cg, "looked.up");
    LLVMBuildCondBr(o->cg.b, LLVMBuildIsNull(o->cg.b, v, ""), other, found);
    kn_cg_enter(&o->cg, found);
    kn_cg_incref(&o->cg, v);
    LLVMBasicBlockRef from_found = LLVMGetInsertBlock(o->cg.b);
    LLVMBuildBr(o->cg.b, done);
    kn_cg_enter(&o->cg, other);
    LLVMValueRef bargs[] = {builtins, key};
    LLVMValueRef b =
        kn_obj_helper(o, "kn_obj_rt_builtin", (void *)kn_obj_rt_builtin, o->ptr, bargs, 2);
    LLVMBuildBr(o->cg.b, done);
    kn_cg_enter(&o->cg, done);
    LLVMValueRef values[] = {v, b};
    LLVMBasicBlockRef blocks[] = {from_found, other};
    return kn_cg_phi(&o->cg, o->ptr, values, blocks, 2);
}

/*
 * A global when the function's globals or builtins are not exact dicts
 * (LOAD_GLOBAL's slow path): globals[name], on KeyError the builtin. A
 * new reference.
 */
static kn_ov load_global_generic(kn_obj *o, LLVMValueRef globals, LLVMValueRef builtins,
                                 LLVMValueRef key)
{
    LLVMBuilderRef B = o->cg.b;
    LLVMValueRef args[] = {globals, key};
    LLVMValueRef v = kn_obj_api(o, "PyObject_GetItem", o->ptr, args, 2);
    LLVMBasicBlockRef from = LLVMGetInsertBlock(B), missing = kn_cg_block(&o->cg, "global.missing");
    LLVMBasicBlockRef builtin = kn_cg_block(&o->cg, "global.builtin");
    LLVMBasicBlockRef done = kn_cg_block(&o->cg, "global.loaded");
    LLVMBuildCondBr(B, LLVMBuildIsNull(B, v, ""), missing, done);
    kn_cg_enter(&o->cg, missing);
    LLVMValueRef keyerror = kn_obj_load_symbol(o, "PyExc_KeyError");
    LLVMValueRef matches = kn_obj_api(o, "PyErr_ExceptionMatches", o->i32, &keyerror, 1);
    LLVMBuildCondBr(B, LLVMBuildICmp(B, LLVMIntNE, matches, kn_obj_i32(o, 0), ""), builtin, done);
    kn_cg_enter(&o->cg, builtin);
    kn_obj_api(o, "PyErr_Clear", LLVMVoidTypeInContext(o->cg.ctx), NULL, 0);
    LLVMValueRef bargs[] = {builtins, key};
    LLVMValueRef b =
        kn_obj_helper(o, "kn_obj_rt_builtin", (void *)kn_obj_rt_builtin, o->ptr, bargs, 2);
    LLVMBuildBr(B, done);
    kn_cg_enter(&o->cg, done);
    LLVMValueRef values[] = {v, LLVMConstNull(o->ptr), b};
    LLVMBasicBlockRef blocks[] = {from, missing, builtin};
    LLVMValueRef r = kn_cg_phi(&o->cg, o->ptr, values, blocks, 3);
    kn_obj_check(o, r);
    return kn_obj_owned(o, r);
}

static LLVMValueRef version_of(kn_obj *o, LLVMValueRef dict)
{
    return LLVMBuildLoad2(o->cg.b, o->i64,
                          kn_obj_field(o, dict, offsetof(PyDictObject, ma_version_tag)), "version");
}

/*
 * A global read when the code runs, so rebinding it is seen: a new
 * reference, which the statement holds even if the global is rebound
 * meanwhile. Each read keeps what it found last with the version tags of
 * the two dicts then (CPython changes a dict's tag on every change, and
 * never reuses one): while neither dict changed, that is the value, as
 * CPython's LOAD_GLOBAL_BUILTIN caches it. The version tags and the
 * lookup are an exact dict's; other mappings take the generic path.
 */
static kn_ov load_global(kn_obj *o, const char *name)
{
    PyFunctionObject *func = (PyFunctionObject *)o->func;
    LLVMBuilderRef B = o->cg.b;
    LLVMValueRef globals = kn_obj_const(o, Py_NewRef(func->func_globals));
    LLVMValueRef builtins = kn_obj_const(o, Py_NewRef(func->func_builtins));
    if (!PyDict_CheckExact(func->func_globals) || !PyDict_CheckExact(func->func_builtins))
        return load_global_generic(o, globals, builtins, kn_obj_str(o, name));
    LLVMTypeRef types[] = {o->i64, o->i64, o->ptr};
    LLVMTypeRef entry = LLVMStructTypeInContext(o->cg.ctx, types, 3, 0);
    LLVMValueRef cache = LLVMAddGlobal(o->cg.mod, entry, "global.cache");
    LLVMSetLinkage(cache, LLVMPrivateLinkage);
    LLVMSetInitializer(cache, LLVMConstNull(entry));
    LLVMValueRef now[] = {version_of(o, globals), version_of(o, builtins), NULL};
    LLVMValueRef at[3], kept[3];
    for (int i = 0; i < 3; i++) {
        at[i] = LLVMBuildStructGEP2(B, entry, cache, (unsigned)i, "");
        kept[i] = LLVMBuildLoad2(B, types[i], at[i], "cached");
    }
    LLVMValueRef hit = LLVMBuildAnd(B, LLVMBuildICmp(B, LLVMIntEQ, kept[0], now[0], ""),
                                    LLVMBuildICmp(B, LLVMIntEQ, kept[1], now[1], ""), "");
    hit = LLVMBuildAnd(B, hit, LLVMBuildIsNotNull(B, kept[2], ""), "hit");
    LLVMBasicBlockRef cached = kn_cg_block(&o->cg, "global.cached");
    LLVMBasicBlockRef look = kn_cg_block(&o->cg, "global.lookup");
    LLVMBasicBlockRef done = kn_cg_block(&o->cg, "global.loaded");
    LLVMBuildCondBr(B, hit, cached, look);
    kn_cg_enter(&o->cg, cached);
    kn_cg_incref(&o->cg, kept[2]);
    LLVMBuildBr(B, done);
    kn_cg_enter(&o->cg, look);
    now[2] = lookup_global(o, globals, builtins, kn_obj_str(o, name));
    kn_obj_check(o, now[2]);
    for (int i = 0; i < 3; i++) /* the versions from before: a change during the lookup misses */
        LLVMBuildStore(B, now[i], at[i]);
    LLVMBasicBlockRef looked = LLVMGetInsertBlock(B);
    LLVMBuildBr(B, done);
    kn_cg_enter(&o->cg, done);
    LLVMValueRef values[] = {kept[2], now[2]};
    LLVMBasicBlockRef from[] = {cached, looked};
    return kn_obj_owned(o, kn_cg_phi(&o->cg, o->ptr, values, from, 2));
}

/* One path or the other, each making a value of type t: the phi of the two. */
static LLVMValueRef either(kn_obj *o, LLVMValueRef cond, LLVMTypeRef t,
                           LLVMValueRef (*yes)(kn_obj *, const void *),
                           LLVMValueRef (*no)(kn_obj *, const void *), const void *ctx)
{
    LLVMBasicBlockRef arms[2] = {kn_cg_block(&o->cg, "native"), kn_cg_block(&o->cg, "object")};
    LLVMBasicBlockRef done = kn_cg_block(&o->cg, "native.end");
    LLVMValueRef values[2];
    LLVMBuildCondBr(o->cg.b, cond, arms[0], arms[1]);
    for (int i = 0; i < 2; i++) {
        kn_cg_enter(&o->cg, arms[i]);
        values[i] = (i ? no : yes)(o, ctx);
        arms[i] = LLVMGetInsertBlock(o->cg.b);
        LLVMBuildBr(o->cg.b, done);
    }
    kn_cg_enter(&o->cg, done);
    return kn_cg_phi(&o->cg, t, values, arms, 2);
}

/* A native range variable's value (see obj_loop.c), read where it is used as an index. */
typedef struct native_read {
    const kn_var *var;
    LLVMValueRef index; /* i64, when it holds one */
    LLVMValueRef c, v;  /* the container, and the value stored (NULL: a read) */
} native_read;

static LLVMValueRef boxed(kn_obj *o, const void *ctx)
{
    LLVMValueRef index = ((const native_read *)ctx)->index;
    return kn_obj_api(o, "PyLong_FromSsize_t", o->ptr, &index, 1);
}

static LLVMValueRef held(kn_obj *o, const void *ctx)
{
    LLVMValueRef v = kn_obj_load_local(o, ((const native_read *)ctx)->var).v;
    kn_cg_incref(&o->cg, v);
    return v;
}

// NAME: a local (borrowed from its slot), a free variable, or a global or builtin
kn_ov kn_obj_load(kn_obj *o, const kn_expr *e)
{
    LLVMValueRef native;
    native_read n = {.var = e->var};
    if (e->var && (n.index = kn_obj_native_var(o, e->var, &native))) {
        /* not an index (obj_loop.c finds no such reads): boxed */
        LLVMValueRef v = either(o, native, o->ptr, boxed, held, &n);
        kn_obj_check(o, v);
        return kn_obj_owned(o, v);
    }
    if (e->var)
        return kn_obj_load_local(o, e->var);
    PyObject *cell = cell_of(o, e->sval);
    return cell ? load_cell(o, cell, e->sval) : load_global(o, e->sval);
}

/* ---- operators ---- */

// value.name
static kn_ov attribute(kn_obj *o, const kn_expr *e)
{
    kn_ov v = kn_obj_expr(o, e->value);
    if (!v.v)
        return failed;
    kn_obj_at(o, e->loc);
    LLVMValueRef args[] = {v.v, kn_obj_str(o, e->sval)};
    return kn_obj_api_new(o, "PyObject_GetAttr", args, 2, &v, 1);
}

kn_ov kn_obj_binary(kn_obj *o, kn_op op, kn_ov l, kn_ov r, int inplace)
{
    static const char *const names[] = {
        [KN_OP_ADD] = "Add",
        [KN_OP_SUB] = "Subtract",
        [KN_OP_MUL] = "Multiply",
        [KN_OP_DIV] = "TrueDivide",
        [KN_OP_FLOORDIV] = "FloorDivide",
        [KN_OP_MOD] = "Remainder",
        [KN_OP_POW] = "Power",
        [KN_OP_LSHIFT] = "Lshift",
        [KN_OP_RSHIFT] = "Rshift",
        [KN_OP_BITAND] = "And",
        [KN_OP_BITOR] = "Or",
        [KN_OP_BITXOR] = "Xor",
        [KN_OP_MATMUL] = "MatrixMultiply",
    };
    char name[64];
    snprintf(name, sizeof name, "PyNumber_%s%s", inplace ? "InPlace" : "", names[op]);
    LLVMValueRef v = kn_obj_fast_binary(o, op, name, l.v, r.v);
    return kn_obj_result(o, v, (kn_ov[]){l, r}, 2);
}

// left op right
static kn_ov binary(kn_obj *o, const kn_expr *e)
{
    kn_ov l = kn_obj_expr(o, e->operands[0]);
    kn_ov r = l.v ? kn_obj_expr(o, e->operands[1]) : failed;
    if (!r.v)
        return failed;
    kn_obj_at(o, e->loc);
    return kn_obj_binary(o, e->op, l, r, 0);
}

// -x | +x | ~x | not x
static kn_ov unary(kn_obj *o, const kn_expr *e)
{
    static const char *const names[] = {
        [KN_OP_NEG] = "PyNumber_Negative",
        [KN_OP_POS] = "PyNumber_Positive",
        [KN_OP_INVERT] = "PyNumber_Invert",
    };
    kn_ov v = kn_obj_expr(o, e->value);
    if (!v.v)
        return failed;
    kn_obj_at(o, e->loc);
    if (e->op != KN_OP_NOT)
        return kn_obj_api_new(o, names[e->op], &v.v, 1, &v, 1);
    LLVMValueRef t = kn_obj_truth(o, v);
    kn_obj_release(o, v);
    return kn_obj_borrowed(kn_obj_bool(o, LLVMBuildNot(o->cg.b, t, "")));
}

/*
 * x's truth (PyObject_IsTrue), with True, False and None decided without
 * a call, as CPython's POP_JUMP_IF_* do.
 */
LLVMValueRef kn_obj_truth(kn_obj *o, kn_ov x)
{
    LLVMBuilderRef B = o->cg.b;
    LLVMValueRef v = x.v;
    LLVMValueRef yes = LLVMBuildICmp(B, LLVMIntEQ, v, kn_obj_true(o), "");
    LLVMValueRef no = LLVMBuildOr(B, LLVMBuildICmp(B, LLVMIntEQ, v, kn_obj_false(o), ""),
                                  LLVMBuildICmp(B, LLVMIntEQ, v, kn_obj_none(o), ""), "");
    LLVMBasicBlockRef ask = kn_cg_block(&o->cg, "truth"), done = kn_cg_block(&o->cg, "truth.end");
    LLVMBasicBlockRef known = LLVMGetInsertBlock(B);
    LLVMBuildCondBr(B, LLVMBuildOr(B, yes, no, ""), done, ask);
    kn_cg_enter(&o->cg, ask);
    LLVMBasicBlockRef is_int = kn_cg_block(&o->cg, "truth.int"),
                      call = kn_cg_block(&o->cg, "truth.call");
    LLVMBuildCondBr(B, kn_obj_is_type(o, v, "PyLong_Type"), is_int, call);
    kn_cg_enter(&o->cg, is_int); /* an int is true when it has digits */
    LLVMValueRef size =
        LLVMBuildLoad2(B, o->i64, kn_obj_field(o, v, offsetof(PyVarObject, ob_size)), "");
    LLVMValueRef nonzero = LLVMBuildICmp(B, LLVMIntNE, size, LLVMConstInt(o->i64, 0, 0), "");
    LLVMBuildBr(B, done);
    kn_cg_enter(&o->cg, call);
    LLVMValueRef r = kn_obj_api_int(o, "PyObject_IsTrue", &v, 1);
    LLVMValueRef asked = LLVMBuildICmp(B, LLVMIntNE, r, kn_obj_i32(o, 0), "");
    LLVMBasicBlockRef from_call = LLVMGetInsertBlock(B);
    LLVMBuildBr(B, done);
    kn_cg_enter(&o->cg, done);
    LLVMValueRef values[] = {yes, nonzero, asked};
    LLVMBasicBlockRef blocks[] = {known, is_int, from_call};
    return kn_cg_phi(&o->cg, LLVMInt1TypeInContext(o->cg.ctx), values, blocks, 3);
}

/* Whether e is a comparison an if or while can test without making True or False. */
static int simple_test(const kn_expr *e)
{
    if (e->kind != KN_E_COMPARE || e->noperands != 2)
        return 0;
    kn_op op = e->ops[0];
    return op != KN_OP_IS && op != KN_OP_ISNOT && op != KN_OP_IN && op != KN_OP_NOTIN;
}

// if a < b: the comparison's truth, natively for small ints and floats
static LLVMValueRef test(kn_obj *o, const kn_expr *e)
{
    kn_ov l = kn_obj_expr(o, e->operands[0]);
    kn_ov r = l.v ? kn_obj_expr(o, e->operands[1]) : failed;
    if (!r.v)
        return NULL;
    kn_obj_at(o, e->loc);
    LLVMValueRef t = kn_obj_fast_test(o, e->ops[0], l.v, r.v);
    kn_obj_release(o, l);
    kn_obj_release(o, r);
    return t;
}

LLVMValueRef kn_obj_condition(kn_obj *o, const kn_expr *e)
{
    if (simple_test(e))
        return test(o, e);
    kn_ov v = kn_obj_expr(o, e);
    if (!v.v)
        return NULL;
    kn_obj_at(o, e->loc);
    LLVMValueRef t = kn_obj_truth(o, v);
    kn_obj_release(o, v);
    return t;
}

/* l op r: a new reference, or a borrowed True or False; the operands stay. */
static kn_ov compare_pair(kn_obj *o, kn_op op, kn_ov l, kn_ov r)
{
    LLVMBuilderRef B = o->cg.b;
    if (op == KN_OP_IS || op == KN_OP_ISNOT)
        return kn_obj_borrowed(
            kn_obj_bool(o, LLVMBuildICmp(B, op == KN_OP_IS ? LLVMIntEQ : LLVMIntNE, l.v, r.v, "")));
    if (op == KN_OP_IN || op == KN_OP_NOTIN) {
        LLVMValueRef args[] = {r.v, l.v};
        LLVMValueRef in = kn_obj_api_int(o, "PySequence_Contains", args, 2);
        return kn_obj_borrowed(kn_obj_bool(
            o, LLVMBuildICmp(B, op == KN_OP_IN ? LLVMIntNE : LLVMIntEQ, in, kn_obj_i32(o, 0), "")));
    }
    return kn_obj_result(o, kn_obj_fast_compare(o, op, l.v, r.v), NULL, 0);
}

/*
 * a < b <= c ...: each comparison's result, until one is false (that one
 * is the value, as in Python: it need not be a bool); later operands are
 * not evaluated. A middle operand serves two comparisons.
 */
static kn_ov compare(kn_obj *o, const kn_expr *e)
{
    int n = e->noperands - 1;
    LLVMValueRef values[n];
    LLVMBasicBlockRef from[n];
    LLVMBasicBlockRef done = kn_cg_block(&o->cg, "compare.end");
    kn_ov left = kn_obj_expr(o, e->operands[0]);
    for (int i = 0; left.v && i < n; i++) {
        kn_ov right = kn_obj_expr(o, e->operands[i + 1]);
        if (!right.v)
            return failed;
        kn_obj_at(o, e->loc);
        kn_ov r = compare_pair(o, e->ops[i], left, right);
        kn_obj_release(o, left);
        if (i == n - 1) {
            kn_obj_release(o, right);
            values[i] = kn_obj_give(o, r);
            from[i] = LLVMGetInsertBlock(o->cg.b);
            LLVMBuildBr(o->cg.b, done);
            break;
        }
        LLVMBasicBlockRef next = kn_cg_block(&o->cg, "compare.next");
        LLVMValueRef t = kn_obj_truth(o, r);
        LLVMBasicBlockRef stop = kn_cg_block(&o->cg, "compare.false");
        LLVMBuildCondBr(o->cg.b, t, next, stop);
        kn_cg_enter(&o->cg, stop);
        if (right.temp >= 0)
            kn_obj_drop_temp(o, right.temp);
        values[i] = kn_obj_take(o, r);
        from[i] = LLVMGetInsertBlock(o->cg.b);
        LLVMBuildBr(o->cg.b, done);
        kn_cg_enter(&o->cg, next);
        kn_obj_release(o, r);
        left = right;
    }
    if (!left.v)
        return failed;
    kn_cg_enter(&o->cg, done);
    return kn_obj_owned(o, kn_cg_phi(&o->cg, o->ptr, values, from, n));
}

/*
 * a and b and ... | a or b or ...: the first operand that decides (false
 * for and, true for or), else the last; later ones are not evaluated.
 */
static kn_ov boolop(kn_obj *o, const kn_expr *e)
{
    int n = e->noperands;
    LLVMValueRef values[n];
    LLVMBasicBlockRef from[n];
    LLVMBasicBlockRef done = kn_cg_block(&o->cg, "boolop.end");
    for (int i = 0; i < n; i++) {
        kn_ov v = kn_obj_expr(o, e->operands[i]);
        if (!v.v)
            return failed;
        if (i == n - 1) {
            values[i] = kn_obj_give(o, v);
            from[i] = LLVMGetInsertBlock(o->cg.b);
            LLVMBuildBr(o->cg.b, done);
            break;
        }
        kn_obj_at(o, e->loc);
        LLVMValueRef t = kn_obj_truth(o, v);
        LLVMBasicBlockRef decided = kn_cg_block(&o->cg, "boolop.decided");
        LLVMBasicBlockRef next = kn_cg_block(&o->cg, "boolop.next");
        LLVMBuildCondBr(o->cg.b, t, e->op == KN_OP_AND ? next : decided,
                        e->op == KN_OP_AND ? decided : next);
        kn_cg_enter(&o->cg, decided);
        values[i] = kn_obj_take(o, v);
        from[i] = LLVMGetInsertBlock(o->cg.b);
        LLVMBuildBr(o->cg.b, done);
        kn_cg_enter(&o->cg, next);
        kn_obj_release(o, v);
    }
    kn_cg_enter(&o->cg, done);
    return kn_obj_owned(o, kn_cg_phi(&o->cg, o->ptr, values, from, n));
}

// then if test else orelse: only the chosen branch is evaluated
static kn_ov ifexp(kn_obj *o, const kn_expr *e)
{
    LLVMValueRef test = kn_obj_condition(o, e->operands[0]);
    if (!test)
        return failed;
    LLVMBasicBlockRef arms[2] = {kn_cg_block(&o->cg, "ifexp.then"),
                                 kn_cg_block(&o->cg, "ifexp.else")};
    LLVMBasicBlockRef done = kn_cg_block(&o->cg, "ifexp.end");
    LLVMBuildCondBr(o->cg.b, test, arms[0], arms[1]);
    LLVMValueRef values[2];
    for (int i = 0; i < 2; i++) {
        kn_cg_enter(&o->cg, arms[i]);
        kn_ov v = kn_obj_expr(o, e->operands[1 + i]);
        if (!v.v)
            return failed;
        values[i] = kn_obj_give(o, v);
        arms[i] = LLVMGetInsertBlock(o->cg.b);
        LLVMBuildBr(o->cg.b, done);
    }
    kn_cg_enter(&o->cg, done);
    return kn_obj_owned(o, kn_cg_phi(&o->cg, o->ptr, values, arms, 2));
}

/* An optional operand: its value, or NULL (borrowed) when it is missing. */
static kn_ov optional(kn_obj *o, const kn_expr *e)
{
    return e ? kn_obj_expr(o, e) : kn_obj_borrowed(LLVMConstNull(o->ptr));
}

// lo:hi:step inside []: a slice object (missing parts None)
static kn_ov slice(kn_obj *o, const kn_expr *e)
{
    kn_ov parts[3];
    for (int i = 0; i < 3; i++)
        if (!(parts[i] = optional(o, e->operands[i])).v)
            return failed;
    kn_obj_at(o, e->loc);
    LLVMValueRef args[] = {parts[0].v, parts[1].v, parts[2].v};
    return kn_obj_api_new(o, "PySlice_New", args, 3, parts, 3);
}

static LLVMValueRef item_at(kn_obj *o, const void *ctx)
{
    const native_read *n = ctx;
    return n->v ? kn_obj_fast_setitem_at(o, n->c, n->index, n->v)
                : kn_obj_fast_getitem_at(o, n->c, n->index);
}

static LLVMValueRef item_of(kn_obj *o, const void *ctx)
{
    const native_read *n = ctx;
    LLVMValueRef i = kn_obj_load_local(o, n->var).v;
    return n->v ? kn_obj_fast_setitem(o, n->c, i, n->v) : kn_obj_fast_getitem(o, n->c, i);
}

LLVMValueRef kn_obj_native_item(kn_obj *o, LLVMValueRef c, const kn_expr *index, LLVMValueRef v)
{
    LLVMValueRef native;
    native_read n = {.var = index->kind == KN_E_NAME ? index->var : NULL, .c = c, .v = v};
    if (!n.var || !(n.index = kn_obj_native_var(o, n.var, &native)))
        return NULL;
    return either(o, native, v ? o->i32 : o->ptr, item_at, item_of, &n);
}

// value[index]
static kn_ov subscript(kn_obj *o, const kn_expr *e)
{
    kn_ov v = kn_obj_expr(o, e->value);
    LLVMValueRef item = v.v ? kn_obj_native_item(o, v.v, e->index, NULL) : NULL;
    if (item)
        return kn_obj_result(o, item, &v, 1);
    kn_ov i = v.v ? kn_obj_expr(o, e->index) : failed;
    if (!i.v)
        return failed;
    kn_obj_at(o, e->loc);
    return kn_obj_result(o, kn_obj_fast_getitem(o, v.v, i.v), (kn_ov[]){v, i}, 2);
}

static kn_ov misplaced(kn_obj *o, const kn_expr *e)
{
    kn_cg_fail(&o->cg, e->loc,
               e->kind == KN_E_STARRED ? "can't use starred expression here"
                                       : "object mode cannot compile this expression here");
    return failed;
}

kn_ov kn_obj_expr(kn_obj *o, const kn_expr *e)
{
    kn_obj_at(o, e->loc);
    switch (e->kind) {
    case KN_E_INT:
    case KN_E_FLOAT:
    case KN_E_COMPLEX:
    case KN_E_BOOL:
    case KN_E_NONE:
    case KN_E_STR:
    case KN_E_BYTES:
    case KN_E_ELLIPSIS:
        return literal(o, e);
    case KN_E_NAME:
        return kn_obj_load(o, e);
    case KN_E_ATTR:
        return attribute(o, e);
    case KN_E_UNARY:
        return unary(o, e);
    case KN_E_BINARY:
        return binary(o, e);
    case KN_E_COMPARE:
        return compare(o, e);
    case KN_E_BOOLOP:
        return boolop(o, e);
    case KN_E_IFEXP:
        return ifexp(o, e);
    case KN_E_CALL:
        return kn_obj_call(o, e);
    case KN_E_TUPLE:
    case KN_E_LIST:
    case KN_E_SET:
    case KN_E_DICT:
        return kn_obj_display(o, e);
    case KN_E_SUBSCRIPT:
        return subscript(o, e);
    case KN_E_SLICE:
        return slice(o, e);
    case KN_E_LISTCOMP:
    case KN_E_SETCOMP:
    case KN_E_DICTCOMP:
        return kn_obj_comprehension(o, e);
    case KN_E_FSTRING:
        return kn_obj_fstring(o, e);
    case KN_E_STARRED:
    case KN_E_COMPFOR:
    case KN_E_FORMAT:
    case KN_E_CONST:
    case KN_E_VALUE:
        break;
    }
    return misplaced(o, e);
}

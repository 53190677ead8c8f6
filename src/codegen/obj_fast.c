/* Object mode's fast paths: small exact ints, exact floats and lists, inline before the C API. */
#include <string.h>

#include "codegen/object.h"
#include "runtime/objmode.h"

/*
 * CPython 3.11 specializes its hot bytecodes for exact ints, floats and
 * lists (BINARY_OP_ADD_INT, COMPARE_OP_INT_JUMP, BINARY_SUBSCR_LIST_INT,
 * STORE_SUBSCR_LIST_INT...). Object mode does the same inline: the
 * operands' types are tested, and when they are exact the operation runs
 * natively; otherwise the C API call does it. An int is taken natively
 * when it has at most two 30-bit digits, so that sums of two fit in 64
 * bits; products are checked for overflow. Each fast path is a chain of tests that branch to the
 * next path when they fail, the C API call being the last.
 */

LLVMValueRef kn_obj_is_type(kn_obj *o, LLVMValueRef v, const char *type)
{
    return LLVMBuildICmp(o->cg.b, LLVMIntEQ, kn_obj_type_of(o, v), kn_obj_symbol(o, type), "");
}

static LLVMValueRef both(kn_obj *o, LLVMValueRef l, LLVMValueRef r, const char *type)
{
    return LLVMBuildAnd(o->cg.b, kn_obj_is_type(o, l, type), kn_obj_is_type(o, r, type), "");
}

/* The values that reach the merge of the paths, and where from. */
typedef struct paths {
    LLVMValueRef values[4];
    LLVMBasicBlockRef from[4];
    int n;
    LLVMBasicBlockRef done;
} paths;

static paths begin(kn_obj *o)
{
    return (paths){.done = kn_cg_block(&o->cg, "fast.end")};
}

static void arrive(kn_obj *o, paths *p, LLVMValueRef v)
{
    p->values[p->n] = v;
    p->from[p->n++] = LLVMGetInsertBlock(o->cg.b);
    LLVMBuildBr(o->cg.b, p->done);
}

/* The last path's value joins; the merged value (of type t) is returned. */
static LLVMValueRef finish(kn_obj *o, paths *p, LLVMValueRef last, LLVMTypeRef t)
{
    arrive(o, p, last);
    kn_cg_enter(&o->cg, p->done);
    return kn_cg_phi(&o->cg, t, p->values, p->from, p->n);
}

/* Goes on in a new block when cond holds, else to miss (the next path). */
static void when(kn_obj *o, LLVMValueRef cond, LLVMBasicBlockRef miss)
{
    LLVMBasicBlockRef yes = kn_cg_block(&o->cg, "fast");
    LLVMBuildCondBr(o->cg.b, cond, yes, miss);
    kn_cg_enter(&o->cg, yes);
}

/*
 * The value of an int known exact; *small: whether it has at most two
 * 30-bit digits, so that it fits in 61 bits (else the value is wrong).
 * The first digit is always there (CPython allocates one for 0 too); the
 * second is read only in the branch where the int has two.
 */
static LLVMValueRef int_value(kn_obj *o, LLVMValueRef v, LLVMValueRef *small)
{
    LLVMBuilderRef B = o->cg.b;
    LLVMValueRef size =
        LLVMBuildLoad2(B, o->i64, kn_obj_field(o, v, offsetof(PyVarObject, ob_size)), "size");
    LLVMValueRef two = LLVMConstInt(o->i64, 2, 0), zero = LLVMConstInt(o->i64, 0, 0);
    *small = LLVMBuildICmp(B, LLVMIntULE, LLVMBuildAdd(B, size, two, ""),
                           LLVMConstInt(o->i64, 4, 0), "small");
    LLVMValueRef low = LLVMBuildZExt(
        B, LLVMBuildLoad2(B, o->i32, kn_obj_field(o, v, offsetof(PyLongObject, ob_digit)), "d0"),
        o->i64, "");
    LLVMValueRef negative = LLVMBuildICmp(B, LLVMIntSLT, size, zero, "");
    LLVMValueRef ndigits = LLVMBuildSelect(B, negative, LLVMBuildNeg(B, size, ""), size, "");
    LLVMValueRef one =
        LLVMBuildSelect(B, LLVMBuildICmp(B, LLVMIntEQ, ndigits, zero, ""), zero, low, "");
    LLVMBasicBlockRef from = LLVMGetInsertBlock(B), second = kn_cg_block(&o->cg, "int.d1");
    LLVMBasicBlockRef done = kn_cg_block(&o->cg, "int.value");
    LLVMBuildCondBr(B, LLVMBuildICmp(B, LLVMIntEQ, ndigits, two, ""), second, done);
    kn_cg_enter(&o->cg, second);
    LLVMValueRef high = LLVMBuildZExt(
        B,
        LLVMBuildLoad2(B, o->i32,
                       kn_obj_field(o, v, offsetof(PyLongObject, ob_digit) + sizeof(digit)), "d1"),
        o->i64, "");
    LLVMValueRef pair =
        LLVMBuildOr(B, low, LLVMBuildShl(B, high, LLVMConstInt(o->i64, PyLong_SHIFT, 0), ""), "");
    LLVMBuildBr(B, done);
    kn_cg_enter(&o->cg, done);
    LLVMValueRef magnitude = kn_cg_phi(&o->cg, o->i64, (LLVMValueRef[]){one, pair},
                                       (LLVMBasicBlockRef[]){from, second}, 2);
    return LLVMBuildSelect(B, negative, LLVMBuildNeg(B, magnitude, ""), magnitude, "");
}

/* Tests that l and r are small exact ints, going to miss if not; their values in *a and *b. */
static void small_ints(kn_obj *o, LLVMValueRef l, LLVMValueRef r, LLVMBasicBlockRef miss,
                       LLVMValueRef *a, LLVMValueRef *b)
{
    LLVMValueRef sa, sb;
    when(o, both(o, l, r, "PyLong_Type"), miss);
    *a = int_value(o, l, &sa);
    *b = int_value(o, r, &sb);
    when(o, LLVMBuildAnd(o->cg.b, sa, sb, ""), miss);
}

/* Tests that l and r are exact floats, going to miss if not; their values in *a and *b. */
static void floats(kn_obj *o, LLVMValueRef l, LLVMValueRef r, LLVMBasicBlockRef miss,
                   LLVMValueRef *a, LLVMValueRef *b)
{
    LLVMTypeRef f64 = LLVMDoubleTypeInContext(o->cg.ctx);
    when(o, both(o, l, r, "PyFloat_Type"), miss);
    *a = LLVMBuildLoad2(o->cg.b, f64, kn_obj_field(o, l, offsetof(PyFloatObject, ob_fval)), "");
    *b = LLVMBuildLoad2(o->cg.b, f64, kn_obj_field(o, r, offsetof(PyFloatObject, ob_fval)), "");
}

/* ---- arithmetic ---- */

/* a // b or a % b with Python's signs (the quotient rounds down); b is not 0. */
static LLVMValueRef floor_divmod(kn_obj *o, LLVMValueRef a, LLVMValueRef b, int mod)
{
    LLVMBuilderRef B = o->cg.b;
    LLVMValueRef q = LLVMBuildSDiv(B, a, b, ""), r = LLVMBuildSRem(B, a, b, "");
    LLVMValueRef zero = LLVMConstInt(o->i64, 0, 0);
    LLVMValueRef signs = LLVMBuildICmp(B, LLVMIntSLT, LLVMBuildXor(B, r, b, ""), zero, "");
    LLVMValueRef adjust = LLVMBuildAnd(B, LLVMBuildICmp(B, LLVMIntNE, r, zero, ""), signs, "");
    if (mod)
        return LLVMBuildSelect(B, adjust, LLVMBuildAdd(B, r, b, ""), r, "");
    return LLVMBuildSelect(B, adjust, LLVMBuildSub(B, q, LLVMConstInt(o->i64, 1, 0), ""), q, "");
}

typedef LLVMValueRef (*build_fn)(LLVMBuilderRef, LLVMValueRef, LLVMValueRef, const char *);

/* The operators with fast paths, and the instruction of each on small ints and on floats. */
static const struct {
    kn_op op;
    build_fn ints, floats; /* NULL: no such path; int_path does * // % its own way */
} arith_ops[] = {
    {KN_OP_ADD, LLVMBuildAdd, LLVMBuildFAdd}, {KN_OP_SUB, LLVMBuildSub, LLVMBuildFSub},
    {KN_OP_MUL, LLVMBuildMul, LLVMBuildFMul}, {KN_OP_DIV, NULL, LLVMBuildFDiv},
    {KN_OP_FLOORDIV, LLVMBuildSDiv, NULL},    {KN_OP_MOD, LLVMBuildSRem, NULL},
    {KN_OP_BITAND, LLVMBuildAnd, NULL},       {KN_OP_BITOR, LLVMBuildOr, NULL},
    {KN_OP_BITXOR, LLVMBuildXor, NULL},
};

static build_fn arith_of(kn_op op, int real)
{
    for (size_t i = 0; i < sizeof arith_ops / sizeof arith_ops[0]; i++)
        if (arith_ops[i].op == op)
            return real ? arith_ops[i].floats : arith_ops[i].ints;
    return NULL;
}

/* a * b, or on to miss when the product does not fit in 64 bits. */
static LLVMValueRef checked_mul(kn_obj *o, LLVMValueRef a, LLVMValueRef b, LLVMBasicBlockRef miss)
{
    LLVMValueRef args[] = {a, b};
    LLVMValueRef r = kn_cg_intrinsic(&o->cg, "llvm.smul.with.overflow", &o->i64, 1, args, 2);
    when(o, LLVMBuildNot(o->cg.b, LLVMBuildExtractValue(o->cg.b, r, 1, ""), ""), miss);
    return LLVMBuildExtractValue(o->cg.b, r, 0, "");
}

static void int_path(kn_obj *o, paths *p, kn_op op, LLVMValueRef l, LLVMValueRef r)
{
    LLVMBasicBlockRef miss = kn_cg_block(&o->cg, "not.ints");
    LLVMValueRef a, b;
    small_ints(o, l, r, miss, &a, &b);
    if (op == KN_OP_FLOORDIV || op == KN_OP_MOD) /* ZeroDivisionError: the C API's to raise */
        when(o, LLVMBuildICmp(o->cg.b, LLVMIntNE, b, LLVMConstInt(o->i64, 0, 0), ""), miss);
    LLVMValueRef v = op == KN_OP_MUL ? checked_mul(o, a, b, miss)
                     : op == KN_OP_FLOORDIV || op == KN_OP_MOD
                         ? floor_divmod(o, a, b, op == KN_OP_MOD)
                         : arith_of(op, 0)(o->cg.b, a, b, "");
    arrive(o, p, kn_obj_api(o, "PyLong_FromLongLong", o->ptr, &v, 1));
    kn_cg_enter(&o->cg, miss);
}

static void float_path(kn_obj *o, paths *p, kn_op op, LLVMValueRef l, LLVMValueRef r)
{
    LLVMBasicBlockRef miss = kn_cg_block(&o->cg, "not.floats");
    LLVMValueRef a, b;
    floats(o, l, r, miss, &a, &b);
    if (op == KN_OP_DIV)
        when(o, LLVMBuildFCmp(o->cg.b, LLVMRealUNE, b, LLVMConstReal(LLVMTypeOf(b), 0.0), ""),
             miss);
    LLVMValueRef v = arith_of(op, 1)(o->cg.b, a, b, "");
    arrive(o, p, kn_obj_api(o, "PyFloat_FromDouble", o->ptr, &v, 1));
    kn_cg_enter(&o->cg, miss);
}

static int runtime_op(kn_op op)
{
    switch (op) {
    case KN_OP_ADD:
        return KN_RT_OBJ_ADD;
    case KN_OP_SUB:
        return KN_RT_OBJ_SUB;
    case KN_OP_MUL:
        return KN_RT_OBJ_MUL;
    case KN_OP_DIV:
        return KN_RT_OBJ_DIV;
    default:
        return -1;
    }
}

/*
 * The C API call that ends the chain: for + - * /, through the runtime,
 * which does numpy.float64 arithmetic natively before it calls api.
 */
static LLVMValueRef generic_binary(kn_obj *o, kn_op op, const char *api, LLVMValueRef l,
                                   LLVMValueRef r)
{
    int rt = runtime_op(op);
    if (rt >= 0) {
        LLVMTypeRef params[] = {o->ptr, o->ptr};
        LLVMValueRef fallback = kn_cg_declare(&o->cg, api, o->ptr, params, 2);
        LLVMValueRef args[] = {l, r, kn_obj_i32(o, rt), fallback};
        return kn_obj_api(o, "kn_rt_obj_binary", o->ptr, args, 4);
    }
    LLVMValueRef args[] = {l, r, kn_obj_none(o)}; /* pow's third argument: no modulus */
    return kn_obj_api(o, api, o->ptr, args, op == KN_OP_POW ? 3 : 2);
}

LLVMValueRef kn_obj_fast_binary(kn_obj *o, kn_op op, const char *api, LLVMValueRef l,
                                LLVMValueRef r)
{
    if (!arith_of(op, 0) && !arith_of(op, 1))
        return generic_binary(o, op, api, l, r);
    paths p = begin(o);
    if (arith_of(op, 0))
        int_path(o, &p, op, l, r);
    if (arith_of(op, 1))
        float_path(o, &p, op, l, r);
    return finish(o, &p, generic_binary(o, op, api, l, r), o->ptr);
}

/* ---- comparisons ---- */

static int rich_op(kn_op op)
{
    static const int rich[] = {[KN_OP_EQ] = Py_EQ, [KN_OP_NE] = Py_NE, [KN_OP_LT] = Py_LT,
                               [KN_OP_LE] = Py_LE, [KN_OP_GT] = Py_GT, [KN_OP_GE] = Py_GE};
    return rich[op];
}

/* a op b, i1, on ints (signed) or floats (NaN unequal to everything, itself included). */
static LLVMValueRef native_compare(kn_obj *o, kn_op op, LLVMValueRef a, LLVMValueRef b, int real)
{
    static const LLVMIntPredicate ints[] = {
        [KN_OP_EQ] = LLVMIntEQ,  [KN_OP_NE] = LLVMIntNE,  [KN_OP_LT] = LLVMIntSLT,
        [KN_OP_LE] = LLVMIntSLE, [KN_OP_GT] = LLVMIntSGT, [KN_OP_GE] = LLVMIntSGE};
    static const LLVMRealPredicate reals[] = {
        [KN_OP_EQ] = LLVMRealOEQ, [KN_OP_NE] = LLVMRealUNE, [KN_OP_LT] = LLVMRealOLT,
        [KN_OP_LE] = LLVMRealOLE, [KN_OP_GT] = LLVMRealOGT, [KN_OP_GE] = LLVMRealOGE};
    if (real)
        return LLVMBuildFCmp(o->cg.b, reals[op], a, b, "");
    return LLVMBuildICmp(o->cg.b, ints[op], a, b, "");
}

/* The int and float paths of l op r, each arriving with as(truth). */
static void compare_paths(kn_obj *o, paths *p, kn_op op, LLVMValueRef l, LLVMValueRef r,
                          LLVMValueRef (*as)(kn_obj *, LLVMValueRef))
{
    for (int real = 0; real < 2; real++) {
        LLVMBasicBlockRef miss = kn_cg_block(&o->cg, real ? "not.floats" : "not.ints");
        LLVMValueRef a, b;
        if (real)
            floats(o, l, r, miss, &a, &b);
        else
            small_ints(o, l, r, miss, &a, &b);
        arrive(o, p, as(o, native_compare(o, op, a, b, real)));
        kn_cg_enter(&o->cg, miss);
    }
}

/* True or False as a new reference. */
static LLVMValueRef new_bool(kn_obj *o, LLVMValueRef truth)
{
    LLVMValueRef b = kn_obj_bool(o, truth);
    kn_cg_incref(&o->cg, b);
    return b;
}

static LLVMValueRef same(kn_obj *o, LLVMValueRef truth)
{
    (void)o;
    return truth;
}

LLVMValueRef kn_obj_fast_compare(kn_obj *o, kn_op op, LLVMValueRef l, LLVMValueRef r)
{
    paths p = begin(o);
    compare_paths(o, &p, op, l, r, new_bool);
    LLVMValueRef args[] = {l, r, kn_obj_i32(o, rich_op(op))};
    return finish(o, &p, kn_obj_api(o, "PyObject_RichCompare", o->ptr, args, 3), o->ptr);
}

LLVMValueRef kn_obj_fast_test(kn_obj *o, kn_op op, LLVMValueRef l, LLVMValueRef r)
{
    paths p = begin(o);
    compare_paths(o, &p, op, l, r, same);
    LLVMValueRef args[] = {l, r, kn_obj_i32(o, rich_op(op))};
    LLVMValueRef v = kn_obj_api(o, "PyObject_RichCompare", o->ptr, args, 3);
    kn_obj_check(o, v);
    kn_ov result = kn_obj_owned(o, v);
    LLVMValueRef t = kn_obj_truth(o, result);
    kn_obj_release(o, result);
    return finish(o, &p, t, LLVMInt1TypeInContext(o->cg.ctx));
}

/* ---- lists ---- */

/*
 * The address of list[index] when l is an exact list and index (an i64)
 * is in range, counting from the end when negative; else to miss.
 */
static LLVMValueRef list_slot(kn_obj *o, LLVMValueRef l, LLVMValueRef index, LLVMBasicBlockRef miss)
{
    LLVMBuilderRef B = o->cg.b;
    LLVMValueRef size =
        LLVMBuildLoad2(B, o->i64, kn_obj_field(o, l, offsetof(PyVarObject, ob_size)), "len");
    LLVMValueRef negative = LLVMBuildICmp(B, LLVMIntSLT, index, LLVMConstInt(o->i64, 0, 0), "");
    index = LLVMBuildSelect(B, negative, LLVMBuildAdd(B, index, size, ""), index, "");
    /* unsigned: an index still negative is out of range too */
    when(o, LLVMBuildICmp(B, LLVMIntULT, index, size, ""), miss);
    LLVMValueRef items =
        LLVMBuildLoad2(B, o->ptr, kn_obj_field(o, l, offsetof(PyListObject, ob_item)), "ob_item");
    return LLVMBuildGEP2(B, o->ptr, items, &index, 1, "");
}

/* The address of list[i] when l is an exact list and i a small int in range; else to miss. */
static LLVMValueRef list_item(kn_obj *o, LLVMValueRef l, LLVMValueRef i, LLVMBasicBlockRef miss)
{
    when(o,
         LLVMBuildAnd(o->cg.b, kn_obj_is_type(o, l, "PyList_Type"),
                      kn_obj_is_type(o, i, "PyLong_Type"), ""),
         miss);
    LLVMValueRef small;
    LLVMValueRef index = int_value(o, i, &small);
    when(o, small, miss);
    return list_slot(o, l, index, miss);
}

/* A list's item at slot at, a new reference, arriving at p's end. */
static void list_get(kn_obj *o, paths *p, LLVMValueRef at)
{
    LLVMValueRef item = LLVMBuildLoad2(o->cg.b, o->ptr, at, "item");
    kn_cg_incref(&o->cg, item);
    arrive(o, p, item);
}

/* A list's slot at replaced by v, arriving at p's end with status 0. */
static void list_set(kn_obj *o, paths *p, LLVMValueRef at, LLVMValueRef v)
{
    LLVMValueRef old = LLVMBuildLoad2(o->cg.b, o->ptr, at, "old");
    kn_cg_incref(&o->cg, v);
    LLVMBuildStore(o->cg.b, v, at);
    kn_cg_xdecref(&o->cg, old);
    arrive(o, p, kn_obj_i32(o, 0));
}

LLVMValueRef kn_obj_fast_getitem(kn_obj *o, LLVMValueRef c, LLVMValueRef i)
{
    paths p = begin(o);
    LLVMBasicBlockRef miss = kn_cg_block(&o->cg, "not.list");
    list_get(o, &p, list_item(o, c, i, miss));
    kn_cg_enter(&o->cg, miss);
    LLVMValueRef args[] = {c, i}; /* the runtime's: dicts, NumPy's arrays */
    return finish(o, &p, kn_obj_api(o, "kn_rt_obj_getitem", o->ptr, args, 2), o->ptr);
}

LLVMValueRef kn_obj_fast_setitem(kn_obj *o, LLVMValueRef c, LLVMValueRef i, LLVMValueRef v)
{
    paths p = begin(o);
    LLVMBasicBlockRef miss = kn_cg_block(&o->cg, "not.list");
    list_set(o, &p, list_item(o, c, i, miss), v);
    kn_cg_enter(&o->cg, miss);
    LLVMValueRef args[] = {c, i, v};
    return finish(o, &p, kn_obj_api(o, "kn_rt_obj_setitem", o->i32, args, 3), o->i32);
}

LLVMValueRef kn_obj_fast_getitem_at(kn_obj *o, LLVMValueRef c, LLVMValueRef index)
{
    paths p = begin(o);
    LLVMBasicBlockRef miss = kn_cg_block(&o->cg, "not.list");
    when(o, kn_obj_is_type(o, c, "PyList_Type"), miss);
    list_get(o, &p, list_slot(o, c, index, miss));
    kn_cg_enter(&o->cg, miss);
    LLVMValueRef args[] = {c, index};
    return finish(o, &p, kn_obj_api(o, "kn_rt_obj_getitem_at", o->ptr, args, 2), o->ptr);
}

LLVMValueRef kn_obj_fast_setitem_at(kn_obj *o, LLVMValueRef c, LLVMValueRef index, LLVMValueRef v)
{
    paths p = begin(o);
    LLVMBasicBlockRef miss = kn_cg_block(&o->cg, "not.list");
    when(o, kn_obj_is_type(o, c, "PyList_Type"), miss);
    list_set(o, &p, list_slot(o, c, index, miss), v);
    kn_cg_enter(&o->cg, miss);
    LLVMValueRef args[] = {c, index, v};
    return finish(o, &p, kn_obj_api(o, "kn_rt_obj_setitem_at", o->i32, args, 3), o->i32);
}

/* ---- methods ---- */

LLVMValueRef kn_obj_fast_get_method(kn_obj *o, LLVMValueRef self, LLVMValueRef name,
                                    LLVMValueRef out)
{
    LLVMTypeRef fields[] = {o->ptr, o->i32, o->ptr}; /* kn_rt_method_cache */
    LLVMTypeRef type = LLVMStructTypeInContext(o->cg.ctx, fields, 3, 0);
    LLVMValueRef cache = LLVMAddGlobal(o->cg.mod, type, "method.cache");
    LLVMSetLinkage(cache, LLVMPrivateLinkage);
    LLVMSetInitializer(cache, LLVMConstNull(type));
    LLVMValueRef args[] = {self, name, out, cache};
    return kn_obj_api(o, "kn_rt_obj_get_method", o->i32, args, 4);
}

static int is_get(const kn_expr *e)
{
    return (e->noperands == 1 || e->noperands == 2) && !e->nkw && !strcmp(e->value->sval, "get");
}

LLVMValueRef kn_obj_direct_method(kn_obj *o, const kn_expr *e, LLVMValueRef self)
{
    if (e->noperands == 1 && !e->nkw && !strcmp(e->value->sval, "append"))
        return kn_obj_is_type(o, self, "PyList_Type");
    return is_get(e) ? kn_obj_is_type(o, self, "PyDict_Type") : NULL;
}

LLVMValueRef kn_obj_call_direct(kn_obj *o, const kn_expr *e, LLVMValueRef self, LLVMValueRef a,
                                LLVMValueRef b)
{
    if (is_get(e)) {
        LLVMValueRef args[] = {self, a, b ? b : LLVMConstNull(o->ptr)};
        return kn_obj_api(o, "kn_rt_obj_dict_get", o->ptr, args, 3);
    }
    LLVMValueRef args[] = {self, a};
    kn_obj_api_int(o, "PyList_Append", args, 2);
    LLVMValueRef none = kn_obj_none(o);
    kn_cg_incref(&o->cg, none);
    return none;
}

/* ---- builtins ---- */

/*
 * Builtins that CPython calls without the call protocol when they are
 * what the name holds (its PRECALL_NO_KW_LEN, _STR_1, _ISINSTANCE):
 * len(x), str(x), isinstance(x, t).
 */
static const struct {
    const char *name;
    int nargs;
} direct_builtins[] = {{"len", 1}, {"str", 1}, {"isinstance", 2}};

int kn_obj_direct_builtin(const char *name, int nargs)
{
    for (int i = 0; i < (int)(sizeof direct_builtins / sizeof direct_builtins[0]); i++)
        if (!strcmp(direct_builtins[i].name, name) && direct_builtins[i].nargs == nargs)
            return i;
    return -1;
}

/* The builtin's result, a new reference (errors go to the landing). */
static LLVMValueRef direct(kn_obj *o, int which, LLVMValueRef *args)
{
    if (which == 1)
        return kn_obj_helper(o, "kn_obj_rt_str", (void *)kn_obj_rt_str, o->ptr, args, 1);
    if (which == 2) {
        LLVMValueRef r = kn_obj_api_int(o, "PyObject_IsInstance", args, 2);
        return new_bool(o, LLVMBuildICmp(o->cg.b, LLVMIntNE, r, kn_obj_i32(o, 0), ""));
    }
    LLVMValueRef n = kn_obj_api(o, "PyObject_Size", o->i64, args, 1);
    kn_obj_check_status(o, n);
    return kn_obj_api(o, "PyLong_FromSsize_t", o->ptr, &n, 1);
}

LLVMValueRef kn_obj_fast_builtin(kn_obj *o, int which, LLVMValueRef callee, LLVMValueRef *args,
                                 LLVMValueRef (*call)(kn_obj *, void *), void *ctx)
{
    PyObject *builtins = ((PyFunctionObject *)o->func)->func_builtins;
    PyObject *builtin = PyDict_GetItemString(builtins, direct_builtins[which].name);
    if (!builtin)
        return call(o, ctx);
    paths p = begin(o);
    LLVMBasicBlockRef miss = kn_cg_block(&o->cg, "not.builtin");
    when(o, LLVMBuildICmp(o->cg.b, LLVMIntEQ, callee, kn_obj_const(o, Py_NewRef(builtin)), ""),
         miss);
    arrive(o, &p, direct(o, which, args));
    kn_cg_enter(&o->cg, miss);
    return finish(o, &p, call(o, ctx), o->ptr);
}

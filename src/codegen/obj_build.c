/* Object mode's displays, f-strings and comprehensions: the objects they build. */
#include "codegen/object.h"

static const kn_ov failed = {NULL, -1};

/* *items in a tuple, list or set display; **mapping (a NULL key) in a dict display. */
static int unpacks(const kn_expr *e)
{
    for (int i = 0; i < e->noperands; i++) {
        const kn_expr *item = e->operands[i];
        if (e->kind == KN_E_DICT ? i % 2 == 0 && !item : item->kind == KN_E_STARRED)
            return 1;
    }
    return 0;
}

static int evaluate_all(kn_obj *o, const kn_expr *e, kn_ov *items)
{
    for (int i = 0; i < e->noperands; i++)
        if (!(items[i] = kn_obj_expr(o, e->operands[i])).v)
            return -1;
    return 0;
}

/* An empty list (also what a tuple with *items is built in), set or dict for e to fill. */
static kn_ov new_container(kn_obj *o, kn_expr_kind kind)
{
    if (kind == KN_E_SET || kind == KN_E_SETCOMP) {
        LLVMValueRef none = LLVMConstNull(o->ptr);
        return kn_obj_api_new(o, "PySet_New", &none, 1, NULL, 0);
    }
    if (kind == KN_E_DICT || kind == KN_E_DICTCOMP)
        return kn_obj_api_new(o, "PyDict_New", NULL, 0, NULL, 0);
    LLVMValueRef zero = LLVMConstInt(o->i64, 0, 0);
    return kn_obj_api_new(o, "PyList_New", &zero, 1, NULL, 0);
}

// (a, b, ...) | [a, b, ...]: a new tuple or list that takes the items' references
static kn_ov sequence(kn_obj *o, const kn_expr *e, kn_ov *items)
{
    int n = e->noperands, tuple = e->kind == KN_E_TUPLE;
    LLVMValueRef size = LLVMConstInt(o->i64, (unsigned long long)n, 0);
    kn_ov r = kn_obj_api_new(o, tuple ? "PyTuple_New" : "PyList_New", &size, 1, NULL, 0);
    LLVMValueRef base =
        tuple ? kn_obj_field(o, r.v, offsetof(PyTupleObject, ob_item))
              : LLVMBuildLoad2(o->cg.b, o->ptr,
                               kn_obj_field(o, r.v, offsetof(PyListObject, ob_item)), "ob_item");
    for (int i = 0; i < n; i++) {
        LLVMValueRef at = LLVMConstInt(o->i64, (unsigned long long)i, 0);
        LLVMBuildStore(o->cg.b, kn_obj_give(o, items[i]),
                       LLVMBuildGEP2(o->cg.b, o->ptr, base, &at, 1, ""));
    }
    return r;
}

/* Adds to a set or dict the items of a display, evaluated already (BUILD_SET, BUILD_MAP). */
static kn_ov collection(kn_obj *o, const kn_expr *e, kn_ov *items)
{
    int set = e->kind == KN_E_SET, step = set ? 1 : 2;
    kn_ov r = new_container(o, e->kind);
    for (int i = 0; i < e->noperands; i += step) {
        LLVMValueRef args[] = {r.v, items[i].v, set ? NULL : items[i + 1].v};
        kn_obj_api_int(o, set ? "PySet_Add" : "PyDict_SetItem", args, 3 - set);
    }
    for (int i = 0; i < e->noperands; i++)
        kn_obj_release(o, items[i]);
    return r;
}

/* [*iterable] | (*iterable,): its items added to the list (LIST_EXTEND); called by address. */
static int extend_list(PyObject *list, PyObject *iterable)
{
    PyObject *none = _PyList_Extend((PyListObject *)list, iterable);
    if (none) {
        Py_DECREF(none);
        return 0;
    }
    if (PyErr_ExceptionMatches(PyExc_TypeError) && !Py_TYPE(iterable)->tp_iter &&
        !PySequence_Check(iterable)) {
        PyErr_Clear();
        PyErr_Format(PyExc_TypeError, "Value after * must be an iterable, not %.200s",
                     Py_TYPE(iterable)->tp_name);
    }
    return -1;
}

/* {**mapping}: its items added to the dict (DICT_UPDATE); called by address. */
static int update_dict(PyObject *dict, PyObject *mapping)
{
    if (PyDict_Update(dict, mapping) == 0)
        return 0;
    if (PyErr_ExceptionMatches(PyExc_AttributeError)) {
        PyErr_Clear();
        PyErr_Format(PyExc_TypeError, "'%.200s' object is not a mapping",
                     Py_TYPE(mapping)->tp_name);
    }
    return -1;
}

/* Adds one item of a display with unpacking to r: v itself, or (spread) its items. */
static void add_item(kn_obj *o, const kn_expr *e, kn_ov r, kn_ov v, kn_ov key, int spread)
{
    LLVMValueRef args[] = {r.v, key.v ? key.v : v.v, v.v};
    int n = key.v ? 3 : 2;
    if (e->kind == KN_E_SET)
        kn_obj_api_int(o, spread ? "_PySet_Update" : "PySet_Add", args, n);
    else if (spread)
        kn_obj_check_status(
            o, e->kind == KN_E_DICT
                   ? kn_obj_helper(o, "kn_obj_update_dict", (void *)update_dict, o->i32, args, n)
                   : kn_obj_helper(o, "kn_obj_extend_list", (void *)extend_list, o->i32, args, n));
    else
        kn_obj_api_int(o, e->kind == KN_E_DICT ? "PyDict_SetItem" : "PyList_Append", args, n);
    kn_obj_release(o, key);
    kn_obj_release(o, v);
}

/*
 * [a, *b] | (a, *b) | {a, *b} | {k: v, **m}: the container first, each
 * item added as it is evaluated (a tuple is built as a list, then copied).
 */
static kn_ov incremental(kn_obj *o, const kn_expr *e)
{
    int dict = e->kind == KN_E_DICT, step = dict ? 2 : 1;
    kn_ov r = new_container(o, e->kind);
    for (int i = 0; i < e->noperands; i += step) {
        const kn_expr *item = dict ? e->operands[i + 1] : e->operands[i];
        const kn_expr *key = dict ? e->operands[i] : NULL;
        int spread = dict ? !key : item->kind == KN_E_STARRED;
        kn_ov k = key ? kn_obj_expr(o, key) : kn_obj_borrowed(NULL);
        kn_ov v = !key || k.v ? kn_obj_expr(o, spread && !dict ? item->value : item) : failed;
        if (!v.v)
            return failed;
        kn_obj_at(o, item->loc);
        add_item(o, e, r, v, k, spread);
    }
    if (e->kind != KN_E_TUPLE)
        return r;
    return kn_obj_api_new(o, "PyList_AsTuple", &r.v, 1, &r, 1);
}

kn_ov kn_obj_display(kn_obj *o, const kn_expr *e)
{
    if (unpacks(e))
        return incremental(o, e);
    kn_ov items[e->noperands > 0 ? e->noperands : 1];
    if (evaluate_all(o, e, items) < 0)
        return failed;
    kn_obj_at(o, e->loc);
    if (e->kind == KN_E_TUPLE || e->kind == KN_E_LIST)
        return sequence(o, e, items);
    return collection(o, e, items);
}

/* ---- f-strings ---- */

// {value!conversion:spec}
static kn_ov formatted(kn_obj *o, const kn_expr *e)
{
    kn_ov v = kn_obj_expr(o, e->value);
    if (!v.v)
        return failed;
    kn_ov spec = kn_obj_borrowed(LLVMConstNull(o->ptr));
    if (e->index && !(spec = kn_obj_fstring(o, e->index)).v)
        return failed;
    kn_obj_at(o, e->loc);
    LLVMValueRef args[] = {v.v, kn_obj_i32(o, e->ival), spec.v};
    LLVMValueRef r =
        kn_obj_helper(o, "kn_obj_rt_format", (void *)kn_obj_rt_format, o->ptr, args, 3);
    kn_obj_release(o, v);
    kn_obj_release(o, spec);
    kn_obj_check(o, r);
    return kn_obj_owned(o, r);
}

// f"text{value}...": the parts formatted, then joined (BUILD_STRING)
kn_ov kn_obj_fstring(kn_obj *o, const kn_expr *e)
{
    int n = e->noperands;
    kn_ov parts[n > 0 ? n : 1];
    for (int i = 0; i < n; i++) {
        const kn_expr *p = e->operands[i];
        if (!(parts[i] = p->kind == KN_E_FORMAT ? formatted(o, p) : kn_obj_expr(o, p)).v)
            return failed;
    }
    if (n == 1)
        return parts[0];
    kn_obj_at(o, e->loc);
    LLVMValueRef values[n > 0 ? n : 1];
    for (int i = 0; i < n; i++)
        values[i] = parts[i].v;
    LLVMValueRef args[] = {kn_obj_str(o, ""), kn_obj_array(o, values, n),
                           LLVMConstInt(o->i64, (unsigned long long)n, 0)};
    return kn_obj_api_new(o, "_PyUnicode_JoinArray", args, 3, parts, n);
}

/* ---- comprehensions ---- */

// the item of [item ...], {item ...} or {key: value ...}, added to the result
static int add_result(kn_obj *o, const kn_expr *e, kn_ov r)
{
    int dict = e->kind == KN_E_DICTCOMP;
    kn_ov k = kn_obj_borrowed(NULL), v;
    if ((dict && !(k = kn_obj_expr(o, e->value)).v) ||
        !(v = kn_obj_expr(o, dict ? e->index : e->value)).v)
        return -1;
    kn_obj_at(o, e->loc);
    LLVMValueRef args[] = {r.v, dict ? k.v : v.v, v.v};
    const char *name = e->kind == KN_E_LISTCOMP  ? "PyList_Append"
                       : e->kind == KN_E_SETCOMP ? "PySet_Add"
                                                 : "PyDict_SetItem";
    kn_obj_api_int(o, name, args, dict ? 3 : 2);
    kn_obj_release(o, k);
    kn_obj_release(o, v);
    return 0;
}

/* The loops from the i-th on: for target in iterable if cond ...: then the next loop, or the item.
 */
static int comprehension_loop(kn_obj *o, const kn_expr *e, int i, kn_ov r)
{
    if (i == e->noperands)
        return add_result(o, e, r);
    const kn_expr *gen = e->operands[i];
    kn_oloop l;
    if (kn_obj_loop_begin(o, &l, gen->value, gen->operands[0]) < 0)
        return -1;
    for (int c = 1; c < gen->noperands; c++) {
        LLVMValueRef t = kn_obj_condition(o, gen->operands[c]);
        if (!t)
            return -1;
        LLVMBasicBlockRef pass = kn_cg_block(&o->cg, "comp.if");
        LLVMBuildCondBr(o->cg.b, t, pass, l.next);
        kn_cg_enter(&o->cg, pass);
    }
    if (comprehension_loop(o, e, i + 1, r) < 0)
        return -1;
    kn_obj_loop_end(o, &l);
    return 0;
}

/* A comprehension's own variables go when it is done, as its function's locals would. */
static void clear_targets(kn_obj *o, const kn_expr *target)
{
    if (target->kind == KN_E_NAME && target->var && target->var->hidden)
        kn_obj_clear_local(o, target->var);
    if (target->kind == KN_E_STARRED)
        clear_targets(o, target->value);
    for (int i = 0;
         (target->kind == KN_E_TUPLE || target->kind == KN_E_LIST) && i < target->noperands; i++)
        clear_targets(o, target->operands[i]);
}

// [item for ...] | {item for ...} | {key: value for ...}
kn_ov kn_obj_comprehension(kn_obj *o, const kn_expr *e)
{
    kn_ov r = new_container(o, e->kind);
    if (comprehension_loop(o, e, 0, r) < 0)
        return failed;
    for (int i = 0; i < e->noperands; i++)
        clear_targets(o, e->operands[i]->operands[0]);
    return r;
}

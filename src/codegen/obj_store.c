/* Object mode's assignment targets: locals, globals, attributes, items, unpacking; and del. */
#include "codegen/object.h"

void kn_obj_set_local(kn_obj *o, const kn_var *var, LLVMValueRef ref)
{
    LLVMValueRef slot = o->locals[var->index];
    LLVMValueRef old = LLVMBuildLoad2(o->cg.b, o->ptr, slot, "old");
    LLVMBuildStore(o->cg.b, ref, slot);
    kn_cg_xdecref(&o->cg, old); /* last: its __del__ may run code that reads the variable */
}

void kn_obj_clear_local(kn_obj *o, const kn_var *var)
{
    kn_obj_set_local(o, var, LLVMConstNull(o->ptr));
}

static LLVMValueRef globals(kn_obj *o)
{
    return kn_obj_const(o, Py_NewRef(PyFunction_GET_GLOBALS(o->func)));
}

/* Whether a target unpacks: (a, b) = ... or [a, *b] = ... */
static int is_sequence(const kn_expr *t)
{
    return t->kind == KN_E_TUPLE || t->kind == KN_E_LIST;
}

/*
 * a, b = v | a, *rest, b = v: the items (a list for the starred one) as
 * new references, each stored in its target in turn.
 */
static int unpack(kn_obj *o, const kn_expr *t, kn_ov v)
{
    int n = t->noperands, star = -1;
    for (int i = 0; i < n; i++)
        if (t->operands[i]->kind == KN_E_STARRED)
            star = i;
    LLVMValueRef out = kn_cg_alloca(&o->cg, LLVMArrayType2(o->ptr, n > 0 ? n : 1), "unpacked");
    LLVMValueRef args[] = {v.v, kn_obj_i32(o, star < 0 ? n : star),
                           kn_obj_i32(o, star < 0 ? -1 : n - star - 1), out};
    LLVMValueRef rc =
        kn_obj_helper(o, "kn_obj_rt_unpack", (void *)kn_obj_rt_unpack, o->i32, args, 4);
    kn_obj_release(o, v);
    kn_obj_check_status(o, rc);
    kn_ov items[n > 0 ? n : 1];
    for (int i = 0; i < n; i++) {
        LLVMValueRef at = LLVMConstInt(o->i64, (unsigned long long)i, 0);
        LLVMValueRef item = LLVMBuildGEP2(o->cg.b, o->ptr, out, &at, 1, "");
        items[i] = kn_obj_owned(o, LLVMBuildLoad2(o->cg.b, o->ptr, item, ""));
    }
    for (int i = 0; i < n; i++) {
        const kn_expr *target = t->operands[i];
        if (kn_obj_store(o, target->kind == KN_E_STARRED ? target->value : target, items[i]) < 0)
            return -1;
    }
    return 0;
}

int kn_obj_target_parts(kn_obj *o, const kn_expr *t, kn_ov *obj, kn_ov *key)
{
    *obj = t->kind == KN_E_NAME ? kn_obj_borrowed(globals(o)) : kn_obj_expr(o, t->value);
    if (!obj->v)
        return -1;
    *key = t->kind == KN_E_SUBSCRIPT ? kn_obj_expr(o, t->index)
                                     : kn_obj_borrowed(kn_obj_str(o, t->sval));
    if (!key->v)
        return -1;
    kn_obj_at(o, t->loc);
    return 0;
}

// container[i] = v with i a native range variable: its index unboxed
static int store_native(kn_obj *o, const kn_expr *t, kn_ov v)
{
    kn_ov obj = kn_obj_expr(o, t->value);
    if (!obj.v)
        return -1;
    kn_obj_at(o, t->loc);
    LLVMValueRef rc = kn_obj_native_item(o, obj.v, t->index, v.v);
    kn_obj_release(o, obj);
    kn_obj_release(o, v);
    kn_obj_check_status(o, rc);
    return 0;
}

// obj.name = v | container[index] = v: the target's parts evaluated after v, as Python does
static int store_into(kn_obj *o, const kn_expr *t, kn_ov v)
{
    int item = t->kind == KN_E_SUBSCRIPT;
    if (item && t->index->kind == KN_E_NAME && t->index->var &&
        kn_obj_native_var(o, t->index->var, NULL))
        return store_native(o, t, v);
    kn_ov obj, key;
    if (kn_obj_target_parts(o, t, &obj, &key) < 0)
        return -1;
    LLVMValueRef args[] = {obj.v, key.v, v.v};
    LLVMValueRef rc = item ? kn_obj_fast_setitem(o, obj.v, key.v, v.v)
                           : kn_obj_api(o, "PyObject_SetAttr", o->i32, args, 3);
    kn_obj_release(o, obj);
    kn_obj_release(o, key);
    kn_obj_release(o, v);
    kn_obj_check_status(o, rc);
    return 0;
}

int kn_obj_store(kn_obj *o, const kn_expr *t, kn_ov v)
{
    if (t->kind == KN_E_NAME && t->var) {
        kn_obj_set_local(o, t->var, kn_obj_give(o, v));
        return 0;
    }
    if (t->kind == KN_E_NAME) { /* a global the function declares */
        kn_obj_at(o, t->loc);
        LLVMValueRef args[] = {globals(o), kn_obj_str(o, t->sval), v.v};
        LLVMValueRef rc = kn_obj_api(o, "PyDict_SetItem", o->i32, args, 3);
        kn_obj_release(o, v);
        kn_obj_check_status(o, rc);
        return 0;
    }
    if (t->kind == KN_E_ATTR || t->kind == KN_E_SUBSCRIPT)
        return store_into(o, t, v);
    if (is_sequence(t))
        return unpack(o, t, v);
    kn_cg_fail(&o->cg, t->loc,
               t->kind == KN_E_STARRED ? "starred assignment target must be in a list or tuple"
                                       : "cannot assign to this expression");
    return -1;
}

// del NAME: unbound afterwards; deleting an unbound local raises UnboundLocalError
static void delete_local(kn_obj *o, const kn_var *var)
{
    kn_obj_load_local(o, var);
    kn_obj_clear_local(o, var);
}

// del obj.name | del container[index] | del global
static int delete_from(kn_obj *o, const kn_expr *t)
{
    int item = t->kind == KN_E_SUBSCRIPT, global = t->kind == KN_E_NAME;
    kn_ov obj, key;
    if (kn_obj_target_parts(o, t, &obj, &key) < 0)
        return -1;
    LLVMValueRef args[] = {obj.v, key.v, LLVMConstNull(o->ptr)};
    LLVMValueRef rc = global ? kn_obj_helper(o, "kn_obj_rt_del_global",
                                             (void *)kn_obj_rt_del_global, o->i32, args, 2)
                             : kn_obj_api(o, item ? "PyObject_DelItem" : "PyObject_SetAttr", o->i32,
                                          args, item ? 2 : 3);
    kn_obj_release(o, obj);
    kn_obj_release(o, key);
    kn_obj_check_status(o, rc);
    return 0;
}

int kn_obj_delete(kn_obj *o, const kn_expr *t)
{
    if (t->kind == KN_E_NAME && t->var) {
        delete_local(o, t->var);
        return 0;
    }
    if (is_sequence(t)) {
        for (int i = 0; i < t->noperands; i++)
            if (kn_obj_delete(o, t->operands[i]) < 0)
                return -1;
        return 0;
    }
    if (t->kind == KN_E_NAME || t->kind == KN_E_ATTR || t->kind == KN_E_SUBSCRIPT)
        return delete_from(o, t);
    kn_cg_fail(&o->cg, t->loc, "cannot delete this expression");
    return -1;
}
